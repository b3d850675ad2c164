"""Forms for the moderator tools."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from learnloop.community.moderation_selectors import DEFAULT_WEEKS, WEEK_CHOICES
from learnloop.community.moderation_services import MAX_MESSAGE


class QuietFilter(forms.Form):
    weeks = forms.TypedChoiceField(
        label=_("Quiet for at least"),
        choices=[(w, _("%(n)d weeks") % {"n": w}) for w in WEEK_CHOICES],
        coerce=int,
        initial=DEFAULT_WEEKS,
        required=False,
    )


class NudgeForm(forms.Form):
    recipients: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Who to nudge"),
        queryset=None,
        to_field_name="username",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one person.")},
    )
    message = forms.CharField(
        label=_("Your message"),
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Make it your own. It arrives in their LearnLoop notifications, and by email if "
            "they take email. Nobody is nudged more than once a week."
        ),
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipients"].queryset = people  # type: ignore[attr-defined]

    def chosen(self) -> set[str]:
        if not isinstance(self.data, QueryDict):
            return set()
        return set(self.data.getlist("recipients"))
