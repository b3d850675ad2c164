"""Forms for creation spaces: posing a question, asking people to answer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from learnloop.core.forms import TagsField


class SpaceQuestionForm(forms.Form):
    AUDIENCES = (
        ("space", _("Everyone in this space")),
        ("network", _("The whole network")),
    )

    title = forms.CharField(label=_("Your question"), max_length=300)
    body = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What you tried, what you need to know, by when. Markdown is fine."),
    )
    tags = TagsField()
    audience = forms.ChoiceField(
        label=_("Ask"),
        choices=AUDIENCES,
        initial="space",
        widget=forms.RadioSelect,
    )


class AskPeopleForm(forms.Form):
    people: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        queryset=None,
        label=_("People to ask"),
        error_messages={"required": _("Choose at least one person to ask.")},
    )
    note = forms.CharField(
        label=_("A note to them (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from learnloop.people.models import Person

        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = Person.objects.filter(is_active=True)  # type: ignore[attr-defined]
