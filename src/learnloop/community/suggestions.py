"""People who might know: for an open question, the members whose work speaks to it.

A member is suggested from what they have contributed on the question's topic — its tags
and the telling words of its title — and from the expertise they list on their profile:

* learnings they wrote and ideas they proposed, tagged with or titled by the topic;
* answers they gave to other questions on the topic (an accepted answer counts most);
* work close in meaning to the question — learnings and ideas they wrote, answers to
  similar questions, ideas they endorsed — from the semantic layer (search/helpers.py),
  which also finds people whose work uses other words for the same thing.

Every count is made only from records the *viewer* may see, so that a reason shown on the
page ("wrote 4 learnings tagged attendance") never reveals a record the viewer could not
open. Only people who may see the question themselves are suggested (asking anyone else
would leak it), never its asker, anyone who has answered already, or inactive accounts.
The work is a fixed number of grouped queries, whatever the size of the network.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Max, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from learnloop.core import access
from learnloop.core.models import Visibility

# Words that say nothing about a topic. Kept short and plain: titles are short.
STOPWORDS = frozenset(
    [
        "about",
        "above",
        "after",
        "again",
        "against",
        "also",
        "among",
        "another",
        "anyone",
        "anything",
        "around",
        "because",
        "been",
        "before",
        "being",
        "below",
        "best",
        "better",
        "between",
        "both",
        "could",
        "does",
        "doing",
        "done",
        "during",
        "each",
        "either",
        "else",
        "ever",
        "every",
        "from",
        "gets",
        "getting",
        "have",
        "having",
        "here",
        "into",
        "itself",
        "just",
        "keep",
        "know",
        "like",
        "made",
        "make",
        "makes",
        "making",
        "many",
        "more",
        "most",
        "much",
        "must",
        "need",
        "needs",
        "other",
        "others",
        "ought",
        "over",
        "own",
        "people",
        "really",
        "same",
        "school",
        "schools",
        "should",
        "since",
        "some",
        "something",
        "still",
        "such",
        "take",
        "than",
        "that",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "thing",
        "things",
        "this",
        "those",
        "though",
        "through",
        "time",
        "times",
        "under",
        "until",
        "very",
        "want",
        "ways",
        "week",
        "weeks",
        "well",
        "were",
        "what",
        "whats",
        "when",
        "where",
        "whether",
        "which",
        "while",
        "who",
        "whom",
        "whose",
        "why",
        "will",
        "with",
        "within",
        "without",
        "work",
        "works",
        "would",
        "year",
        "years",
        "your",
        "yours",
        "anybody",
        "someone",
        "tried",
        "trying",
        "works",
        "worked",
        "help",
        "helps",
        "helped",
        "start",
        "started",
        "first",
        "again",
        "really",
        "does",
        "anyone",
        "else",
        "idea",
        "ideas",
        "question",
        "questions",
        "learning",
        "learnings",
    ]
)
MIN_WORD = 4
MAX_WORDS = 5
MAX_ROWS = 4000  # cap on rows read for word matches on a very large network
DEFAULT_LIMIT = 5
REASONS_SHOWN = 3

# How much each kind of contribution counts, per item (each kind is capped at CAP items).
WEIGHTS = {
    "accepted_tag": 4.0,
    "accepted_word": 3.0,
    "idea_tag": 3.0,
    "expertise": 4.0,
    "learning_tag": 2.0,
    "answer_tag": 1.5,
    "idea_word": 1.5,
    "learning_word": 1.0,
    "answer_word": 1.0,
}
CAP = 6
# The semantic signal: a person's summed similarity (search.helpers.contributions, about
# 0.3-1 per close item) times this, so that one close learning weighs about as much as one
# learning tagged with the topic.
SEMANTIC_WEIGHT = 2.5
SEMANTIC_CAP = 3.0  # summed similarity counted at most
# A word found in more than this share of the learnings' titles is too common to tell
# anything (checked once there are enough learnings to say).
COMMON_SHARE = 0.08
COMMON_FLOOR = 40


@dataclass
class Topic:
    tags: list[tuple[int, str]]  # (tag id, name)
    words: list[str]

    @property
    def empty(self) -> bool:
        return not self.tags and not self.words


@dataclass
class Suggestion:
    person: Any
    score: float
    reasons: list[str] = field(default_factory=list)
    asked_at: datetime | None = None


def words_of(text: str) -> list[str]:
    """Telling words of a text, most frequent first (then in order of appearance)."""
    found = [w.strip("'\u2019-") for w in re.findall("[^\\W\\d_][\\w'\u2019-]*", text.lower())]
    found = [w for w in found if len(w) >= MIN_WORD and w not in STOPWORDS]
    counts = Counter(found)
    order = {w: i for i, w in reversed(list(enumerate(found)))}
    return sorted(counts, key=lambda w: (-counts[w], order[w]))


def _stem(word: str) -> str:
    """A rough stem so that 'buses' finds 'bus' and 'mentors' finds 'mentoring'."""
    if len(word) < 5:
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("ing") and len(word) >= 7:
        return word[:-3]
    if word.endswith("es") and word[:-2].endswith(("s", "x", "z", "ch", "sh")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def topic_of(question: Any) -> Topic:
    tags = sorted((t.pk, t.name) for t in question.tags.all())
    tag_words = {w for _pk, name in tags for w in name.split()}
    words = words_of(f"{question.title} {question.title} {question.body}")
    words = [w for w in words if w not in tag_words][:MAX_WORDS]
    return Topic(tags=tags, words=words)


def may_see_question_q(question: Any, prefix: str = "") -> Q:
    """People (a Person filter) who may see the question: the mirror of access.can_view."""

    def f(**kw: Any) -> Q:
        return Q(**{prefix + k: v for k, v in kw.items()})

    if question.deleted_at is not None or question.visibility == Visibility.DRAFT:
        return f(pk__in=[])
    if question.visibility == Visibility.GROUP:
        return (
            f(is_steward=True)
            | f(is_superuser=True)
            | f(memberships__group_id=question.group_id)
            # A creation space: everyone in one of its linked groups takes part in it.
            | f(memberships__group__clusters=question.group_id)
        )
    return f(pk__isnull=False)


def excluded_ids(question: Any) -> set[int]:
    """The asker and everyone who has answered already (they need no invitation)."""
    return _excluded_ids(question)


def _excluded_ids(question: Any) -> set[int]:
    from learnloop.generation.models import Answer

    answered = Answer.objects.filter(question=question, deleted_at__isnull=True)
    return {question.author_id, *answered.values_list("author_id", flat=True)}


def _telling_stems(viewer: Any, words: list[str]) -> dict[str, str]:
    """word → stem, without the words so common in the network's learnings that they say
    nothing about who knows what (in a ninth-grade network, "ninth"). One query."""
    from learnloop.generation.models import Learning

    stems = {w: _stem(w) for w in words}
    if not stems:
        return {}
    counts = Learning.objects.filter(access.visible_q(viewer)).aggregate(
        total=Count("id"),
        **{
            f"w{i}": Count("id", filter=Q(title__icontains=stem))
            for i, stem in enumerate(stems.values())
        },
    )
    total = counts["total"] or 0
    if total < COMMON_FLOOR:
        return stems
    return {
        word: stem
        for i, (word, stem) in enumerate(stems.items())
        if counts[f"w{i}"] <= total * COMMON_SHARE
    }


def _collect(viewer: Any, question: Any, topic: Topic) -> dict[int, dict[tuple[str, str], int]]:
    """person id → {(kind, what): count}, counted from what the viewer may see."""
    from learnloop.consolidation.models import Idea
    from learnloop.generation.models import Answer, Learning

    vq = access.visible_q
    found: dict[int, dict[tuple[str, str], int]] = defaultdict(lambda: defaultdict(int))
    tag_ids = [pk for pk, _name in topic.tags]
    if tag_ids:
        learning_rows = (
            Learning.tags.through.objects.filter(vq(viewer, "learning__"), tag_id__in=tag_ids)
            .values("learning__author_id", "tag__name")
            .annotate(n=Count("learning_id", distinct=True))
            .order_by()
        )
        for row in learning_rows:
            found[row["learning__author_id"]][("learning_tag", row["tag__name"])] += row["n"]
        idea_rows = (
            Idea.tags.through.objects.filter(vq(viewer, "idea__"), tag_id__in=tag_ids)
            .values("idea__author_id", "tag__name")
            .annotate(n=Count("idea_id", distinct=True))
            .order_by()
        )
        for row in idea_rows:
            found[row["idea__author_id"]][("idea_tag", row["tag__name"])] += row["n"]
        answer_rows = (
            Answer.objects.filter(
                vq(viewer, "question__"),
                deleted_at__isnull=True,
                question__tags__in=tag_ids,
            )
            .exclude(question=question)
            .values("author_id", "question__tags__name", "accepted")
            .annotate(n=Count("question_id", distinct=True))
            .order_by()
        )
        for row in answer_rows:
            kind = "accepted_tag" if row["accepted"] else "answer_tag"
            found[row["author_id"]][(kind, row["question__tags__name"])] += row["n"]
    stems = _telling_stems(viewer, topic.words)
    if stems:
        any_word = Q()
        for stem in stems.values():
            any_word |= Q(title__icontains=stem)
        sources = (
            ("learning_word", Learning.objects.filter(vq(viewer)), "author_id", "title"),
            ("idea_word", Idea.objects.filter(vq(viewer)), "author_id", "title"),
        )
        for kind, qs, who, title in sources:
            for author_id, text in qs.filter(any_word).values_list(who, title)[:MAX_ROWS]:
                low = text.lower()
                for word, stem in stems.items():
                    if stem in low:
                        found[author_id][(kind, word)] += 1
        answer_word = Q()
        for stem in stems.values():
            answer_word |= Q(question__title__icontains=stem)
        answers = (
            Answer.objects.filter(vq(viewer, "question__"), answer_word, deleted_at__isnull=True)
            .exclude(question=question)
            .values_list("author_id", "question__title", "accepted")
            .distinct()[:MAX_ROWS]
        )
        for author_id, text, accepted in answers:
            low = text.lower()
            for word, stem in stems.items():
                if stem in low:
                    kind = "accepted_word" if accepted else "answer_word"
                    found[author_id][(kind, word)] += 1
    return found


def _expertise_matches(person: Any, topic: Topic) -> list[str]:
    listed = [e.lower() for e in person.expertise_list]
    terms = [name for _pk, name in topic.tags] + topic.words
    matches = []
    for term in terms:
        stem = _stem(term)
        hit = next((e for e in listed if stem in e or e in term), None)
        if hit is not None and hit not in matches:
            matches.append(hit)
    return matches


def _reason(kind: str, what: str, n: int) -> str:
    params = {"n": n, "what": what}
    texts = {
        "learning_tag": ngettext(
            "wrote %(n)d learning tagged %(what)s", "wrote %(n)d learnings tagged %(what)s", n
        ),
        "idea_tag": ngettext(
            "proposed %(n)d idea tagged %(what)s", "proposed %(n)d ideas tagged %(what)s", n
        ),
        "accepted_tag": ngettext(
            "gave %(n)d accepted answer on %(what)s",
            "gave %(n)d accepted answers on %(what)s",
            n,
        ),
        "answer_tag": ngettext(
            "answered %(n)d question tagged %(what)s",
            "answered %(n)d questions tagged %(what)s",
            n,
        ),
        "learning_word": ngettext(
            "wrote %(n)d learning about “%(what)s”", "wrote %(n)d learnings about “%(what)s”", n
        ),
        "idea_word": ngettext(
            "proposed %(n)d idea about “%(what)s”", "proposed %(n)d ideas about “%(what)s”", n
        ),
        "accepted_word": ngettext(
            "gave %(n)d accepted answer about “%(what)s”",
            "gave %(n)d accepted answers about “%(what)s”",
            n,
        ),
        "answer_word": ngettext(
            "answered %(n)d question about “%(what)s”",
            "answered %(n)d questions about “%(what)s”",
            n,
        ),
    }
    return texts[kind] % params


def _semantic(viewer: Any, question: Any) -> dict[int, list[tuple[float, str]]]:
    """person id → [(weight, reason)] from work close in meaning to the question that the
    viewer may see (see search.helpers); the reason names the closest such item. Skipped
    (at no cost) while the network has no semantic model."""
    from learnloop.search.helpers import contributions
    from learnloop.search.semantic import probably_ready

    if not probably_ready():
        return {}
    found = contributions(
        viewer=viewer, item_type="question", item=question, lexical_fallback=False
    )
    parts: dict[int, list[tuple[float, str]]] = {}
    for person_id, items in found.items():
        items = sorted(items, key=lambda p: (-p[0], p[1].title))
        total = min(SEMANTIC_CAP, sum(weight for weight, _because in items))
        best = items[0][1]
        if len(items) > 1:
            reason = ngettext(
                "%(what)s, and %(n)d more close to this question",
                "%(what)s, and %(n)d more close to this question",
                len(items) - 1,
            ) % {"what": best.text, "n": len(items) - 1}
        else:
            reason = _("%(what)s, close to this question") % {"what": best.text}
        parts[person_id] = [(SEMANTIC_WEIGHT * total, reason)]
    return parts


def people_who_might_know(
    *, viewer: Any, question: Any, limit: int = DEFAULT_LIMIT
) -> list[Suggestion]:
    """Members ranked by how much their visible work speaks to the question, each with the
    reasons, and when they were last asked to answer it (if they were)."""
    from learnloop.notifications.models import Notification, NotificationKind
    from learnloop.people.models import Person

    if not access.is_member(viewer) or not access.can_view(viewer, question):
        return []
    if question.deleted_at is not None:
        return []
    topic = topic_of(question)
    close = _semantic(viewer, question)
    if topic.empty and not close:
        return []
    found = _collect(viewer, question, topic) if not topic.empty else {}
    excluded = _excluded_ids(question)
    people = Person.objects.filter(is_active=True).exclude(pk__in=excluded)
    people = people.filter(may_see_question_q(question))
    expertise_q = Q(pk__in=[])
    for term in [name for _pk, name in topic.tags] + topic.words:
        expertise_q |= Q(expertise__icontains=_stem(term))
    known = sorted(set(found) | set(close))
    candidates = people.filter(Q(pk__in=known) | expertise_q).distinct()
    scored: list[Suggestion] = []
    for person in candidates.select_related("organization"):
        parts: list[tuple[float, str]] = []
        for (kind, what), n in found.get(person.pk, {}).items():
            parts.append((WEIGHTS[kind] * min(n, CAP), _reason(kind, what, n)))
        listed = _expertise_matches(person, topic)
        if listed:
            parts.append(
                (
                    WEIGHTS["expertise"] * len(listed),
                    _("lists %(what)s among their expertise") % {"what": ", ".join(listed)},
                )
            )
        parts.extend(close.get(person.pk, []))
        if not parts:
            continue
        parts.sort(key=lambda p: (-p[0], p[1]))
        score = sum(weight for weight, _text in parts)
        reasons = [text for _weight, text in parts[:REASONS_SHOWN]]
        scored.append(Suggestion(person=person, score=score, reasons=reasons))
    scored.sort(key=lambda s: (-s.score, s.person.name.casefold(), s.person.pk))
    chosen = scored[:limit]
    if chosen:
        asked = dict(
            Notification.objects.filter(
                kind=NotificationKind.QUESTION,
                content_type=ContentType.objects.get_for_model(question),
                object_id=question.pk,
                recipient__in=[s.person.pk for s in chosen],
            )
            .values("recipient_id")
            .annotate(last=Max("created_at"))
            .values_list("recipient_id", "last")
        )
        for s in chosen:
            s.asked_at = asked.get(s.person.pk)
    return chosen
