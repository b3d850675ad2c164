"""Reviews: scoring an idea against each standard of the current version."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from learnloop.consolidation import review_selectors, review_services, selectors
from learnloop.consolidation.models import (
    Criterion,
    CriterionKind,
    Review,
    StandardsVersion,
    VersionStatus,
)
from learnloop.core.models import AuditEvent
from tests.factories import EvidenceFactory, LearningFactory, PersonFactory

pytestmark = pytest.mark.django_db

CRITERIA = (
    (CriterionKind.CONTEXTS, "Tried in three contexts"),
    (CriterionKind.EQUITY, "Reaches the families it is meant for"),
    (CriterionKind.CONTRADICTION, "No unresolved contradiction"),
)


def adopt_standards(proposer, number=1, criteria=CRITERIA):
    """An adopted version with its criteria, straight through the ORM."""
    version = StandardsVersion.objects.create(
        number=number,
        title=f"Standards {number}",
        status=VersionStatus.ADOPTED,
        proposed_by=proposer,
        adopted_at=timezone.now(),
    )
    for position, (kind, title) in enumerate(criteria):
        Criterion.objects.create(
            version=version,
            position=position,
            kind=kind,
            title=title,
            min_contexts=3 if kind == CriterionKind.CONTEXTS else None,
        )
    return version


def scores_for(version, verdict="meets", evidence_ids=()):
    return [
        {
            "criterion_id": c.pk,
            "verdict": verdict,
            "justification": f"Because of what we saw for {c.title}.",
            "evidence_ids": list(evidence_ids),
        }
        for c in version.criteria.all()
    ]


def test_review_scores_each_criterion_and_records_the_version(network_idea, owner, member):
    old = adopt_standards(owner, number=1)
    version = adopt_standards(owner, number=2)
    evidence = EvidenceFactory(idea=network_idea, learning=LearningFactory(author=owner))
    review = review_services.review_submit(
        reviewer=member,
        idea=network_idea,
        scores=scores_for(version, evidence_ids=[evidence.pk]),
        summary="Strong in two schools.",
        missing="A rural site.",
    )
    assert review.version == version != old
    assert [s.criterion.title for s in review.scores.all()] == [t for _k, t in CRITERIA]
    assert {s.verdict for s in review.scores.all()} == {"meets"}
    assert [list(s.evidence.all()) for s in review.scores.all()] == [[evidence]] * 3
    assert AuditEvent.objects.filter(verb="reviewed", object_id=network_idea.pk).count() == 1


def test_missing_verdict_or_reason_names_the_criterion(network_idea, owner, member):
    version = adopt_standards(owner)
    scores = scores_for(version)
    first, second = list(version.criteria.all())[:2]
    scores[0]["verdict"] = ""
    scores[1]["justification"] = "   "
    with pytest.raises(ValidationError) as caught:
        review_services.review_submit(reviewer=member, idea=network_idea, scores=scores)
    errors = caught.value.message_dict
    assert set(errors) == {f"score_{first.pk}_verdict", f"score_{second.pk}_justification"}
    assert "Tried in three contexts" in errors[f"score_{first.pk}_verdict"][0]
    assert "Reaches the families" in errors[f"score_{second.pk}_justification"][0]
    assert Review.objects.count() == 0


def test_a_criterion_left_out_is_an_error(network_idea, owner, member):
    version = adopt_standards(owner)
    last = list(version.criteria.all())[-1]
    with pytest.raises(ValidationError) as caught:
        review_services.review_submit(
            reviewer=member, idea=network_idea, scores=scores_for(version)[:-1]
        )
    assert set(caught.value.message_dict) == {
        f"score_{last.pk}_verdict",
        f"score_{last.pk}_justification",
    }


def test_reviewing_again_replaces_ones_review_and_keeps_its_date(network_idea, owner, member):
    version = adopt_standards(owner)
    first = review_services.review_submit(
        reviewer=member, idea=network_idea, scores=scores_for(version, "partly")
    )
    second = review_services.review_submit(
        reviewer=member, idea=network_idea, scores=scores_for(version, "meets"), missing="More"
    )
    assert Review.objects.count() == 1
    assert second.pk == first.pk
    assert second.created_at == first.created_at
    assert {s.verdict for s in second.scores.all()} == {"meets"}
    assert first.is_new is True
    assert second.is_new is False
    assert AuditEvent.objects.filter(verb="updated a review").count() == 1


def test_evidence_the_reviewer_cannot_see_is_a_field_error(
    network_idea, owner, outsider, group_learning
):
    version = adopt_standards(owner)
    hidden = EvidenceFactory(idea=network_idea, learning=group_learning)
    criterion = version.criteria.first()
    with pytest.raises(ValidationError) as hidden_error:
        review_services.review_submit(
            reviewer=outsider,
            idea=network_idea,
            scores=scores_for(version, evidence_ids=[hidden.pk]),
        )
    with pytest.raises(ValidationError) as unknown_error:
        review_services.review_submit(
            reviewer=outsider, idea=network_idea, scores=scores_for(version, evidence_ids=[999999])
        )
    field = f"score_{criterion.pk}_evidence"
    assert hidden_error.value.message_dict[field] == unknown_error.value.message_dict[field]
    assert "Group-only learning" not in str(hidden_error.value)


def test_evidence_of_another_idea_cannot_be_linked(network_idea, public_idea, owner, member):
    version = adopt_standards(owner)
    elsewhere = EvidenceFactory(idea=public_idea, learning=LearningFactory(author=owner))
    with pytest.raises(ValidationError):
        review_services.review_submit(
            reviewer=member,
            idea=network_idea,
            scores=scores_for(version, evidence_ids=[elsewhere.pk]),
        )


def test_without_adopted_standards_there_is_nothing_to_review(network_idea, owner, member):
    StandardsVersion.objects.create(title="Draft", proposed_by=owner)
    with pytest.raises(ValidationError) as caught:
        review_services.review_submit(reviewer=member, idea=network_idea, scores=[])
    assert "version" in caught.value.message_dict


def test_standards_changed_while_writing(network_idea, owner, member):
    old = adopt_standards(owner, number=1)
    adopt_standards(owner, number=2)
    with pytest.raises(ValidationError) as caught:
        review_services.review_submit(
            reviewer=member, idea=network_idea, scores=scores_for(old), version_id=old.pk
        )
    assert "version 2" in caught.value.message_dict["version"][0]


def test_only_people_who_see_the_idea_may_review(group_idea, owner, outsider):
    version = adopt_standards(owner)
    with pytest.raises(PermissionDenied):
        review_services.review_submit(
            reviewer=outsider, idea=group_idea, scores=scores_for(version)
        )


def test_only_the_reviewer_or_a_steward_withdraws(network_idea, owner, member, steward):
    version = adopt_standards(owner)
    review = review_services.review_submit(
        reviewer=member, idea=network_idea, scores=scores_for(version)
    )
    with pytest.raises(PermissionDenied):
        review_services.review_delete(viewer=owner, review=review)
    review_services.review_delete(viewer=steward, review=review)
    assert Review.objects.count() == 0
    assert AuditEvent.objects.filter(verb="withdrew a review").count() == 1


def test_panel_puts_verdicts_side_by_side_with_consensus(
    network_idea, owner, member, moderator, steward
):
    old = adopt_standards(owner, number=1, criteria=CRITERIA[:1])
    review_services.review_submit(reviewer=steward, idea=network_idea, scores=scores_for(old))
    version = adopt_standards(owner, number=2)
    for person, verdict in ((owner, "meets"), (member, "meets"), (moderator, "partly")):
        review_services.review_submit(
            reviewer=person,
            idea=network_idea,
            scores=scores_for(version, verdict),
            missing=f"{person.name} wants a rural site.",
        )
    panel = review_selectors.idea_review_panel(viewer=member, idea=network_idea)
    first = panel["review_rows"][0]
    assert panel["review_version"] == version
    assert [c["score"].verdict for c in first["cells"]] == ["meets", "meets", "partly"]
    assert first["consensus"] == "2 of 3 say “Meets it”; 1 of 3 says “Partly”"
    assert "comes from 0 distinct contexts" in first["computed"]
    assert "at least 3" in first["computed"]
    assert len(panel["review_missing"]) == 3
    assert [g["version"] for g in panel["review_older"]] == [old]
    assert panel["review_counts"]["reviews"] == 3
    assert panel["review_counts"]["older_reviews"] == 1


def test_panel_hides_linked_evidence_the_viewer_cannot_see(
    network_idea, owner, member, outsider, group_learning
):
    version = adopt_standards(owner)
    hidden = EvidenceFactory(idea=network_idea, learning=group_learning)
    review_services.review_submit(
        reviewer=member, idea=network_idea, scores=scores_for(version, evidence_ids=[hidden.pk])
    )
    seen_by_member = review_selectors.idea_review_panel(viewer=member, idea=network_idea)
    seen_by_outsider = review_selectors.idea_review_panel(viewer=outsider, idea=network_idea)
    member_cell = seen_by_member["review_rows"][0]["cells"][0]["score"]
    outsider_cell = seen_by_outsider["review_rows"][0]["cells"][0]["score"]
    assert list(member_cell.evidence.all()) == [hidden]
    assert list(outsider_cell.evidence.all()) == []


def test_panel_reads_in_a_fixed_number_of_queries(
    network_idea, owner, member, django_assert_num_queries
):
    version = adopt_standards(owner)
    evidence = EvidenceFactory(idea=network_idea, learning=LearningFactory(author=owner))
    for _ in range(8):
        review_services.review_submit(
            reviewer=PersonFactory(),
            idea=network_idea,
            scores=scores_for(version, evidence_ids=[evidence.pk]),
        )
    idea = selectors.get_idea_for(member, network_idea.pk)  # as the idea page has it
    with django_assert_num_queries(5):
        panel = review_selectors.idea_review_panel(viewer=member, idea=idea)
    assert panel["review_counts"]["reviews"] == 8
