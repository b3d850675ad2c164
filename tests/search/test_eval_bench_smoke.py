"""A CI-sized run of the search benchmark (`bench/search_seed.py`, `bench/search_run.py`):
1,000 seeded learnings, indexed through the production path, then short queries for each
kind of viewer and whole-learning queries. It checks that the benchmark still runs and that
every mode answers as itself; the figures that matter come from the full-size runs."""

from __future__ import annotations

import random

import numpy as np
import pytest
from bench import search_run
from bench.search_seed import SearchSeeder, TextModel
from django.contrib.auth.models import AnonymousUser

from learnloop.people.models import Person
from learnloop.search.evaluation import index_all
from learnloop.search.models import SearchDocument

pytestmark = pytest.mark.django_db


def test_text_model_is_english_like_and_deterministic():
    model = TextModel(seed=3)
    first = model.document(np.random.default_rng(1))
    assert first == model.document(np.random.default_rng(1))
    _topics, title, body = first
    assert 4 <= len(title.split()) <= 10
    assert body.endswith(".")
    words = [w.strip(".").lower() for w in body.split()]
    assert 15 <= len(words) <= 250
    # Function words are the most frequent, as in English.
    sample = [
        w.strip(".").lower()
        for seed in range(40)
        for w in model.document(np.random.default_rng(seed))[2].split()
    ]
    assert max(set(sample), key=sample.count) == "the"


def test_benchmark_smoke(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    SearchSeeder(learnings=1000, seed=7).run()
    timings = index_all(progress=False)
    assert set(timings) == {"index_lexical_seconds", "index_semantic_seconds"}
    assert SearchDocument.objects.filter(item_type="learning").count() == 1000

    rng = random.Random(1)
    report: dict = {}
    member = Person.objects.get(username=search_run.BENCH_USERNAME)
    viewers = {
        "member": member,
        "steward": Person.objects.get(username=search_run.STEWARD),
        "anonymous": AnonymousUser(),
    }
    search_run.time_short(report, viewers, search_run.short_queries(rng, 4), warm_up=1)
    for who in viewers:
        for mode in search_run.MODES:
            row = report["short"][f"{who}/{mode}"]
            assert row["n"] == 3
            # A query none of whose words the model knows is answered by words.
            assert mode in row["answered_by"].split(",")
            assert row["median_total"] > 0
    # Anonymous visitors see public items only: fewer matches than a member.
    assert (
        report["short"]["anonymous/lexical"]["median_total"]
        < (report["short"]["member/lexical"]["median_total"])
    )
    search_run.time_long(report, member, rng, 3, warm_up=1)
    assert report["long"]["related"]["n"] == report["long"]["duplicates"]["n"] > 0
    assert report["long"]["related"]["median_found"] > 0
