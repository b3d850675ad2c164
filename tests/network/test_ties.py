"""Tie derivation, source by source: what makes a tie, and what never does (private drafts,
group-only items, deleted items, anything outside the window)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from learnloop.core.models import Visibility
from learnloop.network.ties import (
    MAX_PER_KIND,
    WEIGHTS,
    Event,
    TieKind,
    aggregate,
    collect,
    load_groups,
    load_people,
    membership_events,
)
from learnloop.people.models import GroupKind
from tests.factories import (
    EvidenceFactory,
    GroupFactory,
    IdeaFactory,
    LearningFactory,
    MembershipFactory,
    PersonFactory,
    ProductFactory,
    QuestionFactory,
    ShareFactory,
)
from tests.network.factories_network import answer, comment, edit, endorse, review, this_year

pytestmark = pytest.mark.django_db

HIDDEN = [
    pytest.param({"visibility": Visibility.GROUP}, id="group-only"),
    pytest.param({"visibility": Visibility.DRAFT}, id="private-draft"),
    pytest.param({"deleted_at": timezone.now}, id="deleted"),
]
SEEN = [
    pytest.param(Visibility.NETWORK, id="network"),
    pytest.param(Visibility.PUBLIC, id="public"),
]


def hidden(**kw):
    """Resolve the lazy deleted_at of a HIDDEN case."""
    return {k: v() if callable(v) else v for k, v in kw.items()}


def activity(window=None):
    """(a, b, kind) for every event that is not a membership, as usernames."""
    inputs = collect(window or this_year())
    names = {pk: p.username for pk, p in inputs.people.items()}
    return sorted(
        (*sorted((names[e.a], names[e.b])), e.kind)
        for e in inputs.events
        if e.kind not in (TieKind.GROUP, TieKind.SPACE)
    )


@pytest.fixture
def ana(db):
    return PersonFactory(username="ana")


@pytest.fixture
def ben(db):
    return PersonFactory(username="ben")


# -------------------------------------------------------------------------- memberships


def test_members_of_a_group_are_tied_and_a_cluster_ties_them_loosely(ana, ben):
    team = GroupFactory(kind=GroupKind.IMPACT)
    space = GroupFactory(kind=GroupKind.CLUSTER)
    cy = PersonFactory(username="cy")
    for p in (ana, ben, cy):
        MembershipFactory(person=p, group=team)
    MembershipFactory(person=ana, group=space)
    MembershipFactory(person=cy, group=space)
    window = this_year()
    events = membership_events(load_groups(window, load_people(window)))
    kinds = sorted((e.a, e.b, e.kind) for e in events)
    assert kinds == sorted(
        [
            (ana.pk, ben.pk, TieKind.GROUP),
            (ana.pk, cy.pk, TieKind.GROUP),
            (ben.pk, cy.pk, TieKind.GROUP),
            (ana.pk, cy.pk, TieKind.SPACE),
        ]
    )


def test_memberships_joined_after_the_window_and_archived_groups_do_not_count(ana, ben):
    window = this_year()
    later = GroupFactory()
    MembershipFactory(person=ana, group=later)
    MembershipFactory(person=ben, group=later, joined_at=timezone.now() + timedelta(days=3))
    gone = GroupFactory(archived_at=timezone.now() - timedelta(days=400))
    MembershipFactory(person=ana, group=gone)
    MembershipFactory(person=ben, group=gone)
    groups = load_groups(window, load_people(window))
    assert gone.pk not in groups
    assert membership_events(groups) == []


def test_deactivated_people_make_no_ties(ana, ben):
    team = GroupFactory()
    MembershipFactory(person=ana, group=team)
    MembershipFactory(person=ben, group=team)
    ben.is_active = False
    ben.save(update_fields=["is_active"])
    learning = LearningFactory(author=ana)
    comment(learning, ben)
    inputs = collect(this_year())
    assert ben.pk not in inputs.people
    assert inputs.events == []


# ------------------------------------------------------------------------------ comments


@pytest.mark.parametrize("visibility", SEEN)
def test_comment_on_someones_item_ties_the_two(ana, ben, visibility):
    learning = LearningFactory(author=ana, visibility=visibility)
    comment(learning, ben)
    comment(learning, ana)  # on one's own item: no tie with oneself
    assert activity() == [("ana", "ben", TieKind.COMMENT)]


@pytest.mark.parametrize("hide", HIDDEN)
def test_comment_on_a_hidden_item_makes_no_tie(ana, ben, hide):
    group = GroupFactory()
    learning = LearningFactory(author=ana, group=group, **hidden(**hide))
    comment(learning, ben)
    assert activity() == []


def test_comments_on_every_kind_of_item_count(ana, ben):
    for item in (
        IdeaFactory(author=ana),
        QuestionFactory(author=ana),
        ProductFactory(author=ana),
    ):
        comment(item, ben)
    assert activity() == [("ana", "ben", TieKind.COMMENT)] * 3


def test_deleted_comments_and_comments_outside_the_window_do_not_count(ana, ben):
    learning = LearningFactory(author=ana)
    gone = comment(learning, ben)
    gone.deleted_at = timezone.now()
    gone.save(update_fields=["deleted_at"])
    comment(learning, ben, when=timezone.now() - timedelta(days=400))
    assert activity() == []


# ------------------------------------------------------------------------ co-authoring


def test_people_who_edited_the_same_item_are_tied_with_everyone_credited(ana, ben):
    cy = PersonFactory(username="cy")
    idea = IdeaFactory(author=ana)
    edit(idea, ana, number=1)
    edit(idea, ben, number=2)
    edit(idea, cy, number=3)
    edit(idea, ben, number=4)  # editing again adds nothing
    assert activity() == [
        ("ana", "ben", TieKind.COAUTHOR),
        ("ana", "cy", TieKind.COAUTHOR),
        ("ben", "cy", TieKind.COAUTHOR),
    ]


def test_the_authors_own_edits_tie_nobody(ana):
    idea = IdeaFactory(author=ana)
    edit(idea, ana, number=1)
    edit(idea, ana, number=2)
    assert activity() == []


@pytest.mark.parametrize("hide", HIDDEN)
def test_edits_of_a_hidden_item_make_no_tie(ana, ben, hide):
    idea = IdeaFactory(author=ana, group=GroupFactory(), **hidden(**hide))
    edit(idea, ben)
    assert activity() == []


def test_an_earlier_editor_is_tied_to_a_new_editor_in_the_window(ana, ben):
    cy = PersonFactory(username="cy")
    idea = IdeaFactory(author=ana)
    edit(idea, ben, number=2, when=timezone.now() - timedelta(days=500))
    edit(idea, cy, number=3)
    # Only cy edited in this window: cy with the author and with ben, not ana with ben.
    assert activity() == [("ana", "cy", TieKind.COAUTHOR), ("ben", "cy", TieKind.COAUTHOR)]


# ------------------------------------------------------------------ endorsements, answers


@pytest.mark.parametrize("visibility", SEEN)
def test_endorsing_someones_idea_ties_the_two(ana, ben, visibility):
    endorse(IdeaFactory(author=ana, visibility=visibility), ben)
    assert activity() == [("ana", "ben", TieKind.ENDORSEMENT)]


@pytest.mark.parametrize("hide", HIDDEN)
def test_endorsing_a_hidden_idea_makes_no_tie(ana, ben, hide):
    endorse(IdeaFactory(author=ana, group=GroupFactory(), **hidden(**hide)), ben)
    assert activity() == []


@pytest.mark.parametrize("visibility", SEEN)
def test_answering_someones_question_ties_the_two(ana, ben, visibility):
    answer(QuestionFactory(author=ana, visibility=visibility), ben)
    assert activity() == [("ana", "ben", TieKind.ANSWER)]


@pytest.mark.parametrize("hide", HIDDEN)
def test_answering_a_hidden_question_makes_no_tie(ana, ben, hide):
    answer(QuestionFactory(author=ana, group=GroupFactory(), **hidden(**hide)), ben)
    assert activity() == []


def test_a_deleted_answer_makes_no_tie(ana, ben):
    answer(QuestionFactory(author=ana), ben, deleted_at=timezone.now())
    assert activity() == []


# ------------------------------------------------------------------- evidence, reviews


@pytest.mark.parametrize("visibility", SEEN)
def test_a_learning_linked_to_someones_idea_ties_the_two_authors(ana, ben, visibility):
    EvidenceFactory(
        idea=IdeaFactory(author=ana, visibility=visibility),
        learning=LearningFactory(author=ben, visibility=visibility),
    )
    assert activity() == [("ana", "ben", TieKind.EVIDENCE)]


@pytest.mark.parametrize("hide", HIDDEN)
def test_evidence_through_a_hidden_learning_makes_no_tie(ana, ben, hide):
    EvidenceFactory(
        idea=IdeaFactory(author=ana),
        learning=LearningFactory(author=ben, group=GroupFactory(), **hidden(**hide)),
    )
    assert activity() == []


@pytest.mark.parametrize("hide", HIDDEN)
def test_evidence_for_a_hidden_idea_makes_no_tie(ana, ben, hide):
    EvidenceFactory(
        idea=IdeaFactory(author=ana, group=GroupFactory(), **hidden(**hide)),
        learning=LearningFactory(author=ben),
    )
    assert activity() == []


@pytest.mark.parametrize("visibility", SEEN)
def test_reviewing_someones_idea_ties_the_two(ana, ben, visibility):
    review(IdeaFactory(author=ana, visibility=visibility), ben)
    assert activity() == [("ana", "ben", TieKind.REVIEW)]


@pytest.mark.parametrize("hide", HIDDEN)
def test_reviewing_a_hidden_idea_makes_no_tie(ana, ben, hide):
    review(IdeaFactory(author=ana, group=GroupFactory(), **hidden(**hide)), ben)
    assert activity() == []


# ---------------------------------------------------------------------------- shares


@pytest.mark.parametrize("visibility", SEEN)
def test_sharing_someones_product_ties_the_two(ana, ben, visibility):
    ShareFactory(product=ProductFactory(author=ana, visibility=visibility), shared_by=ben)
    ShareFactory(product=ProductFactory(author=ana), shared_by=ana)  # one's own: no tie
    assert activity() == [("ana", "ben", TieKind.SHARE)]


@pytest.mark.parametrize("hide", HIDDEN)
def test_sharing_a_hidden_product_makes_no_tie(ana, ben, hide):
    product = ProductFactory(author=ana, group=GroupFactory(), **hidden(**hide))
    ShareFactory(product=product, shared_by=ben)
    assert activity() == []


def test_a_share_outside_the_window_makes_no_tie(ana, ben):
    product = ProductFactory(author=ana)
    ShareFactory(product=product, shared_by=ben, shared_at=timezone.now() - timedelta(days=400))
    assert activity() == []


# ---------------------------------------------------------------------- group context


def test_each_event_names_the_groups_whose_work_it_came_from(ana, ben):
    reading, maths = GroupFactory(), GroupFactory()
    EvidenceFactory(
        idea=IdeaFactory(author=ana, group=maths),
        learning=LearningFactory(author=ben, group=reading),
    )
    comment(LearningFactory(author=ana, group=reading), ben)
    inputs = collect(this_year())
    by_kind = {e.kind: e.groups for e in inputs.events}
    assert by_kind[TieKind.EVIDENCE] == tuple(sorted((reading.pk, maths.pk)))
    assert by_kind[TieKind.COMMENT] == (reading.pk,)


# ----------------------------------------------------------------------- aggregation


def test_weights_add_up_by_kind_and_stop_growing_after_a_few_of_one_kind():
    events = [Event(1, 2, TieKind.COMMENT)] * 7 + [Event(1, 2, TieKind.ANSWER)]
    (tie,) = aggregate(events)
    assert tie.kinds == {TieKind.COMMENT: 7, TieKind.ANSWER: 1}
    assert tie.weight == WEIGHTS[TieKind.COMMENT] * MAX_PER_KIND + WEIGHTS[TieKind.ANSWER]


def test_sharing_a_large_group_counts_for_less_than_a_small_one(db):
    from learnloop.network.ties import GroupRow

    small = GroupRow(1, "small", "Small", GroupKind.IMPACT, members=set(range(1, 6)))
    large = GroupRow(2, "large", "Large", GroupKind.TEAM, members=set(range(1, 31)))
    ties = aggregate(
        [Event(1, 2, TieKind.GROUP, (1,)), Event(3, 20, TieKind.GROUP, (2,))],
        {1: small, 2: large},
    )
    assert [t.weight for t in ties] == [1.0, round(15 / 29, 3)]
