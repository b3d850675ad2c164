"""What the consolidation services do: stage decisions, evidence, endorsements."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from learnloop.consolidation import services
from learnloop.consolidation.models import Endorsement, Evidence, Stage, StageChange
from learnloop.core.models import AuditEvent, Revision
from tests.factories import EvidenceFactory, IdeaFactory, LearningFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_create_records_first_stage_and_links_the_learning(owner, group, learning_here):
    idea = services.idea_create(
        author=owner,
        title="  Call families on day one ",
        summary="Personal calls in week one raise attendance.",
        group=group,
        visibility="group",
        tags="attendance, families",
        from_learning=learning_here,
    )
    first = StageChange.objects.get(idea=idea)
    evidence = Evidence.objects.get(idea=idea)
    assert idea.title == "Call families on day one"
    assert idea.stage == Stage.EMERGING
    assert (first.from_stage, first.to_stage, first.decided_by) == ("", Stage.EMERGING, owner)
    assert first.evidence_snapshot["counts"]["supports"] == 1
    assert (evidence.relation, evidence.added_by) == ("supports", owner)
    assert idea.tag_names == ["attendance", "families"]
    assert Revision.objects.filter(object_id=idea.pk, summary="Shared").count() == 1


def test_create_requires_a_summary(owner):
    with pytest.raises(ValidationError) as exc:
        services.idea_create(author=owner, title="A title", summary="   ")
    assert "summary" in exc.value.message_dict


def test_stage_change_records_snapshot_and_writes_idea(
    moderator, network_idea, learning_here, learning_there, owner
):
    services.evidence_link(viewer=owner, idea=network_idea, learning=learning_here)
    services.evidence_link(
        viewer=owner, idea=network_idea, learning=learning_there, relation="contradicts"
    )
    before = network_idea.stage_changed_at
    change = services.idea_change_stage(
        viewer=moderator, idea=network_idea, to_stage="promising", reason="Two sites, same story."
    )
    network_idea.refresh_from_db()
    assert network_idea.stage == "promising"
    assert network_idea.stage_changed_at > before
    assert (change.from_stage, change.to_stage, change.decided_by) == (
        "emerging",
        "promising",
        moderator,
    )
    assert change.evidence_snapshot["counts"] == {"supports": 1, "contradicts": 1, "context": 0}
    assert change.evidence_snapshot["contexts"] == 2
    assert sorted(
        (row["title"], row["relation"]) for row in change.evidence_snapshot["learnings"]
    ) == [("Calls worked at North", "supports"), ("Calls worked at South", "contradicts")]
    assert AuditEvent.objects.filter(verb="changed the stage", object_id=network_idea.pk).exists()


def test_snapshot_does_not_change_when_evidence_changes_later(
    moderator, network_idea, learning_here, owner
):
    change = services.idea_change_stage(
        viewer=moderator, idea=network_idea, to_stage="testing", reason="Worth a try."
    )
    services.evidence_link(viewer=owner, idea=network_idea, learning=learning_here)
    change.refresh_from_db()
    assert change.evidence_snapshot["learnings"] == []


def test_reason_is_required(moderator, network_idea):
    with pytest.raises(ValidationError) as exc:
        services.idea_change_stage(
            viewer=moderator, idea=network_idea, to_stage="testing", reason="  "
        )
    network_idea.refresh_from_db()
    assert "reason" in exc.value.message_dict
    assert network_idea.stage == "emerging"
    assert not StageChange.objects.filter(idea=network_idea).exists()


def test_returning_needs_a_reason_said_plainly(moderator, network_idea):
    with pytest.raises(ValidationError) as exc:
        services.idea_change_stage(
            viewer=moderator, idea=network_idea, to_stage="returned", reason="", override=True
        )
    assert "Say why it goes back" in exc.value.message_dict["reason"][0]


def test_author_moves_between_emerging_and_testing(owner, network_idea):
    services.idea_change_stage(viewer=owner, idea=network_idea, to_stage="testing", reason="Go")
    services.idea_change_stage(viewer=owner, idea=network_idea, to_stage="emerging", reason="Back")
    network_idea.refresh_from_db()
    assert network_idea.stage == "emerging"
    assert StageChange.objects.filter(idea=network_idea).count() == 2


def test_author_cannot_jump_to_knowledge(owner, network_idea):
    with pytest.raises(PermissionDenied):
        services.idea_change_stage(
            viewer=owner, idea=network_idea, to_stage="knowledge", reason="I am sure."
        )
    network_idea.refresh_from_db()
    assert network_idea.stage == "emerging"


def test_author_cannot_move_a_promising_idea_back_to_testing(owner, network_idea):
    network_idea.stage = "promising"
    network_idea.save()
    with pytest.raises(PermissionDenied):
        services.idea_change_stage(
            viewer=owner, idea=network_idea, to_stage="testing", reason="Hmm"
        )


def test_moderator_and_steward_may_decide_any_stage(moderator, steward, network_idea):
    services.idea_change_stage(
        viewer=moderator,
        idea=network_idea,
        to_stage="knowledge",
        reason="Meets the standards.",
        override=True,
    )
    services.idea_change_stage(
        viewer=steward, idea=network_idea, to_stage="scaling", reason="Spreading.", override=True
    )
    network_idea.refresh_from_db()
    assert network_idea.stage == "scaling"
    assert list(network_idea.stage_changes.values_list("override", flat=True)[:2]) == [True, True]


def test_plain_member_may_not_decide(member, network_idea):
    with pytest.raises(PermissionDenied):
        services.idea_change_stage(
            viewer=member, idea=network_idea, to_stage="testing", reason="Why not"
        )


def test_moving_to_the_same_stage_is_a_field_error(moderator, network_idea):
    with pytest.raises(ValidationError) as exc:
        services.idea_change_stage(
            viewer=moderator, idea=network_idea, to_stage="emerging", reason="Still"
        )
    assert "to_stage" in exc.value.message_dict


def test_stage_change_emails_author_and_endorsers_not_the_decider(
    moderator, network_idea, member, owner, mailoutbox, django_capture_on_commit_callbacks
):
    services.idea_endorse(person=member, idea=network_idea)
    services.idea_endorse(person=moderator, idea=network_idea)
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_change_stage(
            viewer=moderator, idea=network_idea, to_stage="testing", reason="Let us try it."
        )
    assert sorted(m.to[0] for m in mailoutbox) == sorted([owner.email, member.email])
    assert "Let us try it." in mailoutbox[0].body
    assert network_idea.get_absolute_url() in mailoutbox[0].body


def test_edit_cannot_change_the_stage(owner, network_idea):
    with pytest.raises(ValidationError) as exc:
        services.idea_update(viewer=owner, idea=network_idea, stage="knowledge")
    network_idea.refresh_from_db()
    assert "stage" in exc.value.message_dict
    assert network_idea.stage == "emerging"


def test_edit_keeps_a_revision(owner, group):
    idea = services.idea_create(author=owner, title="First", summary="Words", group=group)
    services.idea_update(viewer=owner, idea=idea, title="Second", tags=["x"])
    assert Revision.objects.filter(object_id=idea.pk).count() == 2


def test_member_may_not_edit(member, network_idea):
    with pytest.raises(PermissionDenied):
        services.idea_update(viewer=member, idea=network_idea, title="Mine")


def test_evidence_copies_the_learnings_context(member, network_idea, learning_there, other_group):
    evidence = services.evidence_link(
        viewer=member, idea=network_idea, learning=learning_there, relation="context", note="!"
    )
    learning_there.site = "Moved elsewhere"
    learning_there.save()
    evidence.refresh_from_db()
    assert (evidence.context_group, evidence.context_site) == (other_group, "South Middle")
    assert (evidence.relation, evidence.note, evidence.added_by) == ("context", "!", member)


def test_duplicate_link_is_a_field_error(member, network_idea, learning_here):
    services.evidence_link(viewer=member, idea=network_idea, learning=learning_here)
    with pytest.raises(ValidationError) as exc:
        services.evidence_link(viewer=member, idea=network_idea, learning=learning_here)
    assert exc.value.message_dict == {
        "learning_id": ["This learning is already linked to this idea."]
    }


def test_a_learning_one_cannot_see_is_never_linked(outsider, network_idea, group_learning):
    with pytest.raises(Http404):
        services.evidence_link(viewer=outsider, idea=network_idea, learning=group_learning)
    assert not Evidence.objects.exists()


def test_deleted_learning_is_never_linked(steward, network_idea, learning_here):
    learning_here.deleted_at = learning_here.created_at
    learning_here.save()
    with pytest.raises(Http404):
        services.evidence_link(viewer=steward, idea=network_idea, learning=learning_here)


def test_who_may_remove_a_link(owner, member, moderator, network_idea, group):
    linker = PersonFactory()
    other = PersonFactory()
    rows = [
        EvidenceFactory(idea=network_idea, added_by=linker, learning=LearningFactory())
        for _ in range(3)
    ]
    with pytest.raises(PermissionDenied):
        services.evidence_remove(viewer=other, evidence=rows[0])
    services.evidence_remove(viewer=linker, evidence=rows[0])
    services.evidence_remove(viewer=owner, evidence=rows[1])
    services.evidence_remove(viewer=moderator, evidence=rows[2])
    assert not Evidence.objects.exists()


def test_endorse_withdraw_and_update_note(member, network_idea):
    services.idea_endorse(person=member, idea=network_idea, note="Saw it work")
    services.idea_endorse(person=member, idea=network_idea, note="Saw it twice")
    assert list(Endorsement.objects.values_list("note", flat=True)) == ["Saw it twice"]
    services.idea_withdraw_endorsement(person=member, idea=network_idea)
    assert not Endorsement.objects.exists()


def test_outsider_may_not_endorse_a_group_idea(outsider, group_idea):
    with pytest.raises(PermissionDenied):
        services.idea_endorse(person=outsider, idea=group_idea)


def test_cannot_endorse_a_deleted_idea(member, owner):
    idea = IdeaFactory(author=owner)
    idea.deleted_at = idea.created_at
    idea.save()
    with pytest.raises(PermissionDenied):
        services.idea_endorse(person=member, idea=idea)
