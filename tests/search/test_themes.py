"""Themes for a synthesis: learnings grouped by what they are about, each theme with a label
(class-based TF-IDF), its most representative learnings and the contexts it spans; only
learnings the viewer may see, and a 404 for any id they may not."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from learnloop.core.models import Visibility
from learnloop.search import themes
from learnloop.search.embedders import stem
from tests.core.a11y import problems
from tests.factories import GroupFactory, MembershipFactory, OrganizationFactory
from tests.search.factories_search import learning
from tests.search.semantic_support import TOPICS, corpus, fit_now, semantic_env  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("semantic_env")]


@pytest.fixture
def network(owner, group):
    """The corpus as learnings of the owner's group, from two sites, with a fitted model."""
    org = OrganizationFactory(name="Eastside District", slug="eastside")
    owner.organization = org
    owner.save(update_fields=["organization"])
    made = {topic: [] for topic in TOPICS}
    for n, (topic, title, body) in enumerate(corpus()):
        site = "North High" if n % 2 else "South Middle"
        kind = "data" if "data" in title.lower() else "observation"
        made[topic].append(
            learning(owner, title, body, group=group, site=site, kind=kind, visibility="group")
        )
    fit_now()
    return made


def everything(network) -> list:
    return [x for items in network.values() for x in items]


def by_label(result) -> dict[str, set[str]]:
    return {str(t.label): {x.title for x in t.learnings} for t in result.themes}


def test_learnings_fall_into_their_topics_with_telling_labels(member, network):
    result = themes.group_into_themes(viewer=member, learnings=everything(network))
    found = by_label(result)
    assert result.method == "agglomerative" and result.model == "svd" and result.count == 13
    assert found["garden · beds · compost"] == {x.title for x in network["gardening"]}
    assert found["tutoring · algebra · pass"] == {x.title for x in network["tutoring"]}
    assert found["mentor · goals · students"] == {x.title for x in network["mentoring"]}
    attendance = {x.title for x in network["attendance"]}
    rest = set().union(
        *(
            v
            for k, v in found.items()
            if k
            not in (
                "garden · beds · compost",
                "tutoring · algebra · pass",
                "mentor · goals · students",
            )
        )
    )
    assert rest == attendance  # one theme of its own, and what did not fit under "Other"


def test_each_theme_has_representatives_and_contexts(member, network):
    result = themes.group_into_themes(viewer=member, learnings=everything(network))
    garden = next(t for t in result.themes if "garden" in t.label)
    assert len(garden.representatives) == 3
    assert set(garden.representatives) == set(garden.learnings)
    assert garden.groups == ["Attendance Circle"]
    assert garden.sites == ["North High", "South Middle"]
    assert garden.organizations == ["Eastside District"]
    assert garden.kinds == ["Observation"]
    assert [t.other for t in result.themes][-1] is True  # "Other" comes last
    sizes = [t.size for t in result.themes if not t.other]
    assert sizes == sorted(sizes, reverse=True)


def test_the_most_representative_is_closest_to_the_centre(member, network):
    result = themes.group_into_themes(viewer=member, learnings=everything(network))
    from learnloop.search import semantic
    from tests.search.factories_search import doc_of

    for theme in result.themes:
        if theme.other:
            continue
        vectors = np.vstack([semantic.document_vector(doc_of(x)) for x in theme.learnings])
        centre = vectors.mean(axis=0)
        closeness = vectors @ (centre / np.linalg.norm(centre))
        assert all(a >= b - 1e-5 for a, b in itertools.pairwise(closeness))


def test_the_same_input_gives_the_same_themes(member, network):
    first = themes.group_into_themes(viewer=member, learnings=everything(network))
    again = themes.group_into_themes(viewer=member, learnings=list(reversed(everything(network))))
    assert [(t.label, [x.pk for x in t.learnings]) for t in first.themes] == [
        (t.label, [x.pk for x in t.learnings]) for t in again.themes
    ]


def test_without_a_model_the_set_itself_is_the_model(member, owner):
    made = [learning(owner, t, b) for _topic, t, b in corpus()]
    result = themes.group_into_themes(viewer=member, learnings=made)
    assert result.model == "set-tfidf"
    assert "garden · beds · compost" in by_label(result)


def test_large_sets_use_kmeans_with_k_by_silhouette(member, network, monkeypatch):
    monkeypatch.setattr(themes, "AGGLOMERATIVE_MAX", 5)
    result = themes.group_into_themes(viewer=member, learnings=everything(network))
    assert result.method == "kmeans"
    assert 2 <= len([t for t in result.themes if not t.other]) <= 3  # k in 2..13//4
    labels = themes._kmeans(np.eye(3, dtype=np.float32).repeat(8, axis=0))
    assert len(set(labels.tolist())) == 3


def test_never_more_than_twelve_themes():
    pairs = np.eye(20, dtype=np.float32).repeat(2, axis=0)  # 20 far-apart pairs
    assert len(set(themes._agglomerative(pairs[:16]).tolist())) == 8
    assert len(set(themes._agglomerative(pairs).tolist())) == themes.MAX_K


def test_too_few_learnings(member, network):
    with pytest.raises(ValidationError):
        themes.group_into_themes(viewer=member, learnings=network["gardening"][:2])


# Labels ------------------------------------------------------------------------------------


def test_light_stems():
    assert {stem(w) for w in ("call", "calls", "calling", "called")} == {"call"}
    assert stem("families") == stem("family") == "family"
    assert stem("planned") == "plan" and stem("classes") == "class" and stem("bus") == "bus"


def test_class_based_tfidf_by_hand():
    clusters = [["apple pie", "apple tart"], ["pear jam", "pear pie"]]
    labels = themes.labels_for(clusters)
    # Words per cluster: 4 and 4, so A = 4. "apple": tf 2 in cluster 1, f = 2 →
    # 2·log(1 + 4/2) = 2.197; "pie": tf 1, f = 2 → 1.099 and in one text only. So
    # "apple" leads cluster 1 and "pear" cluster 2; "pie" (in both) never leads.
    assert labels[0][0] == "apple" and labels[1][0] == "pear"
    assert math.isclose(2 * math.log(1 + 4 / 2), 2.1972, rel_tol=1e-4)
    assert themes.labels_for([["Calling families", "calls to families"]])[0][0] in {
        "families",
        "calling",
        "calls",
    }


# Pages and API -----------------------------------------------------------------------------


def test_synthesis_page_offers_themes_and_groups_the_ticked_learnings(owner_client, group, network):
    page = reverse("routines:synthesis_new") + f"?group={group.pk}"
    html = owner_client.get(page).content.decode()
    assert "Group these learnings into themes" in html
    assert f'formaction="{reverse("search:themes")}?group={group.pk}"' in html
    chosen = network["gardening"] + network["tutoring"]
    response = owner_client.post(
        reverse("search:themes") + f"?group={group.pk}",
        {"learnings": [x.pk for x in chosen], "patterns": "ignored"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "garden · beds · compost" in html and "tutoring · algebra · pass" in html
    assert "mentor" not in html.split("<h1>", 1)[1]
    assert f'href="{page}"' in html  # back to the synthesis
    assert problems(html) == []


def test_with_fewer_than_three_ticked_all_shown_are_grouped(owner_client, group, network):
    response = owner_client.post(
        reverse("search:themes") + f"?group={group.pk}",
        {"learnings": [network["gardening"][0].pk]},
    )
    html = response.content.decode()
    assert "13 learnings" in html and "mentor · goals · students" in html


def test_themes_page_needs_the_right_to_run_the_synthesis(outsider_client, anon_client, group):
    url = reverse("search:themes") + f"?group={group.pk}"
    assert outsider_client.get(url).status_code == 403
    assert anon_client.get(url).status_code == 302
    assert outsider_client.get(reverse("search:themes") + "?group=999999").status_code == 404


def test_a_hidden_learning_among_the_ticked_ones_is_a_404(owner_client, outsider, group, network):
    hidden = learning(outsider, "Outsider's private garden notes", visibility=Visibility.DRAFT)
    chosen = [x.pk for x in network["gardening"]] + [hidden.pk]
    response = owner_client.post(
        reverse("search:themes") + f"?group={group.pk}", {"learnings": chosen}
    )
    assert response.status_code == 404


def test_themes_of_a_finished_session(owner, owner_client, outsider_client, group, network):
    from learnloop.consolidation.routines import synthesis_complete

    routine = synthesis_complete(
        person=owner,
        group=group,
        learnings=everything(network),
        answers={"patterns": "Topics recur.", "differences": ""},
        strength="moderate",
    )
    html = owner_client.get(routine.get_absolute_url()).content.decode()
    url = reverse("search:themes") + f"?routine={routine.pk}"
    assert url in html
    html = owner_client.get(url).content.decode()
    assert "garden · beds · compost" in html and "Back to the session" in html
    assert outsider_client.get(url).status_code == 404


def test_api_themes(client, owner, outsider, group, network, token_for):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_for(owner)}"}
    ids = [x.pk for x in everything(network)]
    body = client.post(
        "/api/v1/search/themes", {"learning_ids": ids}, content_type="application/json", **auth
    ).json()
    assert body["count"] == 13 and body["method"] == "agglomerative" and body["model"] == "svd"
    garden = next(t for t in body["themes"] if t["label"] == "garden · beds · compost")
    assert sorted(garden["learning_ids"]) == sorted(x.pk for x in network["gardening"])
    assert garden["terms"] == ["garden", "beds", "compost"]
    assert len(garden["representatives"]) == 3 and garden["kinds"] == ["Observation"]
    other = {"HTTP_AUTHORIZATION": f"Bearer {token_for(outsider)}"}
    hidden = client.post(
        "/api/v1/search/themes", {"learning_ids": ids}, content_type="application/json", **other
    )
    assert hidden.status_code == 404  # group learnings of a group the outsider is not in
    few = client.post(
        "/api/v1/search/themes", {"learning_ids": ids[:2]}, content_type="application/json", **auth
    )
    assert few.status_code == 422 and few.json()["errors"][0]["field"] == "learning_ids"
    empty = client.post("/api/v1/search/themes", {}, content_type="application/json", **auth)
    assert empty.status_code == 422
    anonymous = client.post(
        "/api/v1/search/themes", {"learning_ids": ids}, content_type="application/json"
    )
    assert anonymous.status_code == 401


def test_api_themes_of_a_routine(client, owner, outsider, group, network, token_for):
    from learnloop.consolidation.routines import synthesis_complete

    routine = synthesis_complete(
        person=owner,
        group=group,
        learnings=everything(network),
        answers={"patterns": "Topics recur.", "differences": ""},
        strength="moderate",
    )
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_for(owner)}"}
    body = client.post(
        "/api/v1/search/themes",
        {"routine_id": routine.pk},
        content_type="application/json",
        **auth,
    ).json()
    assert body["count"] == 13
    other = {"HTTP_AUTHORIZATION": f"Bearer {token_for(outsider)}"}
    response = client.post(
        "/api/v1/search/themes",
        {"routine_id": routine.pk},
        content_type="application/json",
        **other,
    )
    assert response.status_code == 404


def test_a_member_of_a_linked_group_sees_only_what_they_may(member, group, network):
    far = GroupFactory(name="Far Team", slug="far-team")
    stranger = MembershipFactory(group=far).person
    with pytest.raises(Http404):
        themes.learnings_by_ids(stranger, [x.pk for x in network["gardening"]])
    assert len(themes.learnings_by_ids(member, [x.pk for x in network["gardening"]])) == 3
