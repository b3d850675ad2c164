from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from learnloop.application.models import (
    ActionKind,
    AdoptionPlan,
    AdoptionState,
    StakeholderStep,
)
from learnloop.core.forms import ItemForm, add_guideline_check, pop_guideline_check
from learnloop.core.models import Visibility
from learnloop.people.models import Group, Organization, Person


class PlanForm(ItemForm):
    title = forms.CharField(label=_("Name of the plan"), max_length=200)
    goal = forms.CharField(
        label=_("Goal"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What will be different, for whom, and by when? Markdown works."),
    )

    field_order = ["title", "goal", "share", "group", "visibility"]

    def __init__(self, *args: Any, product: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if product is not None:
            # Only when starting a plan: which share of this product it grew out of.
            from learnloop.sharing.models import Share

            field = ShareChoiceField(
                queryset=Share.objects.filter(product=product).order_by("-shared_at", "-id"),
                required=False,
                label=_("Started from a share"),
                empty_label=_("— not from a share —"),
                help_text=_("The time this product was carried to the people who now plan it."),
            )
            self.fields["share"] = field
            self.order_fields(self.field_order)


class ShareChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        from django.utils import formats, timezone

        when = formats.date_format(timezone.localtime(obj.shared_at), "j M Y")
        return str(_("%(audience)s, %(date)s") % {"audience": obj.audience, "date": when})


class StepForm(forms.Form):
    person = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label=_("A person"),
        empty_label=_("— nobody in particular —"),
    )
    group = forms.ModelChoiceField(
        queryset=Group.objects.none(),
        required=False,
        label=_("A group"),
        empty_label=_("— no group —"),
    )
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.none(),
        required=False,
        label=_("An organization"),
        empty_label=_("— no organization —"),
    )
    label = forms.CharField(
        label=_("Or name them"),
        required=False,
        max_length=200,
        help_text=_(
            "Pick exactly one of the four, e.g. “district finance office” when they are "
            "not in LearnLoop."
        ),
    )
    action_kind = forms.ChoiceField(
        label=_("What is asked of them"), choices=ActionKind.choices, initial=ActionKind.ACT
    )
    action = forms.CharField(
        label=_("The action, in their terms"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    motivations = forms.CharField(
        label=_("What motivates them"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    barriers = forms.CharField(
        label=_("What blocks them"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    support = forms.CharField(
        label=_("Support planned"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Coaching, time, money, a champion: what will help them move."),
    )
    next_review_on = forms.DateField(
        label=_("Next review"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    state = forms.ChoiceField(
        label=_("Where they are now"), choices=AdoptionState.choices, initial="not_reached"
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(is_active=True).order_by(  # type: ignore[attr-defined]
            "display_name", "username"
        )
        self.fields["group"].queryset = Group.objects.filter(  # type: ignore[attr-defined]
            archived_at__isnull=True
        ).order_by("name")
        self.fields["organization"].queryset = Organization.objects.order_by("name")  # type: ignore[attr-defined]
        if editing:
            # The state moves through a review, which keeps the history.
            del self.fields["state"]


class StepStateForm(forms.Form):
    state = forms.ChoiceField(label=_("Where they are now"), choices=AdoptionState.choices)
    note = forms.CharField(
        label=_("What happened since the last review"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    next_review_on = forms.DateField(
        label=_("Next review"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class OutcomeForm(forms.Form):
    title = forms.CharField(label=_("The outcome, in a line"), max_length=200)
    description = forms.CharField(
        label=_("What happened"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What changed, for whom, and how you know. Markdown works."),
    )
    step = forms.ModelChoiceField(
        queryset=StakeholderStep.objects.none(),
        required=False,
        label=_("Stakeholder"),
        empty_label=_("— the plan as a whole —"),
    )
    relation = forms.ChoiceField(
        label=_("How it bears on the ideas behind the product"), initial="supports"
    )
    kind = forms.ChoiceField(label=_("Kind of learning"), initial="observation")
    visibility = forms.ChoiceField(
        label=_("Who can see the learning it becomes"),
        choices=Visibility.choices,
        help_text=_("The outcome itself shows on the plan to everyone who can see the plan."),
    )

    def __init__(self, *args: Any, plan: AdoptionPlan, **kwargs: Any) -> None:
        from learnloop.consolidation.models import Relation
        from learnloop.generation.models import LearningKind

        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("visibility", plan.visibility)
        super().__init__(*args, **kwargs)
        self.fields["step"].queryset = plan.steps.select_related(  # type: ignore[attr-defined]
            "person", "group", "organization"
        )
        self.fields["step"].label_from_instance = lambda s: s.stakeholder_name  # type: ignore[attr-defined]
        self.fields["relation"].choices = Relation.choices  # type: ignore[attr-defined]
        self.fields["kind"].choices = LearningKind.choices  # type: ignore[attr-defined]
        if plan.group_id is None:
            self.fields["visibility"].choices = [  # type: ignore[attr-defined]
                c for c in Visibility.choices if c[0] != Visibility.GROUP
            ]
        add_guideline_check(self)

    guidelines_confirmed: bool = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.guidelines_confirmed = pop_guideline_check(self, data)
        return data
