"""What a digest holds: new in my groups (and the groups I follow), ideas that matured,
what waits for my vote and review, unanswered questions — and never anything I may not
see, not even in a count."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from learnloop.community.models import Follow
from learnloop.consolidation.models import (
    Decision,
    DecisionStatus,
    Review,
    Stage,
    StageChange,
    StandardsVersion,
    VersionStatus,
    Vote,
)
from learnloop.core.models import Visibility
from learnloop.generation.models import Answer
from learnloop.sharing.digests import build_digest, credit_line
from tests.factories import (
    IdeaFactory,
    LearningFactory,
    MembershipFactory,
    PersonFactory,
    ProductFactory,
    QuestionFactory,
    TestCycleFactory,
)

pytestmark = pytest.mark.django_db

NOW = timezone.now()  # for times in the past and the future; digests run "now"


def _digest(person):
    now = timezone.now()
    return build_digest(person=person, since=now - timedelta(days=7), until=now)


def _titles(section) -> list[str]:
    return [e.title for e in section.entries]


def _all_text(digest) -> str:
    return " ".join(
        f"{e.title} {e.excerpt} {e.note} {' '.join(i.title for i in e.ideas)}"
        for s in digest.sections
        for e in s.entries
    )


@pytest.fixture
def colleague(group):
    person = PersonFactory(username="cora", display_name="Cora Colleague")
    MembershipFactory(person=person, group=group)
    return person


@pytest.fixture
def hidden(outsider, other_group, colleague, group):
    """What `member` may not see: another group's group-only work and a colleague's
    private draft in member's own group, one of each kind."""
    made = {}
    for visibility, author, where in (
        (Visibility.GROUP, outsider, other_group),
        (Visibility.DRAFT, colleague, group),
    ):
        tag = f"{visibility}-secret"
        made[f"learning-{tag}"] = LearningFactory(
            author=author, group=where, visibility=visibility, title=f"Learning {tag}"
        )
        made[f"idea-{tag}"] = IdeaFactory(
            author=author,
            group=where,
            visibility=visibility,
            title=f"Idea {tag}",
            stage=Stage.PROMISING,
        )
        made[f"question-{tag}"] = QuestionFactory(
            author=author, group=where, visibility=visibility, title=f"Question {tag}?"
        )
        made[f"product-{tag}"] = ProductFactory(
            author=author, group=where, visibility=visibility, title=f"Product {tag}"
        )
        StageChange.objects.create(
            idea=made[f"idea-{tag}"],
            from_stage=Stage.TESTING,
            to_stage=Stage.PROMISING,
            reason="Two sites saw it",
            decided_by=author,
        )
        Decision.objects.create(
            kind="stage",
            idea=made[f"idea-{tag}"],
            to_stage=Stage.KNOWLEDGE,
            title=f"Decide {tag}",
            rationale="Ready",
            proposed_by=author,
            closes_at=NOW + timedelta(days=3),
        )
    return made


@pytest.fixture
def standards(steward):
    return StandardsVersion.objects.create(
        number=1, title="First standards", status=VersionStatus.ADOPTED, proposed_by=steward
    )


def test_new_in_my_groups_with_stage_and_credits(member, colleague, group, owner):
    LearningFactory(author=colleague, group=group, title="Calls beat letters")
    idea = IdeaFactory(author=owner, group=group, title="Call on day one", stage=Stage.TESTING)
    product = ProductFactory(author=owner, group=group, title="Call script")
    product.ideas.add(idea)
    TestCycleFactory(author=colleague, group=group, title="Try texts")
    LearningFactory(author=member, group=group, title="My own learning")
    LearningFactory(author=colleague, title="Network learning outside my groups")
    LearningFactory(
        author=colleague,
        group=group,
        title="Last month's learning",
        created_at=NOW - timedelta(days=30),
    )

    section = _digest(member).section("new")
    assert set(_titles(section)) == {
        "Calls beat letters",
        "Call on day one",
        "Call script",
        "Try texts",
    }
    assert section.total == 4
    by_title = {e.title: e for e in section.entries}
    assert (by_title["Call on day one"].stage, by_title["Call on day one"].stage_label) == (
        "testing",
        "Testing",
    )
    assert by_title["Call on day one"].credits[0] == "Olu Owner"
    assert by_title["Calls beat letters"].credits[0] == "Cora Colleague"
    assert [(i.title, i.stage) for i in by_title["Call script"].ideas] == [
        ("Call on day one", "testing")
    ]
    assert (
        by_title["Calls beat letters"].path
        == f"/learnings/{by_title['Calls beat letters'].credited.pk}/"
    )


def test_nothing_hidden_appears_or_is_counted(member, hidden, standards):
    digest = _digest(member)
    text = _all_text(digest)
    assert "secret" not in text
    assert [(s.key, s.total, s.new) for s in digest.sections] == [
        ("new", 0, 0),
        ("matured", 0, 0),
        ("vote", 0, 0),
        ("review", 0, 0),
        ("questions", 0, 0),
    ]
    assert digest.is_empty
    assert "secret" not in digest.subject


def test_a_steward_sees_group_work_but_never_a_private_draft(steward, hidden, standards):
    digest = _digest(steward)
    text = _all_text(digest)
    assert "Idea group-secret" in text
    assert "draft-secret" not in text
    assert digest.section("vote").total == 1
    assert digest.section("matured").total == 1


def test_the_author_of_a_draft_sees_it_nowhere_but_their_own_votes(colleague, hidden):
    # A draft is its author's; they are not told about their own items as "new".
    assert "Learning draft-secret" not in _all_text(_digest(colleague))


def test_followed_groups_bring_their_network_work_not_their_group_only_work(
    member, outsider, other_group, hidden
):
    LearningFactory(author=outsider, group=other_group, title="Reading buddies work")
    QuestionFactory(author=outsider, group=other_group, title="Who tried reading buddies?")
    Follow.objects.create(person=member, group=other_group)
    digest = _digest(member)
    assert set(_titles(digest.section("new"))) == {
        "Reading buddies work",
        "Who tried reading buddies?",
    }
    assert digest.section("new").total == 2
    assert _titles(digest.section("questions")) == ["Who tried reading buddies?"]
    assert "secret" not in _all_text(digest)


def test_matured_means_up_the_ladder(member, owner, group):
    up = IdeaFactory(author=owner, group=group, title="Went up", stage=Stage.PROMISING)
    down = IdeaFactory(author=owner, group=group, title="Went back", stage=Stage.RETURNED)
    twice = IdeaFactory(author=owner, title="Climbed twice", stage=Stage.PROMISING)
    StageChange.objects.create(
        idea=up, from_stage="testing", to_stage="promising", reason="r", decided_by=owner
    )
    StageChange.objects.create(
        idea=down, from_stage="promising", to_stage="returned", reason="r", decided_by=owner
    )
    StageChange.objects.create(
        idea=twice,
        from_stage="emerging",
        to_stage="testing",
        reason="r",
        decided_by=owner,
        decided_at=NOW - timedelta(days=2),
    )
    StageChange.objects.create(
        idea=twice, from_stage="testing", to_stage="promising", reason="r", decided_by=owner
    )
    section = _digest(member).section("matured")
    assert sorted(_titles(section)) == ["Climbed twice", "Went up"]
    entry = next(e for e in section.entries if e.title == "Climbed twice")
    assert (entry.from_label, entry.stage_label) == ("Testing", "Promising")


def test_waiting_for_my_vote(member, owner, group):
    idea = IdeaFactory(author=owner, group=group, title="Vote on me", stage=Stage.PROMISING)
    open_one = Decision.objects.create(
        kind="stage",
        idea=idea,
        to_stage="knowledge",
        title="Make it knowledge",
        rationale="Three sites",
        proposed_by=owner,
        closes_at=NOW + timedelta(days=2),
    )
    voted = Decision.objects.create(
        kind="standards",
        title="New standards",
        rationale="Better",
        proposed_by=owner,
        closes_at=NOW + timedelta(days=2),
    )
    Vote.objects.create(decision=voted, voter=member, choice="agree")
    Decision.objects.create(
        kind="standards",
        title="Already closed",
        rationale="Old",
        proposed_by=owner,
        closes_at=NOW - timedelta(days=1),
        status=DecisionStatus.PASSED,
    )
    section = _digest(member).section("vote")
    assert _titles(section) == ["Make it knowledge"]
    (entry,) = section.entries
    assert entry.closes_at == open_one.closes_at
    assert entry.note == "Proposed: move it to Knowledge."
    assert [(i.title, i.stage) for i in entry.ideas] == [("Vote on me", "promising")]
    assert section.new == 1


def test_waiting_for_my_review(member, owner, group, standards):
    IdeaFactory(author=owner, group=group, title="Ready idea", stage=Stage.PROMISING)
    reviewed = IdeaFactory(author=owner, title="Reviewed idea", stage=Stage.PROMISING)
    Review.objects.create(idea=reviewed, reviewer=member, version=standards)
    IdeaFactory(author=owner, title="Flagged idea", stage=Stage.KNOWLEDGE, review_flagged_at=NOW)
    IdeaFactory(author=member, title="My own idea", stage=Stage.PROMISING)
    IdeaFactory(author=owner, title="Still testing", stage=Stage.TESTING)
    section = _digest(member).section("review")
    assert sorted(_titles(section)) == ["Flagged idea", "Ready idea"]
    by_title = {e.title: e for e in section.entries}
    assert by_title["Flagged idea"].note.startswith("New evidence contradicts it")
    assert by_title["Ready idea"].stage == "promising"


def test_no_review_section_without_adopted_standards(member, owner):
    IdeaFactory(author=owner, title="Ready idea", stage=Stage.PROMISING)
    assert _digest(member).section("review").total == 0


def test_unanswered_questions_in_my_groups(member, owner, group, colleague):
    QuestionFactory(author=owner, group=group, title="Who has tried home visits?")
    answered = QuestionFactory(author=owner, group=group, title="Answered already?")
    Answer.objects.create(question=answered, author=colleague, body="Yes")
    gone = QuestionFactory(author=owner, group=group, title="Answer was deleted?")
    Answer.objects.create(question=gone, author=colleague, body="x", deleted_at=NOW)
    QuestionFactory(author=owner, group=group, title="Closed?", closed_at=NOW)
    QuestionFactory(author=owner, title="Not in my groups?")
    QuestionFactory(
        author=owner,
        group=group,
        title="Older but still open?",
        created_at=NOW - timedelta(days=40),
    )
    section = _digest(member).section("questions")
    assert _titles(section) == [  # newest first
        "Answer was deleted?",
        "Who has tried home visits?",
        "Older but still open?",
    ]
    assert section.new == 2
    assert {e.title: e.is_new for e in section.entries}["Older but still open?"] is False


def test_only_waiting_things_make_no_digest(member, owner, group):
    QuestionFactory(
        author=owner, group=group, title="Old open question?", created_at=NOW - timedelta(days=40)
    )
    digest = _digest(member)
    assert digest.section("questions").total == 1
    assert digest.is_empty


def test_subject_sums_it_up(member, owner, group):
    LearningFactory(author=owner, group=group)
    LearningFactory(author=owner, group=group)
    digest = _digest(member)
    assert digest.subject == "Your LearnLoop digest: 2 new in your groups"


def test_long_sections_are_capped_and_counted(member, owner, group):
    for n in range(11):
        LearningFactory(author=owner, group=group, title=f"Learning number {n}")
    section = _digest(member).section("new")
    assert len(section.entries) == 8
    assert section.total == 11
    assert section.more == 3
    assert section.more_path == "/feed/"


def test_query_count_does_not_grow_with_items(
    member, owner, group, standards, django_assert_max_num_queries
):
    for n in range(12):
        idea = IdeaFactory(author=owner, group=group, stage=Stage.PROMISING, title=f"I{n}")
        StageChange.objects.create(
            idea=idea, from_stage="testing", to_stage="promising", reason="r", decided_by=owner
        )
        LearningFactory(author=owner, group=group)
        QuestionFactory(author=owner, group=group)
        ProductFactory(author=owner, group=group).ideas.add(idea)
    with django_assert_max_num_queries(30):
        digest = _digest(member)
    assert digest.section("new").total == 48


def test_credit_line():
    assert credit_line([]) == ""
    assert credit_line(["Ana"]) == "Ana"
    assert credit_line(["Ana", "Ben", "Cy"]) == "Ana, Ben and Cy"
    assert credit_line([f"P{n}" for n in range(8)]) == "P0, P1, P2, P3, P4 and 3 others"
