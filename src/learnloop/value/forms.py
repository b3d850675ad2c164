from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from learnloop.core.forms import ItemForm
from learnloop.value import selectors
from learnloop.value.models import ConveningKind, ValueCycle

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("format", "%Y-%m-%dT%H:%M")
        super().__init__(**kwargs)


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.site})" if obj.site else obj.name


class ConveningForm(ItemForm):
    title = forms.CharField(label=_("What is it called?"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=ConveningKind.choices, initial=ConveningKind.MEETING
    )
    starts_at = forms.DateTimeField(
        label=_("Starts"), input_formats=DATETIME_FORMATS, widget=DateTimeLocalInput()
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"),
        required=False,
        input_formats=DATETIME_FORMATS,
        widget=DateTimeLocalInput(),
        help_text=_("Leave empty for an hour."),
    )
    place = forms.CharField(label=_("Place"), required=False, max_length=300)
    link = forms.URLField(
        label=_("Link to join"),
        required=False,
        max_length=1000,
        assume_scheme="https",
        help_text=_("For an online meeting: the address people use to join."),
    )
    participants = PersonChoiceField(
        label=_("Who took part (in LearnLoop)"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Hold Ctrl (or ⌘) to choose several."),
    )
    other_participants = forms.IntegerField(
        label=_("Others taking part"),
        min_value=0,
        max_value=100000,
        initial=0,
        required=False,
        help_text=_("People who took part but are not in LearnLoop."),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Markdown works. The agenda, what was said, who said they would do what."),
    )
    outputs = forms.CharField(
        label=_("What came out of it"),
        required=False,
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Insights, decisions, new connections, things made together."),
    )

    field_order = [
        "title",
        "kind",
        "starts_at",
        "ends_at",
        "place",
        "link",
        "group",
        "visibility",
        "participants",
        "other_participants",
        "notes",
        "outputs",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from learnloop.people.models import Person

        self.fields["participants"].queryset = Person.objects.filter(  # type: ignore[attr-defined]
            is_active=True
        ).order_by("display_name", "username")

    def clean_other_participants(self) -> int:
        return self.cleaned_data.get("other_participants") or 0


class StoryForm(ItemForm):
    title = forms.CharField(label=_("The story, in a line"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Markdown works. Who was involved, and why this thread matters."),
    )

    field_order = ["title", "summary", "group", "visibility"]


class OutcomeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} — {obj.plan.title}"


class StepForm(forms.Form):
    """One step of a story. The pickers list only what the viewer may see."""

    cycle = forms.ChoiceField(label=_("Cycle of value"), choices=ValueCycle.choices)
    narrative = forms.CharField(
        label=_("What happened"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Markdown works. Tell it plainly, as you would to a colleague."),
    )
    indicator = forms.CharField(
        label=_("Indicator"),
        required=False,
        max_length=300,
        help_text=_("A sign you can point to, e.g. “attendance rose from 88% to 94%”."),
    )
    convening: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Convening"), queryset=None, required=False, empty_label=_("— none —")
    )
    learning: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Learning"), queryset=None, required=False, empty_label=_("— none —")
    )
    product: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Knowledge product"), queryset=None, required=False, empty_label=_("— none —")
    )
    outcome = OutcomeChoiceField(
        label=_("Adoption outcome"), queryset=None, required=False, empty_label=_("— none —")
    )
    measure_slug = forms.SlugField(
        label=_("Measure (its short name)"),
        required=False,
        max_length=200,
        help_text=_("The short name of a shared measure that shows the change, if any."),
    )

    LINKS = ("convening", "learning", "product", "outcome")

    def __init__(self, *args: Any, viewer: Any, step: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        self.hidden_links = 0
        self.fields["convening"].queryset = selectors.convening_choices(viewer)  # type: ignore[attr-defined]
        self.fields["learning"].queryset = selectors.learning_choices(viewer)  # type: ignore[attr-defined]
        self.fields["product"].queryset = selectors.product_choices(viewer)  # type: ignore[attr-defined]
        self.fields["outcome"].queryset = selectors.outcome_choices(viewer)  # type: ignore[attr-defined]
        if step is not None:
            # A record linked by someone else that this viewer may not see stays linked,
            # untouched: its picker is left out rather than shown empty.
            visible = selectors.link_ids(viewer, step)
            for name in self.LINKS:
                if getattr(step, f"{name}_id") is not None and visible[f"{name}_id"] is None:
                    del self.fields[name]
                    self.hidden_links += 1
