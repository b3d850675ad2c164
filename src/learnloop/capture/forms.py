from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from learnloop.capture.models import ProductKind
from learnloop.capture.selectors import idea_choices
from learnloop.core.forms import ItemForm, TagsField
from learnloop.people.models import StakeholderType


class IdeaChoiceField(forms.ModelMultipleChoiceField):
    """Ideas labelled with their stage, so the author sees how firm each one is."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} — {obj.get_stage_display()}"


class ProductForm(ItemForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind of product"), choices=ProductKind.choices, initial=ProductKind.CHANGE_IDEA
    )
    summary = forms.CharField(
        label=_("In one line"),
        max_length=300,
        required=False,
        help_text=_("What a busy reader should take away if they read nothing else."),
    )
    body = forms.CharField(
        label=_("Content"),
        required=False,
        max_length=100000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Markdown works: headings, lists, links, **bold**."),
    )
    audience = forms.ChoiceField(
        label=_("Made for"), choices=StakeholderType.choices, initial=StakeholderType.STAFF
    )
    audience_detail = forms.CharField(
        label=_("Who exactly"),
        max_length=200,
        required=False,
        help_text=_("e.g. ninth-grade teachers in partner schools"),
    )
    actions = forms.CharField(
        label=_("What it asks of them"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The concrete next steps your audience can take on Monday morning."),
    )
    resources_time = forms.CharField(
        label=_("Time it takes"),
        max_length=200,
        required=False,
        help_text=_("e.g. 20 minutes a week for a term"),
    )
    resources_people = forms.CharField(
        label=_("People it takes"),
        max_length=200,
        required=False,
        help_text=_("e.g. one counsellor and the grade-level team"),
    )
    resources_money = forms.CharField(
        label=_("Money it takes"),
        max_length=200,
        required=False,
        help_text=_("e.g. none, or about $300 for printing"),
    )
    ideas = IdeaChoiceField(
        queryset=None,
        required=False,
        label=_("Ideas it draws on"),
        help_text=_(
            "Each idea shows its stage. Products built on emerging or testing ideas are "
            "flagged to readers so they can weigh them with care."
        ),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    media_url = forms.URLField(
        label=_("Audio or video link"),
        max_length=1000,
        required=False,
        assume_scheme="https",
        help_text=_("For audio or video summaries: a link to the recording."),
    )
    media_file = forms.FileField(
        label=_("Or upload the recording"),
        required=False,
        help_text=_("Kept with the product and shown to whoever may see it."),
    )
    tags = TagsField()

    field_order = [
        "title",
        "kind",
        "summary",
        "body",
        "audience",
        "audience_detail",
        "actions",
        "resources_time",
        "resources_people",
        "resources_money",
        "ideas",
        "media_url",
        "media_file",
        "group",
        "visibility",
        "tags",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ideas"].queryset = idea_choices(self.viewer)  # type: ignore[attr-defined]
