"""Forms for planning and running a group meeting. Agenda rows are fields named after each
entry's key (`pos-<key>`, `note-<key>`, …) so that the page works without JavaScript."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from learnloop.community.meeting_selectors import KIND_LABELS, REFLECTION_PROMPTS, AgendaEntry
from learnloop.core.models import Visibility
from learnloop.value.forms import DATETIME_FORMATS, DateTimeLocalInput, PersonChoiceField

DURATIONS = [
    ("30", _("30 minutes")),
    ("45", _("45 minutes")),
    ("60", _("1 hour")),
    ("90", _("1½ hours")),
    ("120", _("2 hours")),
    ("180", _("3 hours")),
]
VISIBILITIES = [
    (Visibility.GROUP, _("The group")),
    (Visibility.NETWORK, _("The whole network")),
]


def parse_datetime(raw: str | None) -> datetime | None:
    """A `datetime-local` value from a request, or None (used to pick the agenda's date
    before the form itself is validated)."""
    field = forms.DateTimeField(input_formats=DATETIME_FORMATS, required=False)
    try:
        return field.clean(raw or None)
    except forms.ValidationError:
        return None


def _position(data: Any, key: str, default: int) -> int:
    raw = data.get(f"pos-{key}", "") if data is not None else ""
    try:
        return int(raw)
    except (TypeError, ValueError):
        return default


class OpenItemsField(forms.MultipleChoiceField):
    """Keys of open records. Not checked against the choices here: the planning service
    checks them against what is open when it saves, and says which closed meanwhile."""

    def validate(self, value: Any) -> None:
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")


class PlanForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Leave empty for the group's name and the date."),
    )
    starts_at = forms.DateTimeField(
        label=_("Starts"), input_formats=DATETIME_FORMATS, widget=DateTimeLocalInput()
    )
    duration = forms.ChoiceField(label=_("How long"), choices=DURATIONS, initial="60")
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    link = forms.URLField(
        label=_("Link to join"),
        max_length=1000,
        required=False,
        assume_scheme="https",
        help_text=_("For an online meeting: the address people use to join."),
    )
    visibility = forms.ChoiceField(
        label=_("Who can see the meeting"), choices=VISIBILITIES, initial=Visibility.GROUP
    )
    pick = OpenItemsField(
        label=_("On the agenda"), required=False, widget=forms.CheckboxSelectMultiple
    )
    own_items = forms.CharField(
        label=_("Your own items"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line. They come after the items above; you can reorder later."),
    )

    def __init__(self, *args: Any, candidates: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        self.fields["pick"].choices = [(c["key"], c["title"]) for c in candidates]  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault("pick", [c["key"] for c in candidates])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start = data.get("starts_at")
        if start is not None:
            data["ends_at"] = start + timedelta(minutes=int(data.get("duration") or 60))
        order = {c["key"]: i for i, c in enumerate(self.candidates)}
        picked = list(data.get("pick") or [])
        data["picked"] = sorted(
            picked,
            key=lambda k: (_position(self.data, k, order.get(k, 0) + 1), order.get(k, 0)),
        )
        data["own"] = [
            line.strip() for line in (data.get("own_items") or "").splitlines() if line.strip()
        ]
        return data

    def rows(self) -> list[dict[str, Any]]:
        """The candidates with what the template needs for each row."""
        chosen = set(self["pick"].value() or [])
        return [
            {
                **c,
                "kind_label": KIND_LABELS.get(c["kind"], ""),
                "checked": c["key"] in chosen,
                "position": _position(self.data if self.is_bound else None, c["key"], i + 1),
            }
            for i, c in enumerate(self.candidates)
        ]


class RecordForm(forms.Form):
    """Who came, the meeting's notes, and per agenda item a note, done, place, drop."""

    participants = PersonChoiceField(
        label=_("Who came"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_participants = forms.IntegerField(
        label=_("Others who came"),
        min_value=0,
        max_value=100000,
        initial=0,
        required=False,
        help_text=_("People who are not members of the group in LearnLoop."),
    )
    notes = forms.CharField(
        label=_("Notes on the meeting"),
        required=False,
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Markdown works. Anything that does not belong to one item."),
    )

    def __init__(self, *args: Any, people: Any, entries: list[AgendaEntry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = people  # type: ignore[attr-defined]
        self.entries = entries
        for i, entry in enumerate(entries, start=1):
            k = entry.key
            # Short labels: each item's fieldset names it in its legend.
            self.fields[f"pos-{k}"] = forms.IntegerField(
                label=_("Place in the order"),
                min_value=1,
                max_value=999,
                initial=i,
                required=False,
            )
            self.fields[f"note-{k}"] = forms.CharField(
                label=_("Note"),
                required=False,
                max_length=5000,
                initial=entry.note,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"done-{k}"] = forms.BooleanField(
                label=_("Dealt with"), required=False, initial=entry.done
            )
            self.fields[f"drop-{k}"] = forms.BooleanField(
                label=_("Take off the agenda"), required=False
            )

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "entry": e,
                "pos": self[f"pos-{e.key}"],
                "note": self[f"note-{e.key}"],
                "done": self[f"done-{e.key}"],
                "drop": self[f"drop-{e.key}"],
            }
            for e in self.entries
        ]

    def agenda_changes(self) -> tuple[list[dict[str, Any]], list[str]]:
        """(entries in their new order with note and done, keys to drop)."""
        data = self.cleaned_data
        keyed = []
        for i, e in enumerate(self.entries, start=1):
            pos = data.get(f"pos-{e.key}") or i
            keyed.append((pos, i, e.key))
        keyed.sort()
        entries = [
            {"key": key, "note": data.get(f"note-{key}", ""), "done": data.get(f"done-{key}")}
            for _pos, _i, key in keyed
        ]
        drop = [e.key for e in self.entries if data.get(f"drop-{e.key}")]
        return entries, drop


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Add an item"), max_length=300)
    why = forms.CharField(label=_("Why it matters (optional)"), max_length=500, required=False)


class ReflectionForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label, help_text in REFLECTION_PROMPTS:
            self.fields[key] = forms.CharField(
                label=label,
                help_text=help_text,
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any((data.get(key) or "").strip() for key, _l, _h in REFLECTION_PROMPTS):
            raise forms.ValidationError(_("Write an answer to at least one of the questions."))
        return data
