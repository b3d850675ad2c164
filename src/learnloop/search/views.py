"""The search page and the suggestions under the header's search box. Thin: the form
checks the input, `searching` does the rest."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from learnloop.core import access
from learnloop.core.http import Request
from learnloop.search import searching
from learnloop.search.forms import SearchForm
from learnloop.search.models import ItemType

SUGGESTIONS = 6


def _options(result: searching.SearchResult, viewer: Any, form: SearchForm) -> dict[str, Any]:
    """Choices for the filters, each with how many results it would keep."""
    from learnloop.capture.models import ProductKind
    from learnloop.consolidation.models import Stage
    from learnloop.generation.models import LearningKind
    from learnloop.people.models import Group, Organization, StakeholderType

    member = access.is_member(viewer)
    counts = {name: {v.value: v.count for v in values} for name, values in result.facets.items()}

    def rows(facet: str, choices: Any, chosen: Any) -> list[dict[str, Any]]:
        return [
            {
                "value": str(value),
                "label": label,
                "count": counts.get(facet, {}).get(str(value)),
                "selected": str(value) == str(chosen or ""),
            }
            for value, label in choices
        ]

    types = [c for c in ItemType.choices if member or c[0] != ItemType.PERSON]
    kinds = [
        (_group_label("learning"), rows("kind", LearningKind.choices, form.value("kind"))),
        (_group_label("product"), rows("kind", ProductKind.choices, form.value("kind"))),
    ]
    if member:
        kinds.append(
            (_group_label("person"), rows("kind", StakeholderType.choices, form.value("kind")))
        )
    options: dict[str, Any] = {
        "types": rows("item_type", types, form.value("type")),
        "kinds": kinds,
        "stages": rows("stage", Stage.choices, form.value("stage")),
        "modes": [
            {"value": v, "label": label, "selected": v == (form.value("mode") or "auto")}
            for v, label in form.fields["mode"].choices  # type: ignore[attr-defined]
        ],
    }
    if member:
        groups = Group.objects.filter(archived_at__isnull=True).order_by("name")
        options["groups"] = rows("group_id", groups.values_list("pk", "name"), form.value("group"))
        organizations = Organization.objects.order_by("name").values_list("pk", "name")
        options["organizations"] = rows(
            "organization_id", organizations, form.value("organization")
        )
    return options


def _group_label(item_type: str) -> str:
    return searching.type_label(item_type)


@require_GET
def search_page(request: Request) -> HttpResponse:
    form = SearchForm(request.GET or None)
    member = access.is_member(request.user)
    text = form.value("q") or ""
    filters = form.filters(member=member)
    asked = bool(text.strip()) or searching.has_filters(filters)
    result = searching.search(
        viewer=request.user,
        text=text,
        filters=filters,
        mode=form.value("mode") or "auto",
        page=form.value("page") or 1,
    )
    context = {
        "form": form,
        "q": text,
        "asked": asked,
        "result": result,
        "options": _options(result, request.user, form),
        "member": member,
        "filters_open": searching.has_filters(filters) or bool(form.errors),
    }
    return render(request, "search/search.html", context)


@require_GET
def suggest(request: Request) -> HttpResponse:
    """The list under the header's search box while someone types (htmx)."""
    text = request.GET.get("q", "")[:200]
    suggestions = searching.suggest(viewer=request.user, text=text, limit=SUGGESTIONS)
    return render(
        request, "search/_suggestions.html", {"suggestions": suggestions, "q": text.strip()}
    )
