"""Forms for the network's standards."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from learnloop.consolidation.models import CriterionKind


class VersionForm(forms.Form):
    title = forms.CharField(
        label=_("A short title for this version"),
        max_length=200,
        required=False,
        help_text=_("For example: “Adds an equity standard”."),
    )
    rationale = forms.CharField(
        label=_("Why this change"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20000,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "version-%s")
        super().__init__(*args, **kwargs)


class CriterionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=CriterionKind.choices,
        initial=CriterionKind.OTHER,
        help_text=_("Equity: does the idea reach and serve those the network serves least well?"),
    )
    title = forms.CharField(label=_("The standard, in a line"), max_length=200, required=False)
    description = forms.CharField(
        label=_("What it asks for"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
        help_text=_("What a reviewer should look for. Markdown works."),
    )
    min_contexts = forms.IntegerField(
        label=_("Least number of contexts"),
        min_value=1,
        max_value=1000,
        required=False,
        help_text=_("Only for standards about contexts: distinct groups or sites."),
    )

    def __init__(self, *args: Any, prefix_id: str = "criterion", **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", prefix_id + "-%s")
        super().__init__(*args, **kwargs)
