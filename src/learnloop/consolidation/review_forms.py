"""Forms for reviews and for resolving a review flag.

The review form has three fields per criterion of the current standards (named as the
service names its errors, see `review_services.score_field`). They are optional here:
the service checks that every criterion has a verdict and a reason, and its messages name
the criterion, for the web and the API alike.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from learnloop.consolidation.models import Criterion, Evidence, Review, Verdict
from learnloop.consolidation.review_services import score_field


def _evidence_label(row: Evidence) -> str:
    return f"{row.get_relation_display()}: {row.learning.title}"


class ReviewForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    summary = forms.CharField(
        label=_("Overall, how does the idea stand against the standards?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=10000,
    )
    missing = forms.CharField(
        label=_("What is still missing?"),
        help_text=_("Evidence, contexts or voices that would settle the open questions."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=10000,
    )

    def __init__(
        self,
        *args: Any,
        criteria: list[Criterion],
        evidence: list[Evidence],
        review: Review | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        choices = [(str(row.pk), _evidence_label(row)) for row in evidence]
        given = {s.criterion_id: s for s in review.scores.all()} if review else {}
        if review is not None:
            self.initial.setdefault("summary", review.summary)
            self.initial.setdefault("missing", review.missing)
        for criterion in criteria:
            cid = criterion.pk
            score = given.get(cid)
            self.fields[score_field(cid, "verdict")] = forms.ChoiceField(
                label=_("Verdict"),
                choices=Verdict.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=score.verdict if score else None,
            )
            self.fields[score_field(cid, "justification")] = forms.CharField(
                label=_("Why (required)"),
                widget=forms.Textarea(attrs={"rows": 3, "maxlength": 5000}),
                required=False,
                initial=score.justification if score else "",
            )
            self.fields[score_field(cid, "evidence")] = forms.MultipleChoiceField(
                label=_("Evidence behind your verdict"),
                choices=choices,
                widget=forms.CheckboxSelectMultiple,
                required=False,
                initial=[str(e.pk) for e in score.evidence.all()] if score else [],
                error_messages={
                    "invalid_choice": _("Link only evidence listed on this idea."),
                },
            )

    def criterion_fields(self) -> list[dict[str, Any]]:
        """The bound fields of each criterion, for the template."""
        return [
            {
                "criterion": c,
                "verdict": self[score_field(c.pk, "verdict")],
                "justification": self[score_field(c.pk, "justification")],
                "evidence": self[score_field(c.pk, "evidence")],
            }
            for c in self.criteria
        ]

    def scores(self) -> list[dict[str, Any]]:
        """The cleaned scores in the shape `review_services.review_submit` takes."""
        data = self.cleaned_data
        return [
            {
                "criterion_id": c.pk,
                "verdict": data.get(score_field(c.pk, "verdict")) or "",
                "justification": data.get(score_field(c.pk, "justification")) or "",
                "evidence_ids": [int(x) for x in data.get(score_field(c.pk, "evidence")) or []],
            }
            for c in self.criteria
        ]


class ResolveFlagForm(forms.Form):
    note = forms.CharField(
        label=_("How was the contradicting evidence weighed?"),
        help_text=_("Your note is added to the idea's discussion."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
