from learnloop.core.markdown import plain_text, render_markdown


def test_raw_html_is_shown_as_text_not_run():
    html = render_markdown('<script>alert("x")</script>\n\n<img src=x onerror=alert(1)>')
    assert "<script" not in html
    assert "<img" not in html
    assert "&lt;script&gt;" in html


def test_javascript_links_are_dropped():
    html = render_markdown("[click](javascript:alert(1)) and [ok](https://example.org)")
    assert 'href="javascript' not in html
    assert 'href="https://example.org"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_markdown_features_render():
    html = render_markdown("# Title\n\n**bold** and ~~old~~\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    assert "<h1>Title</h1>" in html
    assert "<strong>bold</strong>" in html
    assert "<s>old</s>" in html or "<del>old</del>" in html
    assert "<table>" in html


def test_plain_text_excerpt():
    assert (
        plain_text("**Calls** to [families](https://x.org) work", 100) == "Calls to families work"
    )
    assert plain_text("word " * 100, 20).endswith("…")
