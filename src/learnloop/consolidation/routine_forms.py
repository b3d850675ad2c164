"""Forms for the routines. Each routine is one guided page; these forms hold its prompts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from learnloop.consolidation.models import Idea, ReductionOutcome, Relation, Stage
from learnloop.consolidation.routines import NewIdea, Output, Strength
from learnloop.core.forms import TagsField, add_guideline_check, postable_groups
from learnloop.core.models import Visibility
from learnloop.people.models import Cadence

IDEA_VISIBILITY = [(v, label) for v, label in Visibility.choices if v != Visibility.DRAFT]


def _area(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class LearningChoice(forms.ModelMultipleChoiceField):
    """Checkboxes labelled with each learning's title (the template lays them out)."""

    def label_from_instance(self, obj: Any) -> str:
        return obj.title


class _ProducesIdea(forms.Form):
    """The part of a summary or synthesis that proposes a new idea."""

    idea_title = forms.CharField(label=_("Idea title"), max_length=200, required=False)
    idea_summary = forms.CharField(
        label=_("What is the idea?"),
        widget=_area(5),
        max_length=50000,
        required=False,
        help_text=_(
            "Markdown works. What would people do differently, and what would make you "
            "change your mind?"
        ),
    )
    group: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("The idea's group"),
        empty_label=_("— the whole network —"),
    )
    visibility = forms.ChoiceField(
        choices=IDEA_VISIBILITY, initial=Visibility.NETWORK, label=_("Who can see the idea")
    )
    tags = TagsField()

    def __init__(self, *args: Any, viewer: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        self.fields["group"].queryset = postable_groups(viewer)  # type: ignore[attr-defined]
        add_guideline_check(self)

    def new_idea(self) -> NewIdea | None:
        data = self.cleaned_data
        if data.get("output") != Output.NEW:
            return None
        return NewIdea(
            title=data.get("idea_title", ""),
            summary=data.get("idea_summary", ""),
            group=data.get("group"),
            visibility=data.get("visibility") or Visibility.NETWORK,
            tags=data.get("tags", ""),
            guidelines_confirmed=bool(data.get("guidelines_confirmed")),
        )


class SummaryForm(_ProducesIdea):
    learnings = LearningChoice(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Worth sharing"),
    )
    evidence = forms.CharField(
        label=_("What evidence supports it?"),
        widget=_area(),
        required=False,
        max_length=10000,
        help_text=_("Numbers, what you saw, what people told you. Rough is fine."),
    )
    understanding = forms.CharField(
        label=_("What changed in your understanding of the problem?"),
        widget=_area(),
        required=False,
        max_length=10000,
    )
    helpers = forms.CharField(
        label=_("Who could help test it further?"),
        widget=_area(3),
        required=False,
        max_length=10000,
        help_text=_("A colleague, another site, a group that works on something close."),
    )
    output = forms.ChoiceField(
        label=_("What should come of it?"),
        widget=forms.RadioSelect,
        choices=[
            (Output.NONE, _("Just keep the summary for now")),
            (Output.NEW, _("Propose a new idea")),
            (Output.EXISTING, _("Add the chosen learnings as evidence to an idea")),
        ],
        initial=Output.NONE,
    )
    idea: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Idea to strengthen"), empty_label=_("— choose —")
    )

    def __init__(self, *args: Any, learnings: Any, ideas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["learnings"].queryset = learnings  # type: ignore[attr-defined]
        self.fields["idea"].queryset = ideas  # type: ignore[attr-defined]


STRENGTH_CHOICES = [
    (Strength.WEAK, _("Weak: a few stories or one context")),
    (Strength.MODERATE, _("Moderate: several contexts point the same way")),
    (Strength.STRONG, _("Strong: many contexts, measures agree, little against it")),
]


class SynthesisFilter(forms.Form):
    tag = forms.CharField(label=_("Tag"), required=False, max_length=60)
    period = forms.ChoiceField(
        label=_("Period"),
        required=False,
        choices=[
            ("", _("All time")),
            ("30", _("Last 30 days")),
            ("90", _("Last 3 months")),
            ("180", _("Last 6 months")),
            ("365", _("Last year")),
        ],
    )


class SynthesisForm(_ProducesIdea):
    learnings = LearningChoice(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Learnings to bring into the idea"),
    )
    patterns = forms.CharField(
        label=_("Patterns"),
        widget=_area(5),
        max_length=10000,
        required=False,  # the service says what is missing
        help_text=_("What keeps showing up, whatever the place?"),
    )
    differences = forms.CharField(
        label=_("Differences"),
        widget=_area(4),
        max_length=10000,
        required=False,
        help_text=_("Where did it go differently, and what about that place might explain it?"),
    )
    strength = forms.ChoiceField(
        label=_("How strong is the evidence"),
        widget=forms.RadioSelect,
        choices=STRENGTH_CHOICES,
        required=False,
    )
    output = forms.ChoiceField(
        label=_("What should come of it?"),
        widget=forms.RadioSelect,
        choices=[
            (Output.NONE, _("Just keep the synthesis for now")),
            (Output.NEW, _("Propose a new idea")),
            (Output.EXISTING, _("Strengthen existing ideas")),
        ],
        initial=Output.NONE,
    )
    ideas: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label=_("Ideas to strengthen"),
        help_text=_("The chosen learnings are linked to each of them."),
    )
    relation = forms.ChoiceField(
        label=_("How the learnings relate to those ideas"),
        choices=Relation.choices,
        initial=Relation.SUPPORTS,
    )

    def __init__(self, *args: Any, learnings: Any, ideas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["learnings"].queryset = learnings  # type: ignore[attr-defined]
        self.fields["ideas"].queryset = ideas  # type: ignore[attr-defined]


SETTLED = (Stage.KNOWLEDGE, Stage.SCALING)
OUTCOME_CHOICES = [("", _("Not this round")), *ReductionOutcome.choices]


class ReductionForm(forms.Form):
    """One outcome and one note per candidate idea, built from the candidates."""

    notes = forms.CharField(
        label=_("Notes on the round"),
        widget=_area(3),
        required=False,
        max_length=10000,
        help_text=_("Anything the network should know about this round as a whole."),
    )

    def __init__(self, *args: Any, candidates: list[Idea], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        for idea in candidates:
            self.fields[f"outcome_{idea.pk}"] = forms.ChoiceField(
                label=_("What should happen to “%(title)s”?") % {"title": idea.title},
                widget=forms.RadioSelect,
                # An idea that is knowledge already (flagged for review) can only be kept
                # in refinement or returned.
                choices=[
                    c
                    for c in OUTCOME_CHOICES
                    if c[0] != ReductionOutcome.ELEVATE or idea.stage not in SETTLED
                ],
                required=False,
                initial="",
            )
            self.fields[f"note_{idea.pk}"] = forms.CharField(
                label=_("Note: what is missing, or why"),
                widget=_area(3),
                required=False,
                max_length=5000,
            )

    def rows(self) -> list[dict[str, Any]]:
        return [
            {"idea": idea, "outcome": self[f"outcome_{idea.pk}"], "note": self[f"note_{idea.pk}"]}
            for idea in self.candidates
        ]

    def choices(self) -> list[tuple[Idea, str, str]]:
        data = self.cleaned_data
        return [
            (idea, data[f"outcome_{idea.pk}"], data.get(f"note_{idea.pk}", ""))
            for idea in self.candidates
            if data.get(f"outcome_{idea.pk}")
        ]


class ScheduleForm(forms.Form):
    cadence = forms.ChoiceField(label=_("How often"), choices=Cadence.choices)
    next_due_on = forms.DateField(
        label=_("Next due"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty to start one period from today."),
    )
