"""The map page: who may open it, what it shows, the filters, and the steward's refresh."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from learnloop.core.models import Visibility
from learnloop.network.models import NetworkSnapshot, SnapshotKind
from learnloop.network.services import network_refresh
from learnloop.people.models import Person
from learnloop.sharing.models import Broker
from tests.core.a11y import problems
from tests.factories import GroupFactory, LearningFactory, MembershipFactory, PersonFactory
from tests.network.factories_network import comment

pytestmark = pytest.mark.django_db

MAP = reverse("network:map")
REFRESH = reverse("network:refresh")


def html_of(client, **params) -> str:
    response = client.get(MAP, params)
    assert response.status_code == 200
    return response.content.decode()


def test_anonymous_is_sent_to_log_in(anon_client):
    for response in (anon_client.get(MAP), anon_client.post(REFRESH)):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_before_the_first_refresh_the_page_says_so(member_client):
    html = html_of(member_client)
    assert "has not been computed yet" in html
    assert "<svg" not in html
    assert problems(html) == []


def test_member_sees_the_map_and_the_tables(member_client, mapped, bridge):
    html = html_of(member_client)
    assert problems(html) == []
    assert '<svg class="net-svg' in html and '<title id="net-title">' in html
    assert 'data-person="bea"' in html
    assert "network/network.js" in html and "network/network.css" in html
    for heading in ("Who connects which groups", "Silos", "Brokers in practice", "How it changed"):
        assert heading in html
    assert "Last refreshed" in html
    # Bea is the bridge: first among the brokers in practice.
    brokers = html.split('data-testid="brokers"')[1].split("</table>")[0]
    assert brokers.index("Bea Bridge") < brokers.index("</tr>", brokers.index("<tbody>"))
    # Members do not get the steward's button; nobody is a named broker yet.
    assert f'action="{REFRESH}"' not in html
    assert "Named broker" not in html


def test_steward_gets_the_refresh_button(steward_client, mapped):
    assert f'action="{REFRESH}"' in html_of(steward_client)


def test_group_filter_shows_its_members_and_those_tied_to_them(
    member_client, mapped, group, other_group, outsider, bridge
):
    html = html_of(member_client, group=other_group.slug)
    assert problems(html) == []
    assert f"Network map: {other_group.name}" in html
    assert 'data-person="oscar"' in html and 'data-person="bea"' in html
    # Mia is tied to Bea (they share the owner's group): shown, faded, as outside the group.
    mia = html.split('data-person="mia"')[1].split("</a>")[0]
    assert "node-outside" in mia
    assert "node-outside" not in html.split('data-person="oscar"')[1].split("</a>")[0]
    # Stella has no tie with anyone in the group: not shown.
    assert 'data-person="stella"' not in html


def test_selecting_a_person_lists_whom_they_connect(
    member_client, mapped, bridge, group, other_group
):
    html = html_of(member_client, person="bea")
    assert problems(html) == []
    assert "Whom Bea Bridge connects" in html
    panel = html.split('id="person-h"')[1].split("</section>")[0]
    assert group.name in panel and other_group.name in panel
    assert "Olu Owner" in panel and "commented on one another" in panel
    assert "Oscar Outsider" in panel and "endorsed one another" in panel
    assert "tie-sel" in html and "node-sel" in html


@pytest.mark.parametrize(
    "params",
    [
        {"group": "no-such-group"},
        {"person": "nobody"},
        {"window": "2019-q7"},
        {"window": "1999-q1"},
    ],
)
def test_unknown_group_person_or_window_is_404(member_client, mapped, params):
    assert member_client.get(MAP, params).status_code == 404


def test_a_quarter_can_be_shown(member_client, mapped):
    quarter = NetworkSnapshot.objects.filter(kind=SnapshotKind.QUARTER).first()
    html = html_of(member_client, window=quarter.key)
    assert f"showing {quarter.label}" in html
    assert f'<option value="{quarter.key}" selected>' in html


def test_a_large_map_draws_its_strongest_ties_and_all_of_the_selected(
    member_client, mapped, bridge, monkeypatch
):
    monkeypatch.setattr("learnloop.network.drawing.MAX_LINES", 1)
    html = html_of(member_client, person="mia")
    assert html.count("<line ") == 3  # Mia's three ties: Olu, Mo and Bea
    assert html.count('class="tie ') == html.count("tie-sel")
    assert "weakest ties are left out" in html


def test_named_brokers_are_marked(member_client, mapped, bridge, steward):
    Broker.objects.create(person=bridge, named_by=steward)
    html = html_of(member_client)
    assert "Named broker" in html.split('data-testid="brokers"')[1].split("</table>")[0]
    assert "node-broker" in html
    assert "Named broker (ringed)" in html


def test_silos_and_quiet_groups_are_named(member_client, bridge, group, other_group, outsider):
    still = GroupFactory(name="Still Waters", slug="still-waters")
    for person in (PersonFactory(), PersonFactory()):
        MembershipFactory(person=person, group=still)
    # Outsider comments on the owner's learning: the owner's group reaches out.
    comment(LearningFactory(author=bridge, group=group), outsider)
    network_refresh(force=True)
    table = html_of(member_client).split('data-testid="silos"')[1].split("</table>")[0]
    rows = {row.split("</a>")[0].rsplit(">", 1)[1]: row for row in table.split("<tr")[2:]}
    assert "net-silo-badge" in rows[other_group.name]  # its one tie stays inside
    assert "net-silo-badge" not in rows[group.name]
    assert "net-quiet-badge" in rows["Still Waters"] and "—" in rows["Still Waters"]


def quarter(start, silos, ties=10, cross=2):
    return NetworkSnapshot.objects.create(
        kind=SnapshotKind.QUARTER,
        window_start=start,
        window_end=date(start.year + start.month // 10, (start.month + 2) % 12 + 1, 1),
        people_count=5,
        tie_count=ties,
        cross_tie_count=cross,
        silos=[{"slug": s.lower(), "name": s} for s in silos],
    )


def test_how_it_changed_compares_the_first_and_last_quarters(member_client, mapped):
    NetworkSnapshot.objects.filter(kind=SnapshotKind.QUARTER).delete()
    quarter(date(2024, 7, 1), ["Reading", "Maths"], ties=10, cross=1)
    quarter(date(2024, 10, 1), ["Maths", "Art"], ties=20, cross=5)
    html = html_of(member_client)
    changes = html.split('id="change-h"')[1]
    assert "Ties across groups: 10% in Jul\u2013Sep 2024, 25% in Oct\u2013Dec 2024." in changes
    assert "New silos: Art." in changes
    assert "No longer silos: Reading." in changes
    assert "Silos then and now: Maths." in changes
    rows = changes.split('data-testid="changes"')[1].split("</table>")[0]
    assert rows.index("Jul\u2013Sep 2024") < rows.index("Oct\u2013Dec 2024")
    assert '<a href="?window=2024-q3">' in rows


def test_nothing_hidden_reaches_the_map(member_client, owner, group):
    """A comment on a group-only learning ties nobody: the stranger who made it is on the
    map without any tie, and the group-only title never appears."""
    stranger = PersonFactory(username="zed", display_name="Zed Stranger")
    secret = LearningFactory(
        author=owner, group=group, visibility=Visibility.GROUP, title="Group secret"
    )
    comment(secret, stranger)
    network_refresh(force=True)
    html = html_of(member_client, person="zed")
    assert "Group secret" not in html
    assert "No ties in this time" in html
    assert 'data-a="olu" data-b="zed"' not in html and 'data-a="zed"' not in html


def test_people_deactivated_since_the_refresh_are_left_out(member_client, mapped, bridge):
    Person.objects.filter(pk=bridge.pk).update(is_active=False)
    html = html_of(member_client)
    assert "Bea Bridge" not in html
    assert member_client.get(MAP, {"person": "bea"}).status_code == 404


def test_member_may_not_refresh(member_client, moderator_client):
    assert member_client.post(REFRESH).status_code == 403
    assert moderator_client.post(REFRESH).status_code == 403
    assert member_client.get(REFRESH).status_code == 405
    assert not NetworkSnapshot.objects.exists()


def test_steward_refreshes_and_is_told_so(steward_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = steward_client.post(REFRESH, follow=True)
    assert response.redirect_chain == [(MAP, 302)]
    html = response.content.decode()
    assert "being recomputed" in html
    assert NetworkSnapshot.objects.filter(kind=SnapshotKind.YEAR).exists()


def _busy_network(group, other_group, n: int) -> None:
    people = [PersonFactory() for _ in range(n)]
    for i, person in enumerate(people):
        MembershipFactory(person=person, group=group if i % 2 else other_group)
        learning = LearningFactory(author=person, visibility=Visibility.NETWORK)
        comment(learning, people[(i + 1) % n])
        comment(learning, people[(i + 3) % n])
    network_refresh(force=True)


def _page_queries(client, username: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(MAP, {"person": username}).status_code == 200
    return len(ctx.captured_queries)


def test_the_page_reads_a_fixed_number_of_queries(
    member_client, group, other_group, django_assert_max_num_queries
):
    _busy_network(group, other_group, 6)
    small = _page_queries(member_client, Person.objects.last().username)
    _busy_network(group, other_group, 30)
    last = Person.objects.last().username
    with django_assert_max_num_queries(8):
        large = _page_queries(member_client, last)
    assert small == large
