"""A small accessibility check of rendered HTML: one h1, headings in order, every form
control labelled, images with alt text, no inline script or style (CSP)."""

from __future__ import annotations

from html.parser import HTMLParser


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.controls: list[dict[str, str | None]] = []
        self.label_for: set[str] = set()
        self.label_depth = 0
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self.headings.append(int(tag[1]))
        if tag == "label":
            self.label_depth += 1
            if a.get("for"):
                self.label_for.add(a["for"] or "")
        if tag in {"input", "select", "textarea"} and a.get("type") not in {
            "hidden",
            "submit",
            "button",
        }:
            self.controls.append({**a, "_wrapped": "1" if self.label_depth else None})
        if tag == "img" and "alt" not in a:
            self.problems.append(f"image without alt: {a.get('src')}")
        if "style" in a:
            self.problems.append(f"inline style on <{tag}>")
        if tag == "script" and not a.get("src"):
            self.problems.append("inline <script>")
        for name in a:
            if name.startswith("on"):
                self.problems.append(f"inline handler {name} on <{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self.label_depth -= 1


def problems(html: str) -> list[str]:
    c = _Collector()
    c.feed(html)
    found = list(c.problems)
    if c.headings.count(1) != 1:
        found.append(f"expected one h1, found {c.headings.count(1)}")
    for before, after in zip(c.headings, c.headings[1:], strict=False):
        if after > before + 1:
            found.append(f"heading level jumps from h{before} to h{after}")
    for ctl in c.controls:
        labelled = (
            ctl.get("_wrapped")
            or ctl.get("aria-label")
            or ctl.get("aria-labelledby")
            or (ctl.get("id") and ctl.get("id") in c.label_for)
        )
        if not labelled:
            found.append(f"unlabelled control: {ctl.get('name')}")
    return found
