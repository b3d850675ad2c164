"""The contract between the search facade (`search.api`) and the engines behind it.

Lexical engines (the database's own full-text: FTS5 / tsvector, and Tantivy) and the
semantic index all answer in SearchDocument ids, ranked best first, already restricted to
what the viewer may see (`Scope`) and to the user's `Filters`. The facade re-checks every id
against the database with `core.access.visible_q` before showing anything, fuses lists, and
renders snippets from the current text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from learnloop.core import access


@dataclass(frozen=True)
class Scope:
    """Who is looking, reduced to what visibility needs (mirrors core.access.visible_q):
    anonymous → public only; members → public, network, their own, and group items of
    their groups (clusters included); stewards → every group item too. Never deleted."""

    anonymous: bool
    steward: bool = False
    person_id: int | None = None
    group_ids: frozenset[int] = frozenset()

    @classmethod
    def for_viewer(cls, viewer: Any) -> Scope:
        if not access.is_member(viewer):
            return cls(anonymous=True)
        return cls(
            anonymous=False,
            steward=access.is_steward(viewer),
            person_id=viewer.pk,
            group_ids=frozenset(access.group_ids(viewer)),
        )


@dataclass(frozen=True)
class Filters:
    item_types: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    group_ids: tuple[int, ...] = ()
    organization_ids: tuple[int, ...] = ()
    author_ids: tuple[int, ...] = ()
    since: date | None = None
    until: date | None = None
    exclude_ids: tuple[int, ...] = ()  # SearchDocument ids (the item itself, for "related")


@dataclass(frozen=True)
class ParsedQuery:
    """What survived parsing a user's text. `message` is set when nothing searchable is
    left (shown to the user; never an error)."""

    raw: str
    terms: tuple[str, ...] = ()  # plain words, lower-cased, unstemmed
    phrases: tuple[tuple[str, ...], ...] = ()  # "quoted phrases"
    prefixes: tuple[str, ...] = ()  # word* (at least 2 letters before the star)
    excluded: tuple[str, ...] = ()  # -word
    message: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.terms or self.phrases or self.prefixes)


FACETS = ("item_type", "kind", "stage", "group_id", "organization_id")


@dataclass
class Hits:
    doc_ids: list[int]  # SearchDocument ids, best first
    total: int = 0  # every match in scope and filters, not only this page
    facets: dict[str, dict[str, int]] = field(default_factory=dict)  # FACETS → value → count
    scores: list[float] = field(default_factory=list)
    # Documents changed since a derived index (Tantivy) last caught up: left out of
    # doc_ids, total and facets; the facade checks them against the database instead.
    pending_ids: list[int] = field(default_factory=list)


class LexicalEngine(Protocol):
    name: str

    def search(
        self,
        query: ParsedQuery,
        scope: Scope,
        filters: Filters,
        *,
        limit: int,
        offset: int = 0,
        facets: bool = False,
    ) -> Hits: ...

    def search_text(self, text: str, scope: Scope, filters: Filters, *, limit: int) -> Hits:
        """A long text as the query (related items, duplicate suggestions): BM25 over its
        rarest terms, so that cost does not grow with the text."""
        ...

    def apply_changes(self) -> int:
        """Bring a derived index up to date with SearchChange; return rows applied."""
        ...

    def rebuild(self, progress: Callable[[int, int], None] | None = None) -> int: ...
