"""Group meetings: an agenda built from what is open in the group (and only what the
planner, and then each reader, may see), attendance, notes, and a step back whose answers
become learnings of the group."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from learnloop.community import meeting_selectors as sel
from learnloop.community import meeting_services as services
from learnloop.consolidation.routine_rules import add_cadence
from learnloop.core.models import AuditEvent, Visibility
from learnloop.generation.models import Learning, LearningKind
from learnloop.notifications.models import Notification, NotificationKind
from learnloop.value.models import Convening
from tests.community import factories_meetings
from tests.community.factories_meetings import MeetingFactory, keys
from tests.core.a11y import problems
from tests.factories import MembershipFactory, TestCycleFactory

pytestmark = pytest.mark.django_db
open_work = factories_meetings.open_work


def _plan_url(group):
    return reverse("meetings:plan", args=[group.slug])


def _meeting_url(meeting):
    return reverse("meetings:meeting", args=[meeting.group.slug, meeting.pk])


def _local(days: int, hour: int = 16) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def meeting(group, owner, member, moderator):
    return services.meeting_plan(
        planner=moderator,
        group=group,
        starts_at=_local(5),
        ends_at=_local(5, 17),
        own_items=["Welcome Sam", "Plan the family night"],
    )


# What is open in the group ----------------------------------------------------------------


def test_agenda_suggests_what_is_open_in_the_group_and_nothing_else(member, group, open_work):
    found = sel.agenda_candidates(viewer=member, group=group)
    w = open_work
    assert keys(found) == [
        f"test_cycle-{w.studying.pk}",  # ready to study comes first
        f"test_cycle-{w.cycle.pk}",
        f"question-{w.question.pk}",
        f"idea-{w.idea.pk}",
        f"decision-{w.decision.pk}",
        f"synthesis-{w.synthesis.pk}",
        "summaries",
    ]
    by_key = {e["key"]: e for e in found}
    assert by_key[f"test_cycle-{w.cycle.pk}"]["why"].startswith("Running since")
    assert by_key[f"question-{w.question.pk}"]["why"] == "1 answer, none accepted yet."
    assert by_key[f"idea-{w.idea.pk}"]["why"].startswith("Emerging, 1 supporting learning")
    assert by_key[f"decision-{w.decision.pk}"]["why"].startswith("Vote open until")
    # Whose summary is due stays private: the agenda says how many.
    assert by_key["summaries"]["why"].startswith("1 member has a summary due")
    assert by_key["summaries"]["title"] == "Personal summaries"


def test_drafts_never_reach_an_agenda_even_the_planners_own(member, group, open_work):
    """The planner may see their own draft question; the group may not, so it stays out."""
    assert open_work.draft_question.author == member
    found = keys(sel.agenda_candidates(viewer=member, group=group))
    assert f"question-{open_work.draft_question.pk}" not in found


def test_candidates_are_only_what_the_planner_may_see(outsider, other_group, group, open_work):
    """Someone outside the group sees its network-wide work, never its group-only work nor
    its routines."""
    w = open_work
    found = keys(sel.agenda_candidates(viewer=outsider, group=group))
    assert f"test_cycle-{w.studying.pk}" in found  # network-wide
    assert f"test_cycle-{w.cycle.pk}" not in found  # group-only
    assert f"question-{w.question.pk}" not in found  # group-only
    assert not [k for k in found if k.startswith(("synthesis", "summaries"))]
    mine = keys(sel.agenda_candidates(viewer=outsider, group=other_group))
    assert mine == [f"test_cycle-{w.other_cycle.pk}"]


def test_suggested_date_follows_the_cadence_from_the_last_meeting(member, group):
    assert group.cadence == "fortnightly"
    last = _local(-10, 15)
    MeetingFactory(author=member, group=group, starts_at=last)
    suggested = sel.suggest_start(viewer=member, group=group)
    expected = add_cadence(last.date(), "fortnightly")
    while expected.weekday() >= 5:
        expected += timedelta(days=1)
    assert timezone.localdate(suggested) == expected
    assert timezone.localtime(suggested).hour == 15


def test_without_a_meeting_the_suggestion_gives_a_week_of_notice(member, group):
    suggested = timezone.localdate(sel.suggest_start(viewer=member, group=group))
    assert 7 <= (suggested - timezone.localdate()).days <= 9
    assert suggested.weekday() < 5


# Planning ------------------------------------------------------------------------------


def test_plan_page_shows_what_is_open_and_is_accessible(member_client, group, open_work):
    response = member_client.get(_plan_url(group))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Text families on day one" in html
    assert "Who calls on Mondays?" in html
    assert "Morning texts lift attendance" in html
    assert "Reading buddies" not in html
    assert "Half-formed worry" not in html
    assert problems(html) == []


def test_plan_page_is_for_the_group(outsider_client, anon_client, steward_client, group):
    assert outsider_client.get(_plan_url(group)).status_code == 404
    assert anon_client.get(_plan_url(group)).status_code == 302
    assert steward_client.get(_plan_url(group)).status_code == 200


def test_member_plans_a_meeting_in_chosen_order_and_the_group_hears(
    member_client, member, owner, moderator, group, open_work, django_capture_on_commit_callbacks
):
    w = open_work
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(
            _plan_url(group),
            {
                "starts_at": _local(4).strftime("%Y-%m-%dT%H:%M"),
                "duration": "90",
                "place": "Room 12",
                "visibility": "group",
                "pick": [f"test_cycle-{w.cycle.pk}", f"question-{w.question.pk}"],
                f"pos-test_cycle-{w.cycle.pk}": "2",
                f"pos-question-{w.question.pk}": "1",
                "own_items": "Welcome Sam\n\n  Family night  ",
            },
        )
    meeting = Convening.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _meeting_url(meeting)
    assert meeting.kind == "meeting"
    assert meeting.group == group
    assert meeting.visibility == Visibility.GROUP
    assert meeting.ends_at - meeting.starts_at == timedelta(minutes=90)
    assert meeting.title.startswith("Attendance Circle meeting, ")
    assert [e["key"] for e in meeting.agenda][:2] == [
        f"question-{w.question.pk}",
        f"test_cycle-{w.cycle.pk}",
    ]
    assert [e["title"] for e in meeting.agenda][2:] == [
        "Welcome Sam",
        "Family night",
        "Step back: what did we learn?",
    ]
    assert meeting.agenda[-1]["answers"] == []
    told = Notification.objects.filter(kind=NotificationKind.MEETING)
    assert sorted(n.recipient.username for n in told) == ["mo", "olu"]
    assert all(n.actor == member and n.url == _meeting_url(meeting) for n in told)
    assert "Who calls on Mondays?" in told.first().body
    assert sorted(m.to[0] for m in mail.outbox) == ["mo@example.org", "olu@example.org"]
    assert AuditEvent.objects.filter(verb="planned a convening", object_id=meeting.pk).exists()


def test_an_item_closed_meanwhile_is_a_form_error_and_nothing_is_saved(
    member_client, group, open_work
):
    response = member_client.post(
        _plan_url(group),
        {
            "starts_at": _local(4).strftime("%Y-%m-%dT%H:%M"),
            "duration": "60",
            "visibility": "group",
            "pick": [f"question-{open_work.answered.pk}"],
            "own_items": "Keep me",
        },
    )
    assert response.status_code == 200
    assert Convening.objects.count() == 0
    html = response.content.decode()
    assert "no longer open" in html
    assert "Keep me" in html


def test_meetings_are_for_the_group_or_the_network_only(member, group):
    with pytest.raises(Exception, match="seen by the group"):
        services.meeting_plan(
            planner=member, group=group, starts_at=_local(3), visibility=Visibility.PUBLIC
        )


def test_outsiders_cannot_plan_for_a_group(outsider, group):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.meeting_plan(planner=outsider, group=group, starts_at=_local(3))


# Seeing and running a meeting ---------------------------------------------------------


def test_group_meeting_is_404_for_members_of_other_groups(
    outsider_client, anon_client, member_client, meeting, other_group
):
    url = _meeting_url(meeting)
    assert member_client.get(url).status_code == 200
    assert outsider_client.get(url).status_code == 404
    assert anon_client.get(url).status_code == 302
    reflection = reverse("meetings:reflection", args=[meeting.group.slug, meeting.pk])
    assert outsider_client.get(reflection).status_code == 404
    # The same meeting under another group's address is not found either.
    elsewhere = reverse("meetings:meeting", args=[other_group.slug, meeting.pk])
    assert member_client.get(elsewhere).status_code == 404


def test_meeting_page_shows_the_agenda_and_is_accessible(member_client, meeting):
    html = member_client.get(_meeting_url(meeting)).content.decode()
    assert "Welcome Sam" in html
    assert "Record the meeting" in html
    assert problems(html) == []


def test_network_meeting_hides_group_only_items_from_outsiders(
    moderator, group, outsider_client, member_client, open_work
):
    meeting = services.meeting_plan(
        planner=moderator,
        group=group,
        starts_at=_local(2),
        visibility=Visibility.NETWORK,
        picked=[f"test_cycle-{open_work.cycle.pk}", f"question-{open_work.question.pk}"],
    )
    outsider_html = outsider_client.get(_meeting_url(meeting)).content.decode()
    assert "Text families on day one" not in outsider_html  # group-only cycle
    assert "Who calls on Mondays?" not in outsider_html  # group-only question
    assert outsider_html.count("An item you cannot see") == 2
    assert "Record the meeting" not in outsider_html
    member_html = member_client.get(_meeting_url(meeting)).content.decode()
    assert "Text families on day one" in member_html
    response = outsider_client.post(_meeting_url(meeting), {"other_participants": "3"})
    assert response.status_code == 403


def test_members_record_attendance_notes_and_progress(member_client, member, owner, meeting, group):
    entries = sel.agenda_view(viewer=member, meeting=meeting)
    welcome, family = entries[0].key, entries[1].key
    response = member_client.post(
        _meeting_url(meeting),
        {
            "participants": [member.pk, owner.pk],
            "other_participants": "2",
            "notes": "A *good* one.",
            f"note-{welcome}": "Sam starts Monday.",
            f"done-{welcome}": "on",
            f"pos-{welcome}": "2",
            f"pos-{family}": "1",
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert sorted(p.username for p in meeting.participants.all()) == ["mia", "olu"]
    assert meeting.other_participants == 2
    assert meeting.notes == "A *good* one."
    assert [e["title"] for e in meeting.agenda] == [
        "Plan the family night",
        "Welcome Sam",
        "Step back: what did we learn?",
    ]
    assert meeting.agenda[1]["note"] == "Sam starts Monday."
    assert meeting.agenda[1]["done"] is True
    html = member_client.get(_meeting_url(meeting)).content.decode()
    assert "<em>good</em>" in html
    assert "Sam starts Monday." in html


def test_only_group_members_can_be_ticked_present(member, meeting, outsider):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="Only the group's members"):
        services.meeting_record(viewer=member, meeting=meeting, participants=[outsider])


def test_dropping_an_item_keeps_items_added_meanwhile(member, moderator, meeting):
    first = sel.agenda_view(viewer=member, meeting=meeting)
    # Someone adds an item after the page was loaded…
    services.meeting_agenda_add(viewer=moderator, meeting=meeting, title="Bus news")
    # …and the record form, which knew only the first two, drops one of them.
    services.meeting_record(
        viewer=member,
        meeting=meeting,
        entries=[{"key": first[1].key}],
        drop=[first[0].key],
    )
    meeting.refresh_from_db()
    assert [e["title"] for e in meeting.agenda] == [
        "Plan the family night",
        "Bus news",
        "Step back: what did we learn?",
    ]


def test_add_an_agenda_item_from_the_page(member_client, meeting):
    url = reverse("meetings:agenda_add", args=[meeting.group.slug, meeting.pk])
    assert member_client.post(url, {"title": "Data night dates"}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.agenda[-2]["title"] == "Data night dates"
    assert meeting.agenda[-1]["kind"] == "step_back"
    response = member_client.post(url, {"title": ""})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()


# The step back ------------------------------------------------------------------------


def test_step_back_answers_become_learnings_of_the_group(
    member_client, member, owner, moderator, meeting, group
):
    services.meeting_record(
        viewer=moderator, meeting=meeting, participants=[member, owner, moderator]
    )
    url = reverse("meetings:reflection", args=[group.slug, meeting.pk])
    response = member_client.post(
        url,
        {
            "learned": "Families answer texts sent before 8 am.",
            "surprised": "The bus drivers knew first.",
            "next": "",
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    answers = meeting.agenda[-1]["answers"]
    assert [a["prompt"] for a in answers] == ["learned", "surprised"]
    assert answers[0]["by"] == member.pk

    to_learning = reverse(
        "meetings:answer_learning", args=[group.slug, meeting.pk, answers[0]["id"]]
    )
    assert member_client.post(to_learning).status_code == 302
    learning = Learning.objects.get()
    assert learning.title == "Families answer texts sent before 8 am."
    assert learning.kind == LearningKind.REFLECTION
    assert learning.author == member
    assert learning.group == group
    assert learning.visibility == Visibility.GROUP
    assert list(meeting.learnings.all()) == [learning]
    # Everyone who took part is credited in the learning's own words.
    assert "captured by Mia Member with" in learning.body
    assert "Mo Moderator" in learning.body and "Olu Owner" in learning.body
    # Once only.
    member_client.post(to_learning)
    assert Learning.objects.count() == 1

    html = member_client.get(url).content.decode()
    assert learning.get_absolute_url() in html
    assert problems(html) == []
    group_page = member_client.get(reverse("people:group", args=[group.slug])).content.decode()
    assert "Families answer texts sent before 8 am." in group_page


def test_empty_step_back_is_a_form_error(member_client, meeting):
    url = reverse("meetings:reflection", args=[meeting.group.slug, meeting.pk])
    response = member_client.post(url, {"learned": " ", "surprised": "", "next": ""})
    assert response.status_code == 200
    assert "at least one of the questions" in response.content.decode()


def test_answers_are_removed_by_their_writer_or_the_meetings_keepers(
    member, owner, moderator, meeting
):
    from django.core.exceptions import PermissionDenied

    (answer,) = services.reflection_add(viewer=member, meeting=meeting, answers={"next": "Try it"})
    with pytest.raises(PermissionDenied):
        services.reflection_remove(viewer=owner, meeting=meeting, answer_id=answer["id"])
    services.reflection_remove(viewer=moderator, meeting=meeting, answer_id=answer["id"])
    meeting.refresh_from_db()
    assert meeting.agenda[-1]["answers"] == []


def test_outsiders_cannot_write_the_step_back_of_a_network_meeting(
    moderator, outsider, outsider_client, group
):
    meeting = services.meeting_plan(
        planner=moderator, group=group, starts_at=_local(-1), visibility=Visibility.NETWORK
    )
    url = reverse("meetings:reflection", args=[group.slug, meeting.pk])
    assert outsider_client.get(url).status_code == 200
    assert outsider_client.post(url, {"learned": "Sneaky"}).status_code == 403


# Lists ----------------------------------------------------------------------------------


def test_meeting_list_query_count(
    member_client, member, owner, group, django_assert_max_num_queries
):
    for days in range(-40, 20, 4):
        m = MeetingFactory(author=owner, group=group, starts_at=_local(days))
        m.participants.set([owner, member])
    with django_assert_max_num_queries(11):
        response = member_client.get(reverse("meetings:meetings", args=[group.slug]))
    assert response.status_code == 200
    assert problems(response.content.decode()) == []


def test_meeting_page_query_count(
    member_client, member, group, moderator, open_work, django_assert_max_num_queries
):
    w = open_work
    meeting = services.meeting_plan(
        planner=moderator,
        group=group,
        starts_at=_local(2),
        picked=[k["key"] for k in sel.agenda_candidates(viewer=moderator, group=group)],
    )
    for _ in range(6):
        MembershipFactory(group=group)
    TestCycleFactory(author=member, group=group, status="running")
    assert w.cycle.pk
    with django_assert_max_num_queries(14):
        response = member_client.get(_meeting_url(meeting))
    assert response.status_code == 200


def test_group_page_links_to_the_next_meeting(member_client, meeting, group):
    html = member_client.get(reverse("people:group", args=[group.slug])).content.decode()
    assert meeting.title in html
    assert reverse("meetings:plan", args=[group.slug]) in html
    assert reverse("meetings:moderate", args=[group.slug]) not in html


# API ------------------------------------------------------------------------------------


def _api(client, method, path, **kw):
    return getattr(client, method)(f"/api/v1{path}", content_type="application/json", **kw)


def test_api_plans_runs_and_reflects(
    member_client, member, owner, group, open_work, django_capture_on_commit_callbacks
):
    base = f"/groups/{group.slug}/meetings"
    open_items = _api(member_client, "get", f"{base}/open").json()
    assert f"question-{open_work.question.pk}" in [i["key"] for i in open_items]
    with django_capture_on_commit_callbacks(execute=True):
        response = _api(
            member_client,
            "post",
            base,
            data={
                "starts_at": _local(3).isoformat(),
                "agenda": [f"question-{open_work.question.pk}"],
                "own_items": ["Snacks rota"],
            },
        )
    assert response.status_code == 201, response.content
    body = response.json()
    assert [e["title"] for e in body["agenda"]] == ["Who calls on Mondays?", "Snacks rota"]
    pk = body["id"]
    response = _api(
        member_client,
        "patch",
        f"{base}/{pk}/record",
        data={"participant_ids": [member.pk, owner.pk], "other_participants": 1},
    )
    assert response.status_code == 200
    assert {p["username"] for p in response.json()["participants"]} == {"mia", "olu"}
    answers = _api(
        member_client, "post", f"{base}/{pk}/reflection", data={"learned": "Texts work."}
    ).json()
    made = _api(member_client, "post", f"{base}/{pk}/reflection/{answers[0]['id']}/learning")
    assert made.status_code == 201
    detail = _api(member_client, "get", f"{base}/{pk}").json()
    assert detail["learning_ids"] == [made.json()["id"]]
    assert detail["reflection"][0]["learning_id"] == made.json()["id"]
    listed = _api(member_client, "get", base).json()
    assert listed["count"] == 1


def test_api_permissions(outsider_client, anon_client, member_client, meeting, group):
    base = f"/groups/{group.slug}/meetings"
    assert _api(outsider_client, "get", f"{base}/{meeting.pk}").status_code == 404
    assert _api(outsider_client, "get", f"{base}/open").status_code == 404
    assert _api(anon_client, "get", base).status_code == 401
    assert _api(outsider_client, "get", base).json()["count"] == 0
    response = _api(
        outsider_client,
        "patch",
        f"{base}/{meeting.pk}/record",
        data={"other_participants": 4},
    )
    assert response.status_code == 404
    response = _api(
        member_client, "post", base, data={"starts_at": _local(3).isoformat(), "agenda": ["nope-1"]}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "agenda"
