"""Hand-written content for the demo network's measures, convenings, value stories and the
team that went quiet. Used by `learnloop.demo.impact`.

Dates are days counted from the day the demo is built: negative in the past, positive in
the weeks ahead.
"""

from __future__ import annotations

from dataclasses import dataclass

from learnloop.demo.content import (
    ATTENDANCE,
    CLUSTER,
    FAMILY,
    FUNDERS,
    MENTORING,
    ONTRACK,
    STUDENT,
)

# ---------------------------------------------------------------------------- measures

ON_TRACK = "ninth-grade-on-track"
ATTENDANCE_RATE = "daily-attendance"
FAMILIES_REACHED = "families-reached-first-month"
CHRONIC_ABSENCE = "chronic-absence"

POPULATION = "population"
ALL_STUDENTS = "All students"
ENGLISH_LEARNERS = "English learners"
DISABILITIES = "Students with disabilities"


@dataclass(frozen=True)
class MeasureSpec:
    slug: str
    name: str
    kind: str
    unit: str
    direction: str
    target: str | None
    description: str
    breakdowns: tuple[str, ...] = ()
    author: str = "amara.okafor"


MEASURES: list[MeasureSpec] = [
    MeasureSpec(
        ON_TRACK,
        "Ninth graders on track",
        "outcome",
        "%",
        "higher",
        "85",
        "The share of ninth graders who, at the end of the month, pass every core course and "
        "have missed fewer than one school day in ten. Each school counts its own ninth "
        "graders, in total and for English learners and students with disabilities, so we "
        "can see who the year is working for.",
        (POPULATION,),
    ),
    MeasureSpec(
        ATTENDANCE_RATE,
        "Average daily attendance",
        "outcome",
        "%",
        "higher",
        "94",
        "Of all the school days in the month, the share on which ninth graders were in "
        "school, taken from each school's attendance register.",
    ),
    MeasureSpec(
        FAMILIES_REACHED,
        "Families reached by a personal call in their first month",
        "process",
        "families",
        "higher",
        None,
        "New ninth-grade families whom an adult at school reached by phone, in the family's "
        "home language, within a month of the student enrolling. A real conversation counts; "
        "a voicemail or an automated message does not.",
        author="lucia.fernandez",
    ),
    MeasureSpec(
        CHRONIC_ABSENCE,
        "Ninth graders chronically absent",
        "outcome",
        "%",
        "lower",
        "10",
        "The share of ninth graders who missed at least one school day in ten during the "
        "month, for any reason. The district office reports it for every school.",
    ),
]

# Notes the schools wrote next to some figures, by (measure, site, month index 0-11).
POINT_NOTES: dict[tuple[str, str, int], str] = {
    (ON_TRACK, "Lakeview Ninth Grade Academy", 6): "First month with weekly grade checks.",
    (ON_TRACK, "Northgate High", 6): "Weekly grade checks started this month.",
    (ATTENDANCE_RATE, "Riverbend High", 7): "Bus drivers' strike: no buses for four days.",
    (ATTENDANCE_RATE, "Eastside High", 6): "Monday circles now in every ninth-grade advisory.",
    (CHRONIC_ABSENCE, "Lakeview Ninth Grade Academy", 7): (
        "First month Lakeview's own register feeds the district report."
    ),
    (FAMILIES_REACHED, "Northgate High", 6): "Back after two months without a liaison.",
}

# Who aims to move what: idea keys and the groups whose test cycles count.
IDEA_LINKS: dict[str, tuple[str, ...]] = {
    ON_TRACK: ("weekly_checks", "recovery_week", "plans_with_students", "named_adult"),
    ATTENDANCE_RATE: ("monday_circles", "evening_texts", "bus_stops", "breakfast_first"),
    FAMILIES_REACHED: ("calls_first", "home_language", "summer_visits"),
    CHRONIC_ABSENCE: ("bus_stops", "walk_in_buddies", "warning_huddles"),
}
CYCLE_LINKS: dict[str, str] = {
    ON_TRACK: ONTRACK,
    ATTENDANCE_RATE: ATTENDANCE,
    FAMILIES_REACHED: FAMILY,
}

# ---------------------------------------------------------------------------- convenings


@dataclass(frozen=True)
class ConveningSpec:
    key: str
    title: str
    kind: str
    days: int  # from today: negative for the past
    hour: int
    minutes: int
    group: str | None
    author: str
    place: str = ""
    link: str = ""
    people: tuple[str, ...] = ()  # named participants
    more: int = 0  # further participants drawn from the group (or the network)
    others: int = 0  # people who took part and are not in LearnLoop
    notes: str = ""
    outputs: str = ""
    visibility: str = "network"


CALL = "https://meet.harborvalley.example.org/"

CONVENINGS: list[ConveningSpec] = [
    ConveningSpec(
        "kickoff",
        "Opening gathering: what a good first year of high school looks like",
        "event",
        -330,
        9,
        360,
        CLUSTER,
        "amara.okafor",
        place="Riverbend High School library",
        people=("lucia.fernandez", "priya.natarajan", "rosa.jimenez", "tasha.williams"),
        more=20,
        others=35,
        notes=(
            "Every school brought three ninth graders' stories, with their permission. We "
            "wrote on the wall what each student needed in September and what they got.\n\n"
            "The same gap came up everywhere: the first call home is about a problem."
        ),
        outputs=(
            "- Four shared measures to follow together this year\n"
            "- Five impact groups, each with a first question to work on\n"
            "- A promise to meet in the middle of the year and look at the numbers together"
        ),
        visibility="public",
    ),
    ConveningSpec(
        "mentor_match",
        "Mentor match day",
        "event",
        -300,
        15,
        150,
        MENTORING,
        "tasha.williams",
        place="Bayside Youth Mentors, 14 Harbor Street",
        people=("leo.romero", "ines.duarte"),
        more=6,
        others=30,
        notes=(
            "Thirty tenth-grade mentors met their ninth graders over pizza and a scavenger "
            "hunt. Pairs were matched on one shared interest each."
        ),
        outputs=(
            "- 28 pairs matched in the second week of school\n"
            "- A mentor check-in card every pair keeps"
        ),
    ),
    ConveningSpec(
        "calls_workshop",
        "Workshop: a good-news call in three minutes",
        "workshop",
        -255,
        15,
        120,
        FAMILY,
        "rosa.jimenez",
        place="Eastside High, room 112",
        people=("ahmed.yusuf", "james.okonkwo", "sarah.cohen", "marcus.bell"),
        more=5,
        others=2,
        notes=(
            "We practised in pairs: one calls, one plays the parent who expects bad news. "
            "The hardest part was stopping after the good news instead of adding a but."
        ),
        outputs=(
            "- A call script that fits on one card, soon in five languages\n"
            "- A shared call log, one line per family\n"
            "- Everyone makes five calls before next Friday"
        ),
    ),
    ConveningSpec(
        "ontrack_first_report",
        "On-track team: reading the first grade report together",
        "meeting",
        -240,
        14,
        90,
        ONTRACK,
        "priya.natarajan",
        place="Riverbend High, conference room B",
        people=("hannah.kim", "nadia.haddad", "keisha.brown"),
        more=4,
        notes=(
            "We read every ninth grader's first-quarter grades side by side. Thirty-one "
            "students were failing a course and nobody had flagged them yet."
        ),
        outputs=(
            "- Each of the 31 students has a named adult who reaches out this week\n"
            "- Lakeview and Northgate will try a weekly check instead of waiting for the "
            "quarter"
        ),
    ),
    ConveningSpec(
        "somali_listening",
        "Listening session with Somali-speaking families at Northgate",
        "conversation",
        -215,
        18,
        90,
        FAMILY,
        "ahmed.yusuf",
        place="Northgate High cafeteria",
        people=("fatima.ali", "rosa.jimenez"),
        more=2,
        others=22,
        notes=(
            "Twenty-two parents came, with tea and an interpreter from the community. Most "
            "had never had a call from school that was not about a problem, and several did "
            "not know who to call back."
        ),
        outputs=(
            "- First contact with every Somali-speaking family in Somali, from now on\n"
            "- One named person at Northgate families can call back"
        ),
    ),
    ConveningSpec(
        "student_panel",
        "Student panel: what motivation looks like from a ninth grader's seat",
        "conversation",
        -195,
        15,
        75,
        STUDENT,
        "rachel.adeyemi",
        place="Riverbend High auditorium",
        people=("sofia.morales", "jaylen.carter", "amir.hassan", "emily.nguyen"),
        more=2,
        others=40,
        notes=(
            "Four ninth graders answered teachers' questions on stage. The one everyone "
            "remembered: a student is not unmotivated when she has a job after school."
        ),
        outputs="- Teachers asked for a panel every term\n- Questions to ask before a referral",
    ),
    ConveningSpec(
        "midyear",
        "Six months in: network gathering",
        "event",
        -180,
        9,
        330,
        CLUSTER,
        "lucia.fernandez",
        place="Open Door Family Center, main hall",
        people=("amara.okafor", "daniel.reyes", "hannah.kim", "rosa.jimenez"),
        more=22,
        others=30,
        notes=(
            "Each group showed one chart and told one story. We spent the afternoon on what "
            "to stop doing."
        ),
        outputs=(
            "- Robocalls and attendance raffles returned for another look\n"
            "- The bus office invited to the attendance group\n"
            "- A first reading of the four shared measures at midyear"
        ),
    ),
    ConveningSpec(
        "bus_coffee",
        "Coffee with the bus drivers and the transportation office",
        "conversation",
        -160,
        7,
        60,
        ATTENDANCE,
        "hannah.kim",
        place="District bus depot, drivers' room",
        people=("will.foster", "samuel.ortiz"),
        more=1,
        others=9,
        notes=(
            "Drivers knew exactly which stops students skip in the rain and why. Nobody had "
            "ever asked them."
        ),
        outputs="- Two stops to move as a trial\n- A driver joins the attendance group",
    ),
    ConveningSpec(
        "runchart_workshop",
        "Workshop: reading a run chart without fooling ourselves",
        "workshop",
        -150,
        15,
        120,
        CLUSTER,
        "amara.okafor",
        link=CALL + "run-charts",
        people=("priya.natarajan", "hannah.kim", "rachel.adeyemi"),
        more=8,
        notes=(
            "We looked at our own attendance charts and learned the four signals: a shift, a "
            "trend, too few or too many runs, and a point far off the rest. Then we argued, "
            "kindly, about the Riverbend dip."
        ),
        outputs=(
            "- Each team brings a run chart to its meeting\n"
            "- We stop calling one good month a success"
        ),
    ),
    ConveningSpec(
        "attendance_six_weeks",
        "Attendance group: what the first six weeks told us",
        "meeting",
        -140,
        15,
        90,
        ATTENDANCE,
        "hannah.kim",
        place="District office, room 3",
        people=("dev.patel", "jorge.castillo", "nina.kowalski"),
        more=3,
        notes="We read the attendance report of the first six weeks, school by school.",
        outputs="- Two bus stops moved\n- The breakfast trial put on hold until spring",
    ),
    ConveningSpec(
        "funders_sit_in",
        "Funders sit in on the on-track team's weekly check",
        "meeting",
        -125,
        14,
        60,
        FUNDERS,
        "daniel.reyes",
        place="Lakeview Ninth Grade Academy, team room",
        people=("helen.park", "priya.natarajan", "nadia.haddad"),
        more=1,
        notes=(
            "Two program officers watched a weekly check from the back of the room and "
            "asked their questions at the end."
        ),
        outputs="- Funders' next report asks what the team learned, not only how many",
    ),
    ConveningSpec(
        "data_night_dry_run",
        "Family data night: a dry run",
        "workshop",
        -95,
        17,
        120,
        FAMILY,
        "sarah.cohen",
        place="Riverbend High library",
        people=("carla.santos", "kevin.johnson", "james.okonkwo"),
        more=3,
        others=4,
        notes=(
            "Parents played families and told us where they got lost: too many numbers on "
            "one page, and no time to ask questions privately."
        ),
        outputs="- One page per student, three numbers\n- A private corner for questions",
    ),
    ConveningSpec(
        "circles_retro",
        "Student voice group: what Monday circles changed",
        "meeting",
        -75,
        15,
        60,
        STUDENT,
        "keisha.brown",
        place="Northgate High, room 204",
        people=("olivia.tran", "dante.robinson"),
        more=3,
        notes="Students and advisors looked back on a term of Monday circles.",
        outputs="- Students choose the Monday question from now on",
    ),
    ConveningSpec(
        "checks_retro",
        "On-track team: six months of weekly checks",
        "meeting",
        -55,
        14,
        90,
        ONTRACK,
        "priya.natarajan",
        link=CALL + "on-track",
        people=("nadia.haddad", "keisha.brown", "hannah.kim"),
        more=3,
        notes=(
            "Lakeview and Northgate showed their on-track charts: every month since the "
            "checks began sits above the line. Eastside and Riverbend asked how to start."
        ),
        outputs=(
            "- Eastside and Riverbend start weekly checks next term\n"
            "- The how-to gets a section on building the list by hand"
        ),
    ),
    ConveningSpec(
        "funders_table",
        "Funders and partners table: what the numbers say so far",
        "meeting",
        -25,
        10,
        90,
        FUNDERS,
        "daniel.reyes",
        place="Cedar Ridge Community Foundation, second floor",
        people=("helen.park", "frank.osei", "mei.chen"),
        more=1,
        notes="We read the four shared measures together, with the schools' notes.",
        outputs="- Liaison funding renewed for two years",
        visibility="group",
    ),
    ConveningSpec(
        "showcase",
        "Showcase: schools show what they tried",
        "event",
        -38,
        16,
        150,
        CLUSTER,
        "lucia.fernandez",
        place="Eastside High gym",
        people=("amara.okafor", "rosa.jimenez", "tasha.williams", "keisha.brown"),
        more=18,
        others=55,
        notes=(
            "A table per school, a poster per idea, and students explaining them to "
            "visitors. Families voted with stickers for the idea they want next year."
        ),
        outputs="- Good-news calls and weekly checks got the most stickers",
        visibility="public",
    ),
    ConveningSpec(
        "data_office_hour",
        "Office hour: getting your figures into LearnLoop",
        "conversation",
        -12,
        16,
        45,
        None,
        "amara.okafor",
        link=CALL + "office-hour",
        people=("samuel.ortiz", "ahmed.yusuf"),
        more=3,
        notes="Drop-in help with the monthly figures and the CSV upload.",
        outputs="- A template file every school can reuse",
    ),
    # Coming up
    ConveningSpec(
        "ontrack_next",
        "On-track team: who needs a call this week",
        "meeting",
        4,
        14,
        60,
        ONTRACK,
        "priya.natarajan",
        link=CALL + "on-track",
        people=("nadia.haddad", "keisha.brown", "tom.whitaker"),
        more=2,
        notes="The weekly check. Bring your list of ninth graders with a new failing grade.",
    ),
    ConveningSpec(
        "plans_workshop",
        "Workshop: writing a one-page success plan with a student",
        "workshop",
        11,
        15,
        120,
        CLUSTER,
        "rachel.adeyemi",
        place="Lakeview Ninth Grade Academy library",
        people=("priya.natarajan", "sofia.morales"),
        more=6,
        notes="Bring one student who is willing to write their plan with you, and a pen.",
    ),
    ConveningSpec(
        "year_gathering",
        "Network gathering: our first year of learning together",
        "event",
        23,
        9,
        360,
        None,
        "lucia.fernandez",
        place="Open Door Family Center, main hall",
        people=("amara.okafor", "daniel.reyes", "rosa.jimenez", "priya.natarajan"),
        more=16,
        others=40,
        notes=(
            "Open to everyone in the network and to families. We look at a year of the four "
            "measures, hear the value stories, and choose what to carry into the next one."
        ),
        visibility="public",
    ),
    ConveningSpec(
        "funders_next",
        "Funders and partners table: what should we fund next?",
        "conversation",
        33,
        10,
        90,
        FUNDERS,
        "daniel.reyes",
        place="Cedar Ridge Community Foundation, second floor",
        people=("helen.park", "frank.osei"),
        more=2,
        notes="A first conversation about next year's grants, starting from the value stories.",
        visibility="group",
    ),
]

# -------------------------------------------------------------------------- value stories


@dataclass(frozen=True)
class StepSpec:
    cycle: str
    narrative: str
    days: int  # days ago it was told (moved later if a linked record is newer)
    indicator: str = ""
    convening: str = ""
    learning: tuple[str, str] | tuple[()] = ()  # (group slug, practice key): nearest learning
    product: str = ""
    outcome: str = ""  # title of an adoption outcome
    measure: str = ""


@dataclass(frozen=True)
class StorySpec:
    title: str
    summary: str
    group: str
    author: str
    steps: tuple[StepSpec, ...]


STORIES: list[StorySpec] = [
    StorySpec(
        "From a three-minute call to families who call back",
        "How one workshop on good-news calls travelled to every high school, and changed "
        "what the network counts.",
        FAMILY,
        "rosa.jimenez",
        (
            StepSpec(
                "immediate",
                "Liaisons and teachers practised their first call in pairs. Several said it "
                "was the first time anyone had shown them what a good call sounds like.",
                253,
                "10 of 11 people made a call within the week",
                convening="calls_workshop",
            ),
            StepSpec(
                "potential",
                "The card, the call log and the three-week calendar we made that afternoon "
                "became a change package in five languages.",
                230,
                "A change package in five languages",
                product="calls_package",
            ),
            StepSpec(
                "applied",
                "All four high schools made every first call in the first three weeks.",
                150,
                outcome="Families answered when it mattered",
            ),
            StepSpec(
                "realized",
                "When attendance dipped in October, families picked up, and Eastside's "
                "October held up better than the year before.",
                120,
                "Eastside's October attendance held up",
                outcome="Eastside October attendance held up",
                measure=ATTENDANCE_RATE,
            ),
            StepSpec(
                "reframing",
                "We stopped counting calls made and started counting families reached in a "
                "real conversation. That is now one of the network's shared measures.",
                100,
                "The shared measure is families reached, not calls made",
                measure=FAMILIES_REACHED,
            ),
        ),
    ),
    StorySpec(
        "Weekly grade checks, from one hard meeting to a shift on the chart",
        "What started as 31 names nobody had flagged became a weekly habit at two schools, "
        "and the on-track chart moved.",
        ONTRACK,
        "priya.natarajan",
        (
            StepSpec(
                "immediate",
                "Reading the first grade report together was uncomfortable and useful: 31 "
                "students failing a course, and nobody had flagged them.",
                238,
                "31 students got a named adult that week",
                convening="ontrack_first_report",
            ),
            StepSpec(
                "potential",
                "We wrote down how we run the check in twenty minutes, so other schools can "
                "copy it.",
                200,
                product="weekly_checks_howto",
            ),
            StepSpec(
                "applied",
                "Lakeview and Northgate moved to a weekly check in their team meetings.",
                150,
                outcome="Lakeview caught failing grades six weeks earlier",
            ),
            StepSpec(
                "realized",
                "Since the checks began, every month at Lakeview and Northgate has been above "
                "the median on the on-track chart: a shift, not luck.",
                50,
                "On track at Lakeview: from about 64% to about 76%",
                convening="checks_retro",
                measure=ON_TRACK,
            ),
        ),
    ),
    StorySpec(
        "Somali-speaking families at Northgate",
        "A listening session in the cafeteria, and what it changed about the first call.",
        FAMILY,
        "ahmed.yusuf",
        (
            StepSpec(
                "immediate",
                "Twenty-two parents came. For many it was the first time the school had asked "
                "them anything.",
                213,
                "22 parents took part",
                convening="somali_listening",
            ),
            StepSpec(
                "potential",
                "What they told us became the home-language summary the family group now shares.",
                180,
                product="home_language_summary",
            ),
            StepSpec(
                "applied",
                "Northgate now makes every first contact in the family's language.",
                120,
                outcome="Somali-speaking families came to the first family night",
            ),
        ),
    ),
    StorySpec(
        "What the student panel taught our teachers",
        "Four ninth graders on a stage, and a question teachers now ask before a referral.",
        STUDENT,
        "rachel.adeyemi",
        (
            StepSpec(
                "immediate",
                "Forty teachers listened to four ninth graders for an hour. Nobody checked "
                "their phone.",
                193,
                "40 teachers stayed to the end",
                convening="student_panel",
            ),
            StepSpec(
                "potential",
                "Teachers wrote down what they heard; it changed how we talk about "
                "motivation in team meetings.",
                170,
                learning=(STUDENT, "student_panels"),
            ),
        ),
    ),
    StorySpec(
        "Learning to read our own charts",
        "A workshop on run charts, and teams that no longer celebrate one good month.",
        CLUSTER,
        "amara.okafor",
        (
            StepSpec(
                "immediate",
                "Eleven people, our own data, and a long argument about one month at "
                "Riverbend that turned out to be the bus strike.",
                148,
                convening="runchart_workshop",
            ),
            StepSpec(
                "potential",
                "Teams now bring a run chart of daily attendance to their meetings and ask "
                "whether a change is a signal or noise.",
                130,
                "3 of 4 schools bring a run chart to their team meeting",
                measure=ATTENDANCE_RATE,
            ),
        ),
    ),
    StorySpec(
        "The drivers knew all along",
        "Coffee at the bus depot, and a relationship the attendance group did not have.",
        ATTENDANCE,
        "hannah.kim",
        (
            StepSpec(
                "immediate",
                "An early coffee with nine drivers who knew every stop students skip in the rain.",
                158,
                convening="bus_coffee",
            ),
            StepSpec(
                "potential",
                "A driver now joins the attendance group, and what drivers see gets written down.",
                140,
                learning=(ATTENDANCE, "bus_route"),
            ),
        ),
    ),
    StorySpec(
        "Mentor match day",
        "Pizza, a scavenger hunt, and pairs matched in the second week of school.",
        MENTORING,
        "tasha.williams",
        (
            StepSpec(
                "immediate",
                "Thirty mentors and their ninth graders met on the same afternoon; the noise "
                "was wonderful.",
                298,
                "28 pairs matched",
                convening="mentor_match",
            ),
            StepSpec(
                "potential",
                "What we learned about matching early went into the mentor how-to.",
                200,
                product="mentor_howto",
            ),
        ),
    ),
    StorySpec(
        "Funders in the back of the room",
        "Two program officers watch a weekly check.",
        FUNDERS,
        "daniel.reyes",
        (
            StepSpec(
                "immediate",
                "We sat in on a weekly check at Lakeview and saw how much work sits behind "
                "one number in a report.",
                124,
                convening="funders_sit_in",
            ),
        ),
    ),
]

# ----------------------------------------------------------------------- the quiet team

QUIET_GROUP: dict[str, str] = {
    "slug": "eighth-to-ninth-transition-team",
    "name": "Eighth-to-Ninth Transition Team",
    "kind": "team",
    "cadence": "monthly",
    "organization": "harbor-valley-schools",
    "purpose": (
        "Eighth-grade and ninth-grade staff at Lakeview, with a parent and a student. We hand "
        "incoming students over so that nobody starts high school as a stranger."
    ),
}
QUIET_GROUP_AGE = 250
QUIET_SYNTHESIS_OVERDUE = 40  # days since its first synthesis fell due
QUIET_MEMBERS: list[tuple[str, str]] = [
    ("samuel.ortiz", "moderator"),
    ("nadia.haddad", "member"),
    ("ben.lindqvist", "member"),
    ("linh.pham", "member"),
    ("emily.nguyen", "member"),
]

# (days ago, author, kind, title, body): then nothing more.
QUIET_LEARNINGS: list[tuple[int, str, str, str, str]] = [
    (
        236,
        "samuel.ortiz",
        "reflection",
        "What the eighth-grade teachers know that we never ask",
        "We spent an hour with the eighth-grade team. They could name, for almost every "
        "student, who they trust and what makes them shut down. None of it reaches us in the "
        "file we get in August.",
    ),
    (
        205,
        "linh.pham",
        "story",
        "My son visited Lakeview twice before his first day",
        "The second visit was the one that mattered: he found his locker, the bathroom and "
        "the room where he would eat lunch. On the first day he walked in like he knew the "
        "place.",
    ),
    (
        170,
        "nadia.haddad",
        "observation",
        "Half the incoming list had no phone number that works",
        "We tried to call every incoming family in one week. About half of the numbers were "
        "wrong or out of service. The middle schools had newer ones.",
    ),
    (
        131,
        "emily.nguyen",
        "question",
        "Could eighth graders shadow a ninth grader for a morning?",
        "I would have liked to follow someone through a real morning, not a tour. Has any "
        "school tried it?",
    ),
    (
        82,
        "ben.lindqvist",
        "data",
        "Transition cards came back from 41 of 58 families",
        "We sent a one-page card home asking what we should know about each student. 41 of "
        "58 came back; the ones that did not are mostly families we could not reach by phone "
        "either.",
    ),
]
