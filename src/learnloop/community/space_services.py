"""Writes for creation spaces: posing a question to a space or the whole network, and
asking the people who might know to answer it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learnloop.community.suggestions import may_see_question_q
from learnloop.core import access
from learnloop.core.markdown import plain_text
from learnloop.core.models import Visibility
from learnloop.core.services import audit
from learnloop.people.models import Group, GroupKind

# Someone asked about a question is not asked about it again for this long.
ASK_AGAIN_AFTER = timedelta(days=7)
MAX_ASKED = 10


@transaction.atomic
def space_question_create(
    *,
    author: Any,
    space: Group | None,
    title: str,
    body: str = "",
    visibility: str = Visibility.GROUP,
    tags: str | Iterable[str] = (),
) -> Any:
    """Pose a question to a creation space (`space`) or, with no space, to the network.
    Group visibility keeps it within the space: every member of its linked groups."""
    from learnloop.generation.services import question_create

    if space is not None and space.kind != GroupKind.CLUSTER:
        raise ValidationError({"group": _("Questions go to a creation space or the network.")})
    if space is None and visibility == Visibility.GROUP:
        visibility = Visibility.NETWORK
    return question_create(
        author=author, title=title, body=body, group=space, visibility=visibility, tags=tags
    )


@transaction.atomic
def question_ask_people(
    *, viewer: Any, question: Any, people: Iterable[Any], note: str = ""
) -> list[Any]:
    """The asker (or a moderator, or a steward) asks chosen people to answer. Each must be
    able to see the question; anyone asked about it in the last week is not asked again.
    Returns the people who were asked now."""
    from learnloop.notifications.models import NotificationKind
    from learnloop.notifications.services import notify, recently_told
    from learnloop.people.models import Person

    if not access.can_change(viewer, question) or question.deleted_at is not None:
        raise PermissionDenied
    if question.closed_at is not None:
        raise ValidationError({"people": _("This question is closed.")})
    ids = {p.pk for p in people}
    if not ids:
        raise ValidationError({"people": _("Choose at least one person to ask.")})
    if len(ids) > MAX_ASKED:
        raise ValidationError(
            {"people": _("Ask at most %(n)d people at a time.") % {"n": MAX_ASKED}}
        )
    allowed = list(
        Person.objects.filter(pk__in=ids, is_active=True)
        .exclude(pk__in=[viewer.pk, question.author_id])
        .filter(may_see_question_q(question))
        .distinct()
        .order_by("pk")
    )
    if len(allowed) != len(ids - {viewer.pk, question.author_id}) or not allowed:
        raise ValidationError(
            {"people": _("You can only ask active members who can see this question.")}
        )
    recent = recently_told(
        kind=NotificationKind.QUESTION,
        target=question,
        since=timezone.now() - ASK_AGAIN_AFTER,
        recipients=allowed,
    )
    fresh = [p for p in allowed if p.pk not in recent]
    if not fresh:
        raise ValidationError(
            {"people": _("Everyone you chose was asked about this question in the last week.")}
        )
    note = (note or "").strip()[:2000]
    notify(
        recipients=fresh,
        kind=NotificationKind.QUESTION,
        title=_("%(name)s asks if you can help answer: %(title)s")
        % {"name": viewer.name, "title": question.title},
        url=question.get_absolute_url(),
        body=note or plain_text(question.body, 500),
        actor=viewer,
        target=question,
    )
    audit(viewer, "asked people to answer", question, people=[p.pk for p in fresh])
    return fresh
