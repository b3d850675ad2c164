"""Forms for decisions: proposing a stage move, voting, withdrawing, overriding."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learnloop.consolidation.models import DecisionKind, DecisionStatus, VoteChoice

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def default_closing() -> str:
    closes = timezone.localtime() + timedelta(days=settings.DECISION_DAYS)
    return closes.replace(second=0, microsecond=0).strftime(DATETIME_FORMAT)


class ClosingField(forms.DateTimeField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Voting closes"))
        kwargs.setdefault(
            "help_text",
            _("Give people time to read and weigh it: a week is usual."),
        )
        kwargs.setdefault(
            "widget",
            forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        )
        super().__init__(**kwargs)


class TermsForm(forms.Form):
    """When the vote closes, how many must take part, and what share must agree."""

    closes_at = ClosingField()
    quorum = forms.IntegerField(
        label=_("Quorum: the least number of votes"),
        min_value=1,
        max_value=10000,
        help_text=_("Abstentions count as taking part. With fewer votes nothing is decided."),
    )
    threshold = forms.IntegerField(
        label=_("Threshold: the share of agree needed (%)"),
        min_value=1,
        max_value=100,
        help_text=_("Counted among those who agree or disagree. Any block stops the proposal."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("closes_at", default_closing())
        initial.setdefault("quorum", settings.DECISION_QUORUM)
        initial.setdefault("threshold", settings.DECISION_THRESHOLD)
        super().__init__(*args, **kwargs)


class ProposeStageForm(TermsForm):
    to_stage = forms.ChoiceField(label=_("Move it to"), choices=())
    rationale = forms.CharField(
        label=_("Why (required)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20000,
        required=False,  # the service says clearly what is missing
        help_text=_(
            "Point to the evidence and to the standards it meets or misses. Markdown works."
        ),
    )

    field_order = ["to_stage", "rationale", "closes_at", "quorum", "threshold"]

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "propose-%s")  # unique ids on the idea page
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].choices = choices  # type: ignore[attr-defined]


class SubmitVersionForm(TermsForm):
    rationale = forms.CharField(
        label=_("Why the network should adopt it (required)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=20000,
        required=False,
        help_text=_("What changes, and what problem with the current standards it solves."),
    )

    field_order = ["rationale", "closes_at", "quorum", "threshold"]


class OverrideForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("Set it to"), choices=())
    reason = forms.CharField(
        label=_("Why you override (required)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10000,
        required=False,
        help_text=_("Shown on the idea beside the stage, for everyone to read."),
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "override-%s")
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].choices = choices  # type: ignore[attr-defined]


class VoteForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("Your vote"), choices=VoteChoice.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
        help_text=_("Optional, except for a block: say what would have to change."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "vote-%s")
        super().__init__(*args, **kwargs)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you withdraw it (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "withdraw-%s")
        super().__init__(*args, **kwargs)


STATUS_FILTERS = [("open", DecisionStatus.OPEN.label), ("closed", _("Closed"))]
KIND_FILTERS = DecisionKind.choices
