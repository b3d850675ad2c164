"""Forms for knowledge brokers and the audiences they reach."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from learnloop.sharing.broker_selectors import member_choices_for_naming
from learnloop.sharing.models import Sphere

NOTE_HELP = _(
    "What they carry and to whom: the bridges they already have, the meetings they sit in. "
    "Markdown works."
)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        role = obj.job_role or (obj.organization.name if obj.organization_id else "")
        return f"{obj.name} ({role})" if role else obj.name


class BrokerNameForm(forms.Form):
    """Name a broker, and (optionally) the first audience they reach."""

    person = PersonChoiceField(
        queryset=None,
        label=_("Member"),
        empty_label=_("— choose a member —"),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=NOTE_HELP,
    )
    audience_name = forms.CharField(
        label=_("An audience they reach"),
        required=False,
        max_length=200,
        help_text=_("Optional: e.g. the district's principals, a partner's staff meeting."),
    )
    audience_sphere = forms.ChoiceField(
        label=_("Where that audience lies"),
        choices=Sphere.choices,
        initial=Sphere.GROUPS,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = member_choices_for_naming().select_related(  # type: ignore[attr-defined]
            "organization"
        )


class BrokerNoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=NOTE_HELP,
    )


class AudienceForm(forms.Form):
    name = forms.CharField(
        label=_("Audience"),
        max_length=200,
        help_text=_("Who they are, e.g. “Northgate ninth-grade team” or “state family networks”."),
    )
    sphere = forms.ChoiceField(
        label=_("Where it lies"),
        choices=Sphere.choices,
        initial=Sphere.GROUPS,
    )
    description = forms.CharField(
        label=_("How the broker reaches them"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("A meeting they attend, a newsletter they write for, a colleague there."),
    )
