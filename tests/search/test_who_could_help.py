"""Who could help: people ranked from their contributions close to an idea or a question —
learnings and ideas they wrote, answers, endorsements — counted only from what the viewer
may see, with "because of" links; never the author, inactive people, or people who may
not see the item. Questions show it inside "People who might know"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from learnloop.community.suggestions import people_who_might_know
from learnloop.consolidation.models import Endorsement
from learnloop.core.models import Visibility
from learnloop.generation.models import Answer, Learning
from learnloop.search import semantic_tasks
from learnloop.search.helpers import contributions, who_could_help
from tests.core.a11y import problems
from tests.factories import MembershipFactory, PersonFactory
from tests.search.factories_search import idea, learning, question
from tests.search.semantic_support import corpus, fit_now, semantic_env  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("semantic_env")]


@pytest.fixture
def people(group):
    """Authors of the corpus: one person per topic, all in the owner's group."""
    names = {"attendance": "Ada", "tutoring": "Tom", "mentoring": "Meg", "gardening": "Gil"}
    made = {}
    for topic, name in names.items():
        made[topic] = PersonFactory(username=name.lower(), display_name=name)
        MembershipFactory(person=made[topic], group=group)
    for topic, title, body in corpus():
        learning(made[topic], title, body)
    return made


@pytest.fixture
def plan(owner, people):
    made = idea(owner, "Phone every family when a student is absent", "Calls home lift attendance.")
    fit_now()
    return made


def names(helpers) -> list[str]:
    return [h.person.display_name for h in helpers]


def test_the_people_whose_work_is_closest_come_first_with_reasons(member, people, plan):
    helpers = who_could_help(viewer=member, item_type="idea", item=plan)
    assert names(helpers)[0] == "Ada"
    ada = helpers[0]
    assert 1 <= len(ada.because) <= 3
    assert all(b.verb == "wrote the learning" for b in ada.because)
    titles = set(Learning.objects.filter(author=ada.person).values_list("title", flat=True))
    assert {b.title for b in ada.because} <= titles
    assert ada.because[0].url.startswith("/learnings/")


def test_never_the_author_nor_inactive_people(member, owner, people, plan):
    learning(owner, "Calling families about absence works", "Phone calls, attendance.")
    semantic_tasks.refresh()
    assert "Olu Owner" not in names(who_could_help(viewer=member, item_type="idea", item=plan))
    people["attendance"].is_active = False
    people["attendance"].save(update_fields=["is_active"])
    assert "Ada" not in names(who_could_help(viewer=member, item_type="idea", item=plan))


def test_reasons_never_reveal_what_the_viewer_may_not_see(
    member, outsider, other_group, people, plan
):
    # Only a private draft and a group learning of a group the member is not in speak of
    # it: Pat may not be suggested to the member for them.
    pat = PersonFactory(username="pat", display_name="Pat")
    MembershipFactory(person=pat, group=other_group)
    text = "Phone calls to every family of an absent student"
    learning(pat, text, "Attendance.", visibility=Visibility.DRAFT)
    learning(pat, text + " again", "Attendance.", group=other_group, visibility="group")
    semantic_tasks.refresh()
    assert "Pat" not in names(who_could_help(viewer=member, item_type="idea", item=plan))
    found = contributions(viewer=member, item_type="idea", item=plan)
    assert pat.pk not in found
    # An outsider in Pat's group sees the group learning, and so sees Pat suggested.
    seen = who_could_help(viewer=outsider, item_type="idea", item=plan)
    assert "Pat" in names(seen)
    pats = next(h for h in seen if h.person == pat)
    assert [b.title for b in pats.because] == [text + " again"]


def test_only_people_who_may_see_the_item(member, owner, group, people):
    grouped = idea(
        owner,
        "Phone every family when a student is absent",
        "Calls home.",
        group=group,
        visibility="group",
    )
    far = PersonFactory(username="far", display_name="Far Away")
    learning(far, "Calling families of absent students by phone", "Attendance calls.")
    fit_now()
    helpers = names(who_could_help(viewer=member, item_type="idea", item=grouped))
    assert "Ada" in helpers and "Far Away" not in helpers


def test_answers_and_endorsements_count(member, owner, outsider, people, plan):
    asked = question(outsider, "How do we get families to answer phone calls?", "Absence.")
    zoe = PersonFactory(username="zoe", display_name="Zoe")
    Answer.objects.create(question=asked, author=zoe, body="Call at dinner time.", accepted=True)
    close = idea(outsider, "Call families of absent students the same day", "Attendance.")
    yan = PersonFactory(username="yan", display_name="Yan")
    Endorsement.objects.create(idea=close, person=yan)
    fit_now()
    helpers = {
        h.person.display_name: h
        for h in who_could_help(viewer=member, item_type="idea", item=plan, limit=10)
    }
    assert helpers["Zoe"].because[0].verb == "gave the accepted answer to"
    assert helpers["Zoe"].because[0].title == asked.title
    assert helpers["Yan"].because[0].verb == "endorsed the idea"
    assert helpers["Yan"].score < helpers["Zoe"].score  # an endorsement weighs 0.3


def test_older_work_counts_less(member, people, plan):
    found = contributions(viewer=member, item_type="idea", item=plan)
    before = sum(w for w, _b in found[people["attendance"].pk])
    Learning.objects.filter(author=people["attendance"]).update(
        created_at=timezone.now() - timedelta(days=365)
    )
    from learnloop.search.services import documents_sync_bulk

    documents_sync_bulk(Learning.objects.filter(author=people["attendance"]))
    after = sum(
        w
        for w, _b in contributions(viewer=member, item_type="idea", item=plan)[
            people["attendance"].pk
        ]
    )
    assert after == pytest.approx(before / 2, rel=0.02)  # a half-life of one year


def test_idea_page_panel(member_client, owner_client, people, plan):
    url = reverse("search:who_could_help", args=["idea", plan.pk])
    html = member_client.get(plan.get_absolute_url()).content.decode()
    assert f'hx-get="{url}"' in html and 'id="who-could-help"' in html
    assert problems(html) == []
    fragment = member_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    panel = fragment.split('id="who-could-help"', 1)[1].split("</section>", 1)[0]
    assert "Who could help" in panel and 'id="helper-ada"' in panel
    assert "wrote the learning" in panel
    page = member_client.get(url).content.decode()  # without JavaScript: a page
    assert f"Who could help with “{plan.title}”" in page and problems(page) == []


def test_anonymous_visitors_and_outsiders(anon_client, outsider_client, owner, group, people):
    public = idea(owner, "Phone families of absent students", "Calls.", visibility="public")
    grouped = idea(owner, "Phone families, group", "Calls.", group=group, visibility="group")
    fit_now()
    html = anon_client.get(public.get_absolute_url()).content.decode()
    assert 'id="who-could-help"' not in html
    url = reverse("search:who_could_help", args=["idea", public.pk])
    assert anon_client.get(url).status_code == 302  # to log in
    hidden = reverse("search:who_could_help", args=["idea", grouped.pk])
    assert outsider_client.get(hidden).status_code == 404
    learning_url = reverse("search:who_could_help", args=["learning", public.pk])
    assert outsider_client.get(learning_url).status_code == 404


def test_a_fixed_number_of_queries(member, people, plan):
    def count() -> int:
        who_could_help(viewer=member, item_type="idea", item=plan)
        with CaptureQueriesContext(connection) as ctx:
            who_could_help(viewer=member, item_type="idea", item=plan)
        return len(ctx)

    small = count()
    for n in range(20):
        author = PersonFactory(username=f"helper{n}")
        learning(author, f"Calling families about absence, note {n}", "Phone calls home.")
    semantic_tasks.refresh()
    assert count() == small <= 8


# Questions: "People who might know" takes the same signal ------------------------------------


def test_question_panel_names_people_from_close_work(member_client, member, owner, people):
    asked = question(owner, "What gets an absent student's family to pick up the phone?", "")
    fit_now()
    found = {s.person.display_name: s for s in people_who_might_know(viewer=member, question=asked)}
    assert "Ada" in found
    assert any("close to this question" in r for r in found["Ada"].reasons)
    html = member_client.get(asked.get_absolute_url()).content.decode()
    assert "close to this question" in html


# API ---------------------------------------------------------------------------------------


def test_api_who_could_help(client, member, outsider, owner, group, people, plan, token_for):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_for(member)}"}
    body = client.get(f"/api/v1/search/who-could-help/idea/{plan.pk}", **auth).json()
    first = body["people"][0]
    assert first["username"] == "ada" and first["url"] == "/people/ada/"
    assert first["because"][0]["verb"] == "wrote the learning"
    grouped = idea(owner, "A group idea on calls", "Calls.", group=group, visibility="group")
    other = {"HTTP_AUTHORIZATION": f"Bearer {token_for(outsider)}"}
    assert (
        client.get(f"/api/v1/search/who-could-help/idea/{grouped.pk}", **other).status_code == 404
    )
    assert client.get(f"/api/v1/search/who-could-help/idea/{plan.pk}").status_code == 401
    lone = learning(owner, "A learning", "Text.")
    assert (
        client.get(f"/api/v1/search/who-could-help/learning/{lone.pk}", **auth).status_code == 404
    )
    asked = question(owner, "Who knows about family phone calls?", "")
    answered = client.get(f"/api/v1/search/who-could-help/question/{asked.pk}", **auth)
    assert answered.status_code == 200
