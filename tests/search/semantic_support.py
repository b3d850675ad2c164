"""Shared pieces of the semantic layer's tests: a small corpus with clear topics, a fitted
model, and the environment (a private data directory, a fresh in-memory index). Test
modules import the fixtures by name."""

from __future__ import annotations

from typing import Any

import pytest

from learnloop.search import semantic, semantic_tasks

# Four topics, several learnings each, in different words: enough for an SVD to find them.
TOPICS: dict[str, list[tuple[str, str]]] = {
    "attendance": [
        (
            "Calling families on the first day lifts attendance",
            "Teachers phoned every family before school started; chronic absence fell "
            "in the first month because families felt welcome.",
        ),
        (
            "Phone calls home beat letters for absent students",
            "When a student missed two days, a call home brought them back faster than "
            "the letter did. Families answer phone calls.",
        ),
        (
            "Attendance rose after morning greetings at the door",
            "Greeting students by name at the door each morning, attendance and "
            "punctuality improved; absent students came back sooner.",
        ),
        (
            "Chronic absence data by week shows the October dip",
            "Weekly attendance data shows chronic absence climbing in October; calling "
            "families early in the month flattened the dip.",
        ),
    ],
    "tutoring": [
        (
            "Peer tutoring in algebra raised ninth grade pass rates",
            "Older students tutored ninth graders in algebra twice a week; more of them "
            "passed the algebra course and homework completion rose.",
        ),
        (
            "After-school math tutoring works when it is short",
            "Thirty-minute tutoring sessions in math after school kept students coming; "
            "long sessions lost them. Algebra grades improved.",
        ),
        (
            "Tutors who knew the algebra curriculum helped most",
            "Tutoring was strongest when tutors followed the algebra curriculum the "
            "teacher used; students passed more quizzes.",
        ),
    ],
    "mentoring": [
        (
            "Weekly mentor check-ins keep students on track",
            "Each mentor met their students weekly to talk about goals and grades; "
            "students with a mentor stayed on track to graduate.",
        ),
        (
            "Mentors from the community build trust with students",
            "Community mentors who shared students' backgrounds built trust quickly; "
            "mentoring conversations turned to goals and college.",
        ),
        (
            "Mentoring goals written together are kept",
            "When mentor and student wrote goals together the student kept them; "
            "the mentor reviewed the goals at each weekly meeting.",
        ),
    ],
    "gardening": [
        (
            "The garden beds need water on weekends",
            "Tomatoes and beans in the garden beds wilted over the weekend; volunteers "
            "now water the garden beds and the compost on Saturdays.",
        ),
        (
            "Compost from the cafeteria feeds the garden beds",
            "Cafeteria scraps went into compost bins; the compost fed the garden beds and "
            "the tomatoes and beans grew well.",
        ),
        (
            "Seedlings grown indoors survive the spring garden",
            "Seedlings started indoors in March survived planting in the garden beds; "
            "tomatoes and beans from seed did not.",
        ),
    ],
}


def corpus() -> list[tuple[str, str, str]]:
    return [(topic, t, b) for topic, items in TOPICS.items() for t, b in items]


def fit_now() -> dict[str, Any]:
    """Fit the SVD model and embed every document now, as the background task does."""
    report = semantic_tasks.refresh(refit=True, limit_svd=None, limit_minilm=None)
    semantic.reset()
    return report


@pytest.fixture
def semantic_env(settings, tmp_path):
    """A private data directory (for the embedding lock file) and a fresh in-memory index:
    each test's database starts empty, whatever the previous test loaded."""
    settings.DATA_DIR = tmp_path
    semantic.reset()
    yield
    semantic.reset()
