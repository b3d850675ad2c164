"""Hand-written content for the demo network's consolidation cycle: the standards the network
wrote for itself, the decisions members took together, reviews, and the routines (summaries,
syntheses, reduction rounds). Used by `learnloop.demo.cycle`.
"""

from __future__ import annotations

from dataclasses import dataclass

# ------------------------------------------------------------------------- who ideas serve

# Idea key -> the stakeholder types it is meant to benefit.
SERVES: dict[str, list[str]] = {
    "calls_first": ["parent", "student"],
    "weekly_checks": ["student"],
    "named_adult": ["student"],
    "home_language": ["parent"],
    "recovery_week": ["student"],
    "monday_circles": ["student"],
    "data_nights": ["parent", "student"],
    "warning_huddles": ["student", "parent"],
    "mentors_first_weeks": ["student"],
    "student_panels": ["student", "staff"],
    "bus_stops": ["student", "parent"],
    "fast_funds": ["student", "parent"],
    "evening_texts": ["parent", "student"],
    "plans_with_students": ["student"],
    "breakfast_first": ["student"],
    "summer_visits": ["parent", "student"],
    "funder_visits": ["funder", "staff"],
    "student_led_conferences": ["student", "parent"],
    "mentor_photo_texts": ["parent", "student"],
    "warning_list_liaisons": ["parent", "partner"],
    "library_club_counts": ["student", "community"],
    "walk_in_buddies": ["student"],
    "robocalls": ["parent"],
    "raffles": ["student"],
    "lunch_detention": ["student"],
    "quarterly_reviews": ["student", "staff"],
}

# ---------------------------------------------------------------------------- standards


@dataclass(frozen=True)
class CriterionSpec:
    kind: str
    title: str
    description: str
    min_contexts: int | None = None


CONTEXTS_2 = CriterionSpec(
    "contexts",
    "Tried in at least two places",
    "At least two different groups or schools tried it and wrote down what happened, "
    "including what did not go to plan.",
    2,
)
CONTEXTS_3 = CriterionSpec(
    "contexts",
    "Tried in at least three places",
    "At least three different groups or schools tried it and wrote down what happened. "
    "One enthusiastic team is a start, not proof.",
    3,
)
MEASURE = CriterionSpec(
    "measure",
    "Moves a measure we all track",
    "There is a before and after on one of the network's shared measures — on-track rate, "
    "attendance, course passing or family contact — not only a good feeling in the room.",
)
CONTRADICTION = CriterionSpec(
    "contradiction",
    "No contradiction left unanswered",
    "Every learning that points the other way has been read and answered: either the idea "
    "now says where it does not work, or we know why that result was different.",
)
EQUITY = CriterionSpec(
    "equity",
    "Works for the students and families furthest from opportunity",
    "The evidence shows who it reached, not only the average: students who miss school "
    "most, students already off track, families who do not speak English at home or who "
    "work nights. It counts only if the results hold for them too.",
)
FULL_YEAR = CriterionSpec(
    "other",
    "Holds for a full school year",
    "The results were followed from the first week of school to the last, so we know the "
    "effect does not fade after the first month.",
)
ASKED = CriterionSpec(
    "reach",
    "The people it is for say it helped",
    "Students or families the idea is meant for were asked what changed for them, and "
    "their own words are part of the evidence.",
)


@dataclass(frozen=True)
class VersionSpec:
    key: str
    title: str
    rationale: str
    author: str
    criteria: tuple[CriterionSpec, ...]
    days_ago: int  # when it was written
    outcome: str  # adopted, rejected, open
    decision_rationale: str
    based_on: str = ""


VERSIONS: list[VersionSpec] = [
    VersionSpec(
        "v1",
        "What counts as knowledge in our network",
        "We keep calling things 'best practice' after one good month at one school. These "
        "three questions are what we should ask before the whole network relies on an idea.",
        "amara.okafor",
        (CONTEXTS_2, MEASURE, CONTRADICTION),
        318,
        "adopted",
        "Our first written standards. Short on purpose: three questions every team can "
        "answer from the evidence it already keeps.",
    ),
    VersionSpec(
        "v2",
        "Knowledge has to work for everyone",
        "Twice this year an idea looked great on average and did nothing for the students "
        "who miss school most. This version makes equity a standard of its own, and asks "
        "for a third place before we call something knowledge.",
        "carla.santos",
        (CONTEXTS_3, MEASURE, CONTRADICTION, EQUITY),
        140,
        "adopted",
        "Adds an equity standard, written with the family group, and raises the number of "
        "places from two to three. The other two standards stay as they are.",
        based_on="v1",
    ),
    VersionSpec(
        "v3_full_year",
        "Results that last a whole year",
        "Some ideas look strong in September and fade by November. Asking for a full year "
        "of results would stop us from elevating too early.",
        "marcus.bell",
        (CONTEXTS_3, MEASURE, CONTRADICTION, EQUITY, FULL_YEAR),
        72,
        "rejected",
        "Adds one standard: results followed for a full school year.",
        based_on="v2",
    ),
    VersionSpec(
        "v3_asked",
        "Ask the people it is meant for",
        "We say an idea helps students and families, but we rarely ask them. This adds one "
        "standard: their own account is part of the evidence.",
        "sofia.morales",
        (CONTEXTS_3, MEASURE, CONTRADICTION, EQUITY, ASKED),
        3,
        "open",
        "Adds a standard about asking students and families what changed for them. "
        "Everything else stays as in version 2.",
        based_on="v2",
    ),
]

# Who blocked the full-year proposal, and why.
FULL_YEAR_BLOCK = (
    "linh.pham",
    "A full year means summer programs and August home visits can never count, and those "
    "are what families in our neighborhood use most. Can we talk about a shorter check "
    "that still catches fading results?",
)

# ---------------------------------------------------------------------------- decisions

AGREE_REASONS = [
    "We saw the same at our school.",
    "The evidence is there, and from more than one place.",
    "Families we work with say this made a difference.",
    "Yes — and let's keep watching the students who miss most.",
    "Ready. Our team would use the change package tomorrow.",
    "",
    "",
    "",
    "",
]
ABSTAIN_REASONS = [
    "I have not seen it at my school, so I will leave this to those who have.",
    "Not sure yet; I trust the group that tested it.",
    "",
]
DISAGREE_REASONS = [
    "Too early for me: most of the evidence comes from one school.",
    "I would like to see the attendance numbers for students who miss most first.",
    "The contradicting results from the spring are not answered yet.",
]

# The decision on "student_panels" that a student blocked.
PANELS_BLOCK = (
    "jaylen.carter",
    "Every panel so far had students who already like to speak up. Before we call this "
    "knowledge, try it with students who are failing a class — they are the ones teachers "
    "most need to hear.",
)
PANELS_RATIONALE = (
    "Panels ran at three schools this year and teachers changed at least one routine after "
    "each. The student voice group proposes it as knowledge."
)

# Return of "robocalls" proposed at a round that the members did not agree to.
ROBOCALLS_RETURN_NOTE = (
    "Families tell us they hang up on the recorded calls. Return it and put the effort into "
    "calls from a person."
)

# Return of "lunch_detention" proposed at a round; too few members voted.
DETENTION_RETURN_NOTE = (
    "Late arrivals went down for two weeks and then came back. Students say they skip the "
    "whole morning rather than arrive late and lose lunch."
)

# The return of "lunch_detention" recorded by a moderator without a decision.
OVERRIDE_REASON = (
    "Override, recorded without waiting for a vote: two students told the student voice "
    "group that they were kept in a room over lunch with no adult for most of a week. We "
    "stopped it that day rather than wait seven days for a decision; the earlier proposal "
    "to return it had too few voices to decide. The team will talk it through at its next "
    "meeting."
)

# Stage decisions open right now: idea key -> (to_stage, proposer, rationale, opened days
# ago, closes in days, how many votes so far, whether the steward has voted, whether the
# parent has voted).
OPEN_DECISIONS: list[tuple[str, str, str, str, int, int, int, bool, bool]] = [
    (
        "mentors_first_weeks",
        "knowledge",
        "tasha.williams",
        "Mentors met their ninth graders in the first six weeks at four schools, and the "
        "students they met early kept coming to school. We think it meets all four standards.",
        2,
        5,
        4,
        False,
        False,
    ),
    (
        "bus_stops",
        "knowledge",
        "hannah.kim",
        "Two bus stops moved, two schools, the same jump in first-period attendance for the "
        "students on those routes. Families asked for it; the district paid nothing extra.",
        5,
        2,
        7,
        True,
        False,
    ),
    (
        "home_language",
        "scaling",
        "ahmed.yusuf",
        "Every high school asked for the home-language guide this spring. Time to spread it "
        "beyond the schools that wrote it.",
        1,
        6,
        3,
        False,
        True,
    ),
]

# ------------------------------------------------------------------------------ reviews

JUSTIFICATIONS: dict[str, dict[str, list[str]]] = {
    "contexts": {
        "meets": [
            "Tried at {sites}, each with its own notes.",
            "Enough places: {sites}. The teams set it up differently and still saw it.",
        ],
        "partly": [
            "Tried at {sites}, but two of those are the same team working in two buildings.",
            "Close. {sites} so far; one more school would settle it for me.",
        ],
        "not_met": [
            "Only {sites} so far. Promising, not yet enough places.",
        ],
        "unsure": [
            "The learnings do not always say where they come from, so I cannot count places.",
        ],
    },
    "measure": {
        "meets": [
            "On-track rates went up in the classes that tried it and not in the others.",
            "Attendance moved on the shared measure, and the numbers are in the evidence.",
            "Family contact doubled on the monthly count at the schools that used it.",
        ],
        "partly": [
            "The numbers moved at one school; the others describe the change in words only.",
            "Before-and-after numbers exist, but for a few weeks only.",
        ],
        "not_met": [
            "Good stories, no numbers yet on any of our shared measures.",
        ],
        "unsure": [
            "The data learning mixes two measures, so I cannot tell which one moved.",
        ],
    },
    "contradiction": {
        "meets": [
            "The one result pointing the other way came from a school that ran it once; the "
            "team explained why.",
            "Nothing points the other way.",
        ],
        "partly": [
            "One contradicting result is answered, the other one is not yet.",
            "The idea now says it works less well in the spring; that answers part of it.",
        ],
        "not_met": [
            "The contradicting results from this spring have no answer yet.",
        ],
        "unsure": [
            "I could not open one of the contradicting learnings; it is in another group.",
        ],
    },
    "equity": {
        "meets": [
            "The results hold for students who miss most, and the notes say so.",
            "Families who do not speak English at home were reached as often as the others.",
        ],
        "partly": [
            "It reached families we already reach. We don't know about the ones we don't.",
            "Works on average; the students already off track are not broken out.",
        ],
        "not_met": [
            "Nothing in the evidence about the students furthest from opportunity.",
        ],
        "unsure": [
            "The evidence does not say who was reached, so I cannot judge this one.",
        ],
    },
    "reach": {
        "meets": ["Students were asked and their words are in the evidence."],
        "partly": ["Families were asked at one school only."],
        "not_met": ["Nobody asked the students yet."],
        "unsure": ["I cannot tell from the learnings whether anyone was asked."],
    },
    "other": {
        "meets": ["Followed from September to June at one school at least."],
        "partly": ["Followed for one semester."],
        "not_met": ["Only the first month is in the evidence."],
        "unsure": ["The dates in the evidence are not clear enough to tell."],
    },
}

REVIEW_SUMMARIES: dict[str, list[str]] = {
    "strong": [
        "Solid. I would be glad to see this as knowledge.",
        "Strong evidence from several places; the equity question is the one to keep watching.",
        "This has held up everywhere it was tried.",
    ],
    "mixed": [
        "Promising, with one gap.",
        "Good work; not yet for me, but close.",
        "Worth spreading, with care about who it reaches.",
    ],
    "weak": [
        "Too early. The stories are good, the evidence is thin.",
        "Keep testing; I am not convinced yet.",
    ],
}

MISSING: list[str] = [
    "A third school, and numbers for the students who miss most.",
    "Before-and-after numbers on one of our shared measures.",
    "An answer to the contradicting result from the spring.",
    "Ask families who did not come what would have helped.",
    "",
    "",
]

# The learning that contradicts knowledge and flags it for review.
FLAG = {
    "idea": "monday_circles",
    "author": "olivia.tran",
    "group": "student-voice-impact-group",
    "site": "Northgate High",
    "title": "Monday circles went quiet at Northgate after the schedule change",
    "body": (
        "Since the new bell schedule cut advisory to fifteen minutes, our Monday circles "
        "barely get past the check-in question. Monday attendance in my advisory is back "
        "where it was last fall: 81% for the last four Mondays, against 88% in the spring. "
        "Students say the circle feels rushed, so they don't bother.\n\nMaybe the idea "
        "needs a minimum time to work?"
    ),
    "note": "Same circles, shorter time: the effect went away.",
}

# ------------------------------------------------------------------------------ routines

SUMMARY_EVIDENCE = [
    "Two of my learnings this month point the same way: {a} and {b}.",
    "My test log shows it, week by week; the learning has the numbers.",
    "What I saw in class, and what two families told me on the phone.",
    "The attendance list before and after, and my notes from the team meeting.",
    "Mostly what students said when I asked them directly.",
]
SUMMARY_UNDERSTANDING = [
    "I thought the problem was motivation. It is mostly the first hour of the day.",
    "I used to wait for the quarterly report. Now I know the slide starts in week three.",
    "Families want to hear from us before there is a problem, not only after.",
    "The students I worry about most are the ones who do not show up in my notes at all.",
    "Less changed than I hoped: the same students keep slipping.",
    "A small change in routine did more than the big program we planned.",
]
SUMMARY_HELPERS = [
    "Someone at Riverbend who tried the same thing in the spring.",
    "The family liaisons: they know which families we never reach.",
    "A student from the student voice group, to tell us how it feels from their side.",
    "Whoever keeps the attendance data at the district office.",
    "The mentoring group; their mentors see the same students.",
]

SYNTHESIS_PATTERNS = [
    "Across {contexts}, the first three weeks decide a lot: students who get one personal "
    "contact early keep showing up.",
    "Every site that tried it saw the biggest change for students with the most absences "
    "last year.",
    "It works when one adult owns the follow-up; it stalls when 'the team' does.",
    "Families respond to a person, in their language, about something specific.",
]
SYNTHESIS_DIFFERENCES = [
    "{site_a} started in August, {site_b} in October; the later start saw half the effect.",
    "At {site_a} teachers ran it, at {site_b} the family liaisons did; families answered "
    "the liaisons more often.",
    "Smaller schools kept it going; at {site_a} it fell apart when the lead was out sick.",
    "Few real differences: {site_a} and {site_b} saw much the same, a little later at {site_b}.",
]
SYNTHESIS_TAGS = ["attendance", "family engagement", "ninth grade", "belonging", ""]
SYNTHESIS_PERIODS = ["30", "90", "90", "180"]

REDUCTION_NOTES = {
    "nothing": (
        "Nothing elevated this round, and that is fine: every candidate is worth keeping, "
        "none has enough places behind it yet. Each one has a note saying what would help."
    ),
    "elevated": (
        "A good round. Three ideas go to the members as knowledge; two stay with their "
        "groups with a clear list of what is missing; one goes back for a vote on returning it."
    ),
    "first": (
        "Our first round under the new standards. We learned how to read an idea against "
        "them: slowly. Nothing is ready yet."
    ),
}
REFINE_NOTES = [
    "Only one school so far. Who else could try it this term?",
    "Strong at one site; we need numbers from a second school on a shared measure.",
    "Needs a third place, and word on how it works for families who don't speak English.",
    "The contradicting result from the spring needs an answer before we go further.",
    "Good results on average; show us the students who miss most.",
]
ELEVATE_NOTES = [
    "Meets every standard in the reviews, with evidence from several schools.",
    "Reviewers agree it meets the standards; the equity evidence is the strongest we have.",
    "",
]
