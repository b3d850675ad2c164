"""The newsletter issue export: what matured, new knowledge products, notable learnings,
with stages and credits; for the members (never group-only work, whoever exports it) or
the public (public items only); as an HTML email file and as Markdown; for stewards and
knowledge brokers."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from learnloop.consolidation.models import Stage, StageChange
from learnloop.core.models import Comment, Visibility
from learnloop.sharing import newsletter
from learnloop.sharing.models import Broker
from tests.core.a11y import problems
from tests.factories import EvidenceFactory, IdeaFactory, LearningFactory, ProductFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
SINCE = TODAY - timedelta(days=29)


@pytest.fixture
def world(owner, outsider, other_group, group):
    """One item of each kind at each visibility that matters, all in the period."""
    made = {}
    for visibility in (Visibility.PUBLIC, Visibility.NETWORK, Visibility.GROUP, Visibility.DRAFT):
        name = visibility.label
        idea = IdeaFactory(
            author=owner,
            group=group,
            visibility=visibility,
            title=f"{name} idea",
            stage=Stage.PROMISING,
        )
        StageChange.objects.create(
            idea=idea, from_stage="testing", to_stage="promising", reason="r", decided_by=owner
        )
        product = ProductFactory(
            author=owner, group=group, visibility=visibility, title=f"{name} product"
        )
        product.ideas.add(idea)
        learning = LearningFactory(
            author=outsider, group=other_group, visibility=visibility, title=f"{name} learning"
        )
        EvidenceFactory(idea=idea, learning=learning)
        made[visibility] = (idea, product, learning)
    # Moved back: not "matured".
    back = IdeaFactory(author=owner, title="Back to the drawing board", stage=Stage.RETURNED)
    StageChange.objects.create(
        idea=back, from_stage="promising", to_stage="returned", reason="r", decided_by=owner
    )
    return made


def _issue(audience: str) -> newsletter.Issue:
    return newsletter.build_issue(since=SINCE, until=TODAY, audience=audience)


def _titles(issue: newsletter.Issue, key: str) -> list[str]:
    return sorted(i.title for s in issue.sections if s.key == key for i in s.items)


def test_members_issue_holds_network_and_public_items_only(world):
    issue = _issue("network")
    assert _titles(issue, "matured") == ["Network idea", "Public idea"]
    assert _titles(issue, "products") == ["Network product", "Public product"]
    assert _titles(issue, "learnings") == ["Network learning", "Public learning"]
    text = newsletter.render_markdown(issue) + newsletter.render_html(issue)
    for hidden in ("Group idea", "Group product", "Private draft", "Group learning"):
        assert hidden not in text


def test_public_issue_holds_public_items_linked_to_the_public_site(world):
    idea, product, learning = world[Visibility.PUBLIC]
    issue = _issue("public")
    assert _titles(issue, "matured") == ["Public idea"]
    assert _titles(issue, "products") == ["Public product"]
    assert _titles(issue, "learnings") == ["Public learning"]
    md = newsletter.render_markdown(issue)
    assert reverse("sharing:public_idea", args=[idea.pk]) in md
    assert reverse("sharing:public_product", args=[product.pk]) in md
    assert learning.get_absolute_url() not in md  # no public page for learnings
    assert "Network" not in md


def test_every_idea_shows_its_stage_and_every_item_its_credits(world, owner, outsider):
    issue = _issue("network")
    matured = next(s for s in issue.sections if s.key == "matured")
    public_idea = next(i for i in matured.items if i.title == "Public idea")
    assert (public_idea.from_label, public_idea.stage_label) == ("Testing", "Promising")
    assert public_idea.credits[0] == owner.name
    products = next(s for s in issue.sections if s.key == "products")
    network_product = next(i for i in products.items if i.title == "Network product")
    assert [(r.title, r.stage_label) for r in network_product.ideas] == [
        ("Network idea", "Promising")
    ]
    md = newsletter.render_markdown(issue)
    assert "moved from Testing to stage Promising" in md
    assert f"Credit: {owner.name}" in md
    html = newsletter.render_html(issue)
    assert "Promising" in html and owner.name in html


def test_a_steward_export_still_leaves_group_work_out(world, steward):
    assert newsletter.may_export(steward)
    assert "Group idea" not in newsletter.render_markdown(_issue("network"))


def test_notable_learnings_are_the_ones_others_built_on(owner, group):
    LearningFactory(author=owner, group=group, title="Nobody used this")
    talked = LearningFactory(author=owner, group=group, title="Talked about")
    Comment.objects.create(target=talked, author=owner, body="Good one")
    issue = _issue("network")
    assert _titles(issue, "learnings") == ["Talked about"]


def test_period_bounds_are_days_both_included(owner):
    inside = ProductFactory(author=owner, title="On the last day")
    inside.published_at = timezone.now()
    inside.save()
    old = ProductFactory(author=owner, title="Too old")
    old.published_at = timezone.now() - timedelta(days=40)
    old.save()
    assert _titles(_issue("network"), "products") == ["On the last day"]


def test_markdown_escapes_user_text(owner):
    ProductFactory(author=owner, title="[Click](http://evil.example) *now*")
    md = newsletter.render_markdown(_issue("network"))
    assert "[Click](http://evil.example)" not in md
    assert r"\[Click\]\(http://evil.example\) \*now\*" in md


def test_html_escapes_user_text_and_loads_nothing(owner):
    ProductFactory(author=owner, title="<script>alert(1)</script>")
    html = newsletter.render_html(_issue("network"))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<link" not in html and "<img" not in html


def test_bad_requests_are_field_errors():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        newsletter.clean_request(since="2025-13-01", until="x", audience="friends", fmt="pdf")
    assert set(exc.value.message_dict) == {"since", "until", "audience", "format"}
    with pytest.raises(ValidationError) as exc:
        newsletter.clean_request(since="2025-02-01", until="2025-01-01", audience="public")
    assert set(exc.value.message_dict) == {"until"}
    with pytest.raises(ValidationError):
        newsletter.clean_request(since="2023-01-01", until="2025-01-01", audience="public")


# Who may export -----------------------------------------------------------------------------

PAGE = reverse("newsletter:issue")
DOWNLOAD = reverse("newsletter:download")


@pytest.fixture
def broker(member, steward):
    return Broker.objects.create(person=member, named_by=steward)


def test_visitors_log_in_and_members_are_refused(anon_client, owner_client):
    assert anon_client.get(PAGE).status_code == 302
    assert anon_client.get(DOWNLOAD).status_code == 302
    assert owner_client.get(PAGE).status_code == 403
    assert owner_client.get(f"{DOWNLOAD}?since=2025-01-01&until=2025-01-31").status_code == 403


def test_a_retired_broker_may_no_longer_export(member_client, broker):
    assert member_client.get(PAGE).status_code == 200
    broker.retired_at = timezone.now()
    broker.save()
    assert member_client.get(PAGE).status_code == 403


def test_page_previews_the_issue(steward_client, world):
    response = steward_client.get(PAGE, {"since": SINCE, "until": TODAY, "audience": "public"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Public product" in html
    assert "Network product" not in html
    assert "format=md" in html and "format=html" in html
    assert problems(html) == []


def test_page_opens_on_the_last_thirty_days(member_client, broker):
    html = member_client.get(PAGE).content.decode()
    assert f'value="{SINCE.isoformat()}"' in html
    assert problems(html) == []


def test_bad_dates_on_the_page_are_form_errors(steward_client):
    response = steward_client.get(PAGE, {"since": "2025-03-01", "until": "2025-02-01"})
    assert response.status_code == 200
    assert "comes before its start" in response.content.decode()


def test_download_both_formats(member_client, broker, world):
    query = {"since": SINCE, "until": TODAY, "audience": "network"}
    md = member_client.get(DOWNLOAD, {**query, "format": "md"})
    assert md["Content-Type"].startswith("text/markdown")
    assert md["Content-Disposition"] == (
        f'attachment; filename="newsletter-network-{SINCE}-to-{TODAY}.md"'
    )
    assert "Network product" in md.content.decode()
    html = member_client.get(DOWNLOAD, {**query, "format": "html"})
    assert html["Content-Type"].startswith("text/html")
    assert html.content.decode().startswith("<!doctype html>")
    bad = member_client.get(DOWNLOAD, {**query, "format": "pdf"})
    assert bad.status_code == 400


# The API and the command line -----------------------------------------------------------


def test_api_permissions(client, owner, member, broker, token_for):
    assert client.get("/api/v1/newsletter").status_code == 401
    refused = client.get("/api/v1/newsletter", HTTP_AUTHORIZATION=f"Bearer {token_for(owner)}")
    assert refused.status_code == 403
    allowed = client.get("/api/v1/newsletter", HTTP_AUTHORIZATION=f"Bearer {token_for(member)}")
    assert allowed.status_code == 200


def test_api_json_and_files(client, steward, world, token_for):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_for(steward)}"}
    query = f"since={SINCE}&until={TODAY}&audience=public"
    body = client.get(f"/api/v1/newsletter?{query}", **auth).json()
    assert body["audience"] == "public"
    products = next(s for s in body["sections"] if s["key"] == "products")
    assert [i["title"] for i in products["items"]] == ["Public product"]
    assert products["items"][0]["ideas"][0]["stage"] == "promising"
    assert products["items"][0]["url"].endswith(
        reverse("sharing:public_product", args=[world[Visibility.PUBLIC][1].pk])
    )
    md = client.get(f"/api/v1/newsletter?{query}&format=md", **auth)
    assert md["Content-Type"].startswith("text/markdown")
    assert "Public product" in md.content.decode()
    bad = client.get("/api/v1/newsletter?since=2025-13-01&audience=all", **auth)
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"since", "audience"}


def test_command_line(world, tmp_path):
    out = io.StringIO()
    call_command(
        "newsletter",
        "--since",
        str(SINCE),
        "--until",
        str(TODAY),
        "--audience",
        "public",
        "--format",
        "md",
        stdout=out,
    )
    assert "Public product" in out.getvalue()
    assert "Network product" not in out.getvalue()
    target = tmp_path / "issue.html"
    call_command("newsletter", "--format", "html", "--output", str(target), stdout=io.StringIO())
    assert "Network product" in target.read_text()
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("newsletter", "--since", "yesterday", stdout=io.StringIO())
