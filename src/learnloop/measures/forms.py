from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from learnloop.core.forms import postable_groups
from learnloop.measures.models import (
    Aggregation,
    Direction,
    Frequency,
    Measure,
    MeasureKind,
)


class MeasureForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    slug = forms.SlugField(
        label=_("Short name"),
        max_length=80,
        required=False,
        help_text=_("Used in web addresses and CSV files; made from the name if left empty."),
    )
    description = forms.CharField(
        label=_("What it measures and how it is counted"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=MeasureKind.choices)
    unit = forms.CharField(
        label=_("Unit"),
        max_length=40,
        required=False,
        help_text=_("For example: %, students, days, families called."),
    )
    direction = forms.ChoiceField(label=_("Which way is better"), choices=Direction.choices)
    target = forms.DecimalField(label=_("Target"), required=False, max_digits=14, decimal_places=4)
    frequency = forms.ChoiceField(label=_("Reported"), choices=Frequency.choices)
    aggregation = forms.ChoiceField(
        label=_("Network figure"),
        required=False,
        choices=[("", _("By kind: sum for process, mean for outcome")), *Aggregation.choices],
    )
    breakdowns = forms.CharField(
        label=_("Breakdowns"),
        required=False,
        max_length=300,
        help_text=_(
            "Comma-separated, e.g. population, grade. Groups and sites are always available."
        ),
    )
    active = forms.BooleanField(label=_("Still reported"), required=False, initial=True)


class DataPointForm(forms.Form):
    period = forms.CharField(
        label=_("Period"),
        max_length=40,
        help_text=_("A date or 2024-03 (month), 2024-Q1 (quarter), 2024-W11 (week)."),
    )
    value = forms.CharField(label=_("Value"), max_length=40)
    group: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Group"),
        empty_label=_("— no group: give a site —"),
    )
    site = forms.CharField(label=_("Site"), max_length=150, required=False)
    note = forms.CharField(
        label=_("Note"),
        max_length=500,
        required=False,
        help_text=_("Anything a reader should know, e.g. a change in how it was counted."),
    )

    def __init__(self, *args: Any, viewer: Any, measure: Measure, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = postable_groups(viewer)  # type: ignore[attr-defined]
        self.breakdown_fields = []
        for name in measure.breakdowns:
            key = f"bd_{name}"
            self.fields[key] = forms.CharField(
                label=_("Breakdown: %(name)s") % {"name": name.replace("_", " ")},
                max_length=100,
                required=False,
                help_text=_("Leave empty for the figure for everyone."),
            )
            self.breakdown_fields.append((name, key))

    def breakdown(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(key, "") for name, key in self.breakdown_fields}


class CorrectionForm(forms.Form):
    value = forms.CharField(label=_("Value"), max_length=40)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: measure, period, value, and optionally group, site, note and one column "
            "per breakdown. Commas or semicolons both work."
        ),
    )
    measure = forms.ModelChoiceField(
        queryset=Measure.objects.filter(active=True).order_by("name"),
        required=False,
        to_field_name="slug",
        label=_("Every row is for this measure"),
        empty_label=_("— my file has a measure column —"),
    )


class LinkForm(forms.Form):
    """On the measure page: an idea or a test cycle the viewer can see."""

    idea = forms.TypedChoiceField(label=_("Idea"), coerce=int, required=False, empty_value=None)
    test_cycle = forms.TypedChoiceField(
        label=_("Test cycle"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, ideas: Any = (), cycles: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["idea"].choices = [("", _("— choose an idea —"))] + [  # type: ignore[attr-defined]
            (i.pk, i.title) for i in ideas
        ]
        self.fields["test_cycle"].choices = [("", _("— or a test cycle —"))] + [  # type: ignore[attr-defined]
            (c.pk, c.title) for c in cycles
        ]


class ChooseMeasureForm(forms.Form):
    measure = forms.ModelChoiceField(
        queryset=Measure.objects.filter(active=True).order_by("name"),
        to_field_name="slug",
        label=_("Measure it aims to move"),
    )
