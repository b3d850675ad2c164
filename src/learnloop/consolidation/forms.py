from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from learnloop.consolidation.models import Idea, Relation
from learnloop.core.forms import ItemForm, TagsField
from learnloop.people.models import StakeholderType


class IdeaForm(ItemForm):
    """Title, summary, place and tags. The stage is deliberately not here: it moves only
    by a recorded decision."""

    title = forms.CharField(label=_("The idea, in a line"), max_length=200)
    summary = forms.CharField(
        label=_("What is the idea?"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=50000,
        help_text=_(
            "Markdown works. What would people do differently, where did you see it work, "
            "and what would make you change your mind?"
        ),
    )
    tags = TagsField()
    serves = forms.MultipleChoiceField(
        label=_("Who is it meant to benefit?"),
        choices=StakeholderType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "When the members decide on this idea, the page shows whether these people had a voice."
        ),
    )

    field_order = ["title", "summary", "group", "visibility", "tags", "serves"]


class StageForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("Move it to"), choices=())
    reason = forms.CharField(
        label=_("Why (required)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
        required=False,  # the service says clearly what is missing
        help_text=_(
            "What in the evidence led to this decision? Everyone following the idea will read it."
        ),
    )

    override = forms.BooleanField(
        label=_("Record it as an override, without a decision by the members"),
        required=False,
        help_text=_(
            "Knowledge, scaling and returning are decided by the members. A moderator or "
            "steward may override, for instance to correct a mistake; the override and its "
            "reason are shown on the idea."
        ),
    )

    def __init__(
        self,
        *args: Any,
        choices: list[tuple[str, str]],
        allow_override: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].choices = choices  # type: ignore[attr-defined]
        if not allow_override:
            del self.fields["override"]


RELATION_HELP = _(
    "Supports: it points the same way. Contradicts: it points the other way. "
    "Context: it helps understand where the idea applies."
)


class EvidenceForm(forms.Form):
    """Link one learning (found by search on the idea page) to the idea."""

    learning_id = forms.IntegerField(label=_("Learning"), widget=forms.HiddenInput)
    relation = forms.ChoiceField(
        label=_("How it relates"),
        choices=Relation.choices,
        initial=Relation.SUPPORTS,
        help_text=RELATION_HELP,
    )
    note = forms.CharField(
        label=_("Why it matters (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class IdeaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} ({obj.get_stage_display()})"


class LinkLearningForm(forms.Form):
    """From a learning's page: choose the idea it speaks to."""

    idea = IdeaChoiceField(
        label=_("Idea"), queryset=Idea.objects.none(), empty_label=_("— choose an idea —")
    )
    relation = forms.ChoiceField(
        label=_("How it relates"),
        choices=Relation.choices,
        initial=Relation.SUPPORTS,
        help_text=RELATION_HELP,
    )
    note = forms.CharField(
        label=_("Why it matters (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, ideas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["idea"].queryset = ideas  # type: ignore[attr-defined]


class EndorseForm(forms.Form):
    note = forms.CharField(label=_("Why you endorse it (optional)"), required=False, max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "endorse-%s")  # unique ids beside the comment form
        super().__init__(*args, **kwargs)
