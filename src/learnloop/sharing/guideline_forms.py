from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class GuidelineForm(forms.Form):
    text = forms.CharField(
        label=_("Guideline"),
        max_length=300,
        help_text=_(
            "One line an author can check their words against, e.g. “We name people "
            "only with their consent.”"
        ),
    )
    explanation = forms.CharField(
        label=_("Why it matters, or an example"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown under the guideline when an author ticks it."),
    )
