"""The form for writing and editing an opportunity narrative."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from learnloop.core import access
from learnloop.core.forms import ItemForm, TagsField

# How many recent questions and ideas the form offers (the linked ones are always shown).
OFFERED = 60


def _question_label(question: Any) -> str:
    where = question.group.name if question.group_id else _("the network")
    return f"{question.title} ({where})"


def _idea_label(idea: Any) -> str:
    return f"{idea.title} ({idea.get_stage_display()})"


class NarrativeForm(ItemForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    opportunity = forms.CharField(
        label=_("The opportunity"),
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("What could be better, for whom, and why now. Markdown is fine."),
    )
    call_to_act = forms.CharField(
        label=_("The call to act"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What you ask groups and people to do, in a few plain sentences."),
    )
    tags = TagsField()
    groups: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label=_("Groups working on it"),
        widget=forms.CheckboxSelectMultiple,
    )
    questions: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label=_("Questions it asks"),
        widget=forms.CheckboxSelectMultiple,
    )
    ideas: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label=_("Ideas working on it"),
        widget=forms.CheckboxSelectMultiple,
    )

    field_order = [
        "title",
        "opportunity",
        "call_to_act",
        "group",
        "visibility",
        "tags",
        "groups",
        "questions",
        "ideas",
    ]

    def __init__(self, *args: Any, viewer: Any, narrative: Any = None, **kwargs: Any) -> None:
        from learnloop.community import narrative_selectors as selectors
        from learnloop.community.narrative_services import publishable_spaces
        from learnloop.people.models import Group, GroupKind

        super().__init__(*args, viewer=viewer, **kwargs)
        scope = self.fields["group"]
        scope.label = _("For")
        scope.help_text = _(
            "The whole network (stewards) or one creation space. Group visibility keeps it "
            "within the space."
        )
        # The narrative's own space stays a choice for whoever may edit it.
        scopes = Q(pk__in=publishable_spaces(viewer).values("pk"))
        if narrative is not None and narrative.group_id:
            scopes |= Q(pk=narrative.group_id)
        scope.queryset = Group.objects.filter(scopes).order_by("name")  # type: ignore[attr-defined]
        if not access.is_steward(viewer):
            scope.required = True
            scope.empty_label = None  # type: ignore[attr-defined]
        groups = Group.objects.filter(archived_at__isnull=True).exclude(kind=GroupKind.CLUSTER)
        self.fields["groups"].queryset = groups.order_by("name")  # type: ignore[attr-defined]
        self.fields["groups"].help_text = _("For a space, choose among the groups linked to it.")
        for name, qs, label in (
            ("questions", selectors.linkable_questions(viewer=viewer), _question_label),
            ("ideas", selectors.linkable_ideas(viewer=viewer), _idea_label),
        ):
            field = self.fields[name]
            field.queryset = qs  # type: ignore[attr-defined]
            linked = set()
            if narrative is not None:
                linked = set(getattr(narrative, name).values_list("pk", flat=True))
            sent = self.data.getlist(name) if self.is_bound else []  # type: ignore[attr-defined]
            for value in sent:
                if str(value).isdigit():
                    linked.add(int(value))
            offered = list(qs[:OFFERED])
            shown = {o.pk for o in offered}
            offered += list(qs.filter(pk__in=linked - shown))
            # Only a window of recent records is offered (validation still covers them all).
            field.widget.choices = [(o.pk, label(o)) for o in offered]
