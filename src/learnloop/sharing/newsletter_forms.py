"""The form that picks a newsletter issue's period and audience."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from learnloop.sharing.newsletter import AUDIENCES, MAX_DAYS


class IssueForm(forms.Form):
    since = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}), input_formats=["%Y-%m-%d"]
    )
    until = forms.DateField(
        label=_("To"),
        widget=forms.DateInput(attrs={"type": "date"}),
        input_formats=["%Y-%m-%d"],
        help_text=_("Both days included; a year at most."),
    )
    audience = forms.ChoiceField(
        label=_("Audience"),
        choices=list(AUDIENCES.items()),
        widget=forms.RadioSelect,
        help_text=_("For the public, only public items are included, linked to the public site."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until:
            if since > until:
                self.add_error("until", _("The end of the period comes before its start."))
            elif (until - since).days >= MAX_DAYS:
                self.add_error("until", _("An issue covers a year at most."))
        return data
