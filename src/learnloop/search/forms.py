"""The search page's GET form: the words and the filters, checked, turned into `Filters`.

A filter with a bad value (a date that is not a date, a page that is not a number) shows
its error beside the field and is left out; the search itself still runs.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from learnloop.search.engine import Filters
from learnloop.search.models import ItemType

MODE_CHOICES = [
    ("auto", _("Best match")),
    ("lexical", _("The words themselves")),
    ("semantic", _("Similar meaning")),
    ("fused", _("Words and meaning")),
]


def author_id_for(value: Any) -> int | None:
    """An author given as a person's id or username; None if there is no such person.
    (Every member may see who the network's members are.)"""
    from learnloop.people.models import Person

    text = str(value or "").strip()
    if not text:
        return None
    if text.isdigit():
        return int(text)
    found = Person.objects.filter(username__iexact=text).values_list("pk", flat=True).first()
    return int(found) if found is not None else -1  # nobody: matches nothing


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search for"), required=False, strip=True)
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Everything")), *ItemType.choices]
    )
    kind = forms.CharField(label=_("Kind"), required=False, max_length=20)
    stage = forms.CharField(label=_("Stage"), required=False, max_length=12)
    group = forms.IntegerField(label=_("Group"), required=False, min_value=1)
    organization = forms.IntegerField(label=_("Organization"), required=False, min_value=1)
    author = forms.CharField(label=_("Author"), required=False, max_length=150)
    since = forms.DateField(label=_("From"), required=False)
    until = forms.DateField(label=_("To"), required=False)
    mode = forms.ChoiceField(label=_("Match by"), required=False, choices=MODE_CHOICES)
    page = forms.IntegerField(required=False, min_value=1)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date is before the start date."))
        return data

    def value(self, name: str) -> Any:
        """A field's cleaned value, or None when it was empty or wrong."""
        if not self.is_bound:
            return None
        self.is_valid()
        return self.cleaned_data.get(name) if name not in self.errors else None

    def filters(self, *, member: bool) -> Filters:
        item_type = self.value("type")
        if item_type == ItemType.PERSON and not member:
            item_type = None  # people are found by members only
        author = author_id_for(self.value("author")) if member else None
        group, organization = self.value("group"), self.value("organization")
        return Filters(
            item_types=(item_type,) if item_type else (),
            kinds=(self.value("kind"),) if self.value("kind") else (),
            stages=(self.value("stage"),) if self.value("stage") else (),
            group_ids=(group,) if group and member else (),
            organization_ids=(organization,) if organization and member else (),
            author_ids=(author,) if author else (),
            since=self.value("since"),
            until=self.value("until"),
        )
