from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from learnloop.core.forms import (
    ItemForm,
    LinksField,
    MultipleFileField,
    TagsField,
    add_guideline_check,
    pop_guideline_check,
)
from learnloop.generation.models import LearningKind, TestCycleStatus


class LearningForm(ItemForm):
    title = forms.CharField(label=_("What did you learn? (in a line)"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=LearningKind.choices, initial=LearningKind.REFLECTION
    )
    body = forms.CharField(
        label=_("Tell the story"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown works: **bold**, lists, links. What happened, and why it matters."),
        max_length=50000,
    )
    tags = TagsField()
    site = forms.CharField(
        label=_("Site"),
        required=False,
        max_length=150,
        help_text=_("The context it comes from; your own site if left empty."),
    )
    links = LinksField()
    uploads = MultipleFileField(label=_("Attach files as evidence"))

    field_order = [
        "title",
        "kind",
        "body",
        "group",
        "visibility",
        "tags",
        "site",
        "links",
        "uploads",
    ]

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["links"]
            del self.fields["uploads"]


class TestCycleForm(ItemForm):
    __test__ = False

    title = forms.CharField(label=_("The change you are testing"), max_length=200)
    plan = forms.CharField(
        label=_("Plan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What will you try, with whom, when, and how will you know?"),
    )
    prediction = forms.CharField(
        label=_("Prediction"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=TestCycleStatus.choices, initial=TestCycleStatus.PLANNING
    )
    started_on = forms.DateField(
        label=_("Started on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    what_happened = forms.CharField(
        label=_("What happened"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    learned = forms.CharField(
        label=_("What you learned"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    next_step = forms.CharField(
        label=_("Next step"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Adapt, adopt or abandon, and what comes next."),
    )

    field_order = [
        "title",
        "plan",
        "prediction",
        "status",
        "started_on",
        "what_happened",
        "learned",
        "next_step",
        "group",
        "visibility",
    ]


class QuestionForm(ItemForm):
    title = forms.CharField(label=_("Your question"), max_length=300)
    body = forms.CharField(
        label=_("Details"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What have you tried? What would a good answer help you do?"),
    )
    tags = TagsField()

    field_order = ["title", "body", "group", "visibility", "tags"]


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20000
    )


class RecordLearningForm(forms.Form):
    title = forms.CharField(label=_("Title of the learning"), max_length=200, required=False)
    guidelines_confirmed: bool = False

    def __init__(self, *args: Any, cycle: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The learning takes the cycle's visibility: from a public cycle it goes public.
        if cycle is not None and cycle.visibility == "public":
            add_guideline_check(
                self,
                help_text=_(
                    "The learning will be public, like the cycle: read it against each of "
                    "the network's voice guidelines and tick them all."
                ),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.guidelines_confirmed = pop_guideline_check(self, data)
        return data
