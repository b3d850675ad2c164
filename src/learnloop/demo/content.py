"""Hand-written content of the demo network: Harbor Valley Freshman Success Network.

A school district, a family-support nonprofit, a mentoring nonprofit and a community
foundation work together on ninth-grade on-track rates, attendance and family engagement.
Everything here is invented. The builder combines these lists with a seeded random generator,
so the same network comes out on every run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

# --------------------------------------------------------------------------- organizations

ORGANIZATIONS: list[dict[str, str]] = [
    {
        "slug": "harbor-valley-schools",
        "name": "Harbor Valley Unified Schools",
        "description": (
            "The public school district behind the network: four high schools and the "
            "district office, working to get every ninth grader on track by the end of the year."
        ),
        "website": "https://schools.harborvalley.example.org",
    },
    {
        "slug": "open-door-family-center",
        "name": "Open Door Family Center",
        "description": (
            "A family-support nonprofit. Its family liaisons and navigators work inside the "
            "schools and in families' homes, in five languages."
        ),
        "website": "https://opendoor.example.org",
    },
    {
        "slug": "bayside-youth-mentors",
        "name": "Bayside Youth Mentors",
        "description": (
            "Trains older students and adults from the neighborhood to mentor ninth graders "
            "through their first year of high school."
        ),
        "website": "https://baysidementors.example.org",
    },
    {
        "slug": "cedar-ridge-foundation",
        "name": "Cedar Ridge Community Foundation",
        "description": (
            "A community foundation that funds the network and wants to learn alongside it, "
            "not only read its reports."
        ),
        "website": "https://cedarridge.example.org",
    },
]

SCHOOLS = ["Eastside High", "Riverbend High", "Northgate High", "Lakeview Ninth Grade Academy"]

# --------------------------------------------------------------------------------- groups

ONTRACK = "ninth-grade-on-track-team"
ATTENDANCE = "attendance-impact-group"
FAMILY = "family-partnership-impact-group"
STUDENT = "student-voice-impact-group"
MENTORING = "mentoring-and-belonging-impact-group"
FUNDERS = "funders-and-partners-learning-table"
CLUSTER = "freshman-success-cluster"

GROUPS: list[dict[str, str]] = [
    {
        "slug": ONTRACK,
        "name": "Ninth-Grade On-Track Team",
        "kind": "team",
        "cadence": "weekly",
        "organization": "harbor-valley-schools",
        "purpose": (
            "Ninth-grade leads, counselors and a data coach from the four high schools. We "
            "look at every ninth grader's grades and attendance each week and agree who "
            "reaches out to whom before Friday."
        ),
    },
    {
        "slug": ATTENDANCE,
        "name": "Attendance Impact Group",
        "kind": "impact",
        "cadence": "fortnightly",
        "organization": "harbor-valley-schools",
        "purpose": (
            "Attendance staff, a nurse, a bus coordinator, family navigators and a parent. "
            "We try small changes that help students get to school, and we count what "
            "changes."
        ),
    },
    {
        "slug": FAMILY,
        "name": "Family Partnership Impact Group",
        "kind": "impact",
        "cadence": "fortnightly",
        "organization": "open-door-family-center",
        "purpose": (
            "Family liaisons, parents and school staff learning how schools and families "
            "can talk early, often and in the family's own language."
        ),
    },
    {
        "slug": STUDENT,
        "name": "Student Voice Impact Group",
        "kind": "impact",
        "cadence": "monthly",
        "organization": "harbor-valley-schools",
        "purpose": (
            "Students and teachers who bring what ninth graders say about school into the "
            "rooms where decisions are made."
        ),
    },
    {
        "slug": MENTORING,
        "name": "Mentoring and Belonging Impact Group",
        "kind": "impact",
        "cadence": "fortnightly",
        "organization": "bayside-youth-mentors",
        "purpose": (
            "Mentors, counselors and neighbors making sure every ninth grader has at least "
            "one adult or older student who knows them well."
        ),
    },
    {
        "slug": FUNDERS,
        "name": "Funders and Partners Learning Table",
        "kind": "impact",
        "cadence": "quarterly",
        "organization": "cedar-ridge-foundation",
        "purpose": (
            "Funders, principals, a researcher and program leads who meet each quarter to "
            "ask what the network is learning and what it needs to keep going."
        ),
    },
    {
        "slug": CLUSTER,
        "name": "Freshman Success Cluster",
        "kind": "cluster",
        "cadence": "monthly",
        "organization": "harbor-valley-schools",
        "purpose": (
            "One or two people from each group meet monthly to compare what the groups are "
            "learning, name the patterns and decide which ideas are ready to move up."
        ),
    },
]

# Groups that belong to the cluster.
CLUSTER_LINKS = [ONTRACK, ATTENDANCE, FAMILY, STUDENT, MENTORING]

# ---------------------------------------------------------------------------------- people

M, MOD = "member", "moderator"


@dataclass(frozen=True)
class PersonSpec:
    username: str
    name: str
    stakeholder: str
    org: str | None
    job_role: str
    site: str
    expertise: str
    groups: tuple[tuple[str, str], ...] = ()
    steward: bool = False
    bio: str = ""


P = PersonSpec
HV, OD, BY, CR = (
    "harbor-valley-schools",
    "open-door-family-center",
    "bayside-youth-mentors",
    "cedar-ridge-foundation",
)

PEOPLE: list[PersonSpec] = [
    P(
        "amara.okafor",
        "Amara Okafor",
        "staff",
        HV,
        "Network improvement lead",
        "District office",
        "improvement science, facilitation, on-track data",
        ((CLUSTER, MOD), (ONTRACK, M)),
        True,
        "I keep the network's rhythm going and help groups turn what they notice into tests.",
    ),
    P(
        "lucia.fernandez",
        "Lucía Fernández",
        "partner",
        OD,
        "Network coordinator",
        "Open Door Family Center",
        "family engagement, convening, Spanish",
        ((CLUSTER, MOD), (FAMILY, M)),
        True,
        "Former family liaison. I look after the network's standards, channels and newsletter.",
    ),
    P(
        "marcus.bell",
        "Marcus Bell",
        "staff",
        HV,
        "Principal",
        "Eastside High",
        "school leadership, scheduling",
        ((ONTRACK, M), (FUNDERS, M)),
    ),
    P(
        "priya.natarajan",
        "Priya Natarajan",
        "staff",
        HV,
        "Ninth-grade counselor",
        "Riverbend High",
        "counseling, student success plans",
        ((ONTRACK, MOD), (CLUSTER, M)),
    ),
    P(
        "tom.whitaker",
        "Tom Whitaker",
        "staff",
        HV,
        "Ninth-grade math teacher",
        "Eastside High",
        "algebra, grading for learning",
        ((ONTRACK, M),),
        bio="Eighteen years teaching ninth-grade algebra. Still learning every week.",
    ),
    P(
        "keisha.brown",
        "Keisha Brown",
        "staff",
        HV,
        "English teacher",
        "Northgate High",
        "literacy, restorative circles",
        ((ONTRACK, M), (STUDENT, M)),
    ),
    P(
        "samuel.ortiz",
        "Samuel Ortiz",
        "staff",
        HV,
        "Attendance clerk",
        "Lakeview Ninth Grade Academy",
        "attendance records, Spanish",
        ((ATTENDANCE, M),),
    ),
    P(
        "hannah.kim",
        "Hannah Kim",
        "staff",
        HV,
        "Data coach",
        "District office",
        "attendance data, dashboards, early-warning indicators",
        ((ONTRACK, M), (ATTENDANCE, MOD), (CLUSTER, M)),
    ),
    P(
        "jorge.castillo",
        "Jorge Castillo",
        "staff",
        HV,
        "Assistant principal",
        "Northgate High",
        "student support, discipline reform",
        ((ATTENDANCE, M),),
    ),
    P(
        "rachel.adeyemi",
        "Rachel Adeyemi",
        "staff",
        HV,
        "Science teacher",
        "Riverbend High",
        "student voice, project-based learning",
        ((STUDENT, MOD), (CLUSTER, M)),
    ),
    P(
        "ben.lindqvist",
        "Ben Lindqvist",
        "staff",
        HV,
        "School social worker",
        "Lakeview Ninth Grade Academy",
        "family support, housing resources",
        ((ATTENDANCE, M), (FAMILY, M)),
    ),
    P(
        "nadia.haddad",
        "Nadia Haddad",
        "staff",
        HV,
        "Ninth-grade team lead",
        "Lakeview Ninth Grade Academy",
        "team facilitation, Arabic",
        ((ONTRACK, M), (MENTORING, M)),
    ),
    P(
        "chris.mwangi",
        "Chris Mwangi",
        "staff",
        HV,
        "Principal",
        "Riverbend High",
        "school leadership, master schedule",
        ((ONTRACK, M),),
    ),
    P(
        "olivia.tran",
        "Olivia Tran",
        "staff",
        HV,
        "History teacher",
        "Eastside High",
        "advisory, student panels",
        ((STUDENT, M),),
    ),
    P(
        "victor.alvarez",
        "Victor Alvarez",
        "staff",
        HV,
        "Counselor",
        "Northgate High",
        "mentoring, college and career",
        ((ATTENDANCE, M), (MENTORING, M)),
    ),
    P(
        "grace.liu",
        "Grace Liu",
        "staff",
        HV,
        "Special education teacher",
        "Riverbend High",
        "IEPs, co-teaching",
        ((ONTRACK, M),),
    ),
    P(
        "dev.patel",
        "Dev Patel",
        "staff",
        HV,
        "Attendance interventionist",
        "Eastside High",
        "attendance outreach, text messaging",
        ((ATTENDANCE, M),),
    ),
    P(
        "rosa.jimenez",
        "Rosa Jiménez",
        "partner",
        OD,
        "Family liaison",
        "Eastside High",
        "home visits, Spanish, parent leadership",
        ((FAMILY, MOD), (CLUSTER, M)),
        bio="I spend most days at Eastside High and in families' kitchens.",
    ),
    P(
        "james.okonkwo",
        "James Okonkwo",
        "partner",
        OD,
        "Family navigator",
        "Riverbend High",
        "benefits, housing, transportation",
        ((FAMILY, M), (ATTENDANCE, M)),
        bio="I help families sort out the things that keep kids home: rides, rent, paperwork.",
    ),
    P(
        "mei.chen",
        "Mei Chen",
        "partner",
        OD,
        "Program manager",
        "Open Door Family Center",
        "program design, Cantonese",
        ((FAMILY, M), (FUNDERS, M)),
    ),
    P(
        "ahmed.yusuf",
        "Ahmed Yusuf",
        "partner",
        OD,
        "Bilingual family liaison",
        "Northgate High",
        "Arabic, Somali, interpreting",
        ((FAMILY, M),),
    ),
    P(
        "tasha.williams",
        "Tasha Williams",
        "partner",
        BY,
        "Mentoring program director",
        "Bayside Youth Mentors",
        "mentor training, youth development",
        ((MENTORING, MOD), (CLUSTER, M)),
    ),
    P(
        "leo.romero",
        "Leo Romero",
        "partner",
        BY,
        "Mentor coordinator",
        "Riverbend High",
        "peer mentoring, scheduling",
        ((MENTORING, M),),
    ),
    P(
        "ines.duarte",
        "Inês Duarte",
        "partner",
        BY,
        "Youth mentor",
        "Northgate High",
        "mentoring, Portuguese",
        ((MENTORING, M),),
    ),
    P(
        "daniel.reyes",
        "Daniel Reyes",
        "funder",
        CR,
        "Program officer",
        "Cedar Ridge Community Foundation",
        "grantmaking, education policy",
        ((FUNDERS, MOD),),
    ),
    P(
        "helen.park",
        "Helen Park",
        "funder",
        CR,
        "Director of learning and evaluation",
        "Cedar Ridge Community Foundation",
        "evaluation, learning agendas",
        ((FUNDERS, M), (CLUSTER, M)),
    ),
    P(
        "frank.osei",
        "Frank Osei",
        "funder",
        CR,
        "Board member",
        "Cedar Ridge Community Foundation",
        "local business, youth employment",
        ((FUNDERS, M),),
    ),
    P(
        "jaylen.carter",
        "Jaylen Carter",
        "student",
        HV,
        "Ninth-grade student",
        "Eastside High",
        "basketball, music",
        ((STUDENT, M),),
    ),
    P(
        "sofia.morales",
        "Sofía Morales",
        "student",
        HV,
        "Tenth-grade peer mentor",
        "Riverbend High",
        "peer mentoring, student council",
        ((STUDENT, MOD), (MENTORING, M)),
    ),
    P(
        "amir.hassan",
        "Amir Hassan",
        "student",
        HV,
        "Ninth-grade student",
        "Northgate High",
        "robotics",
        ((STUDENT, M),),
    ),
    P(
        "emily.nguyen",
        "Emily Nguyen",
        "student",
        HV,
        "Student council representative",
        "Lakeview Ninth Grade Academy",
        "student council, debate",
        ((STUDENT, M),),
    ),
    P(
        "dante.robinson",
        "Dante Robinson",
        "student",
        HV,
        "Tenth-grade student",
        "Eastside High",
        "podcasting",
        ((STUDENT, M),),
    ),
    P(
        "maria.lopez",
        "María López",
        "parent",
        None,
        "Parent of a ninth grader",
        "Eastside High",
        "parent committee, Spanish",
        ((FAMILY, M),),
        bio="Mother of three. My youngest started at Eastside this year.",
    ),
    P(
        "kevin.johnson",
        "Kevin Johnson",
        "parent",
        None,
        "Parent, night-shift nurse",
        "Riverbend High",
        "health, shift work",
        ((FAMILY, M), (ATTENDANCE, M)),
    ),
    P(
        "fatima.ali",
        "Fatima Ali",
        "parent",
        None,
        "Parent of a ninth grader",
        "Northgate High",
        "Somali community, parent circles",
        ((FAMILY, M),),
    ),
    P(
        "linh.pham",
        "Linh Pham",
        "parent",
        None,
        "Parent of twins in ninth grade",
        "Lakeview Ninth Grade Academy",
        "Vietnamese, small business",
        ((FAMILY, M),),
    ),
    P(
        "carla.santos",
        "Carla Santos",
        "parent",
        None,
        "Parent leader, PTA president",
        "Riverbend High",
        "parent organizing, Portuguese",
        ((FAMILY, MOD),),
    ),
    P(
        "walter.greene",
        "Walter Greene",
        "community",
        None,
        "Youth pastor",
        "Eastside neighborhood",
        "youth programs, neighborhood ties",
        ((MENTORING, M),),
    ),
    P(
        "ana.vasquez",
        "Ana Vásquez",
        "community",
        None,
        "Teen librarian",
        "Riverbend Public Library",
        "homework help, teen programs",
        ((MENTORING, M), (FAMILY, M)),
    ),
    P(
        "joe.tanaka",
        "Joe Tanaka",
        "community",
        None,
        "Owner, Tanaka's Market",
        "Northgate neighborhood",
        "summer jobs, small business",
        ((MENTORING, M),),
    ),
    P(
        "bea.harris",
        "Bea Harris",
        "community",
        None,
        "Retired teacher, tutoring volunteer",
        "Riverbend Public Library",
        "math tutoring",
        ((MENTORING, M), (ATTENDANCE, M)),
    ),
    P(
        "omar.farouk",
        "Omar Farouk",
        "partner",
        None,
        "Education researcher, Bay State University",
        "Bay State University",
        "research-practice partnerships, survey design",
        ((ONTRACK, M), (FUNDERS, M)),
    ),
    P(
        "sarah.cohen",
        "Sarah Cohen",
        "staff",
        HV,
        "Family engagement manager",
        "District office",
        "family engagement policy, translation services",
        ((FAMILY, MOD), (CLUSTER, M)),
    ),
    P(
        "will.foster",
        "Will Foster",
        "staff",
        HV,
        "Transportation coordinator",
        "District office",
        "bus routes, logistics",
        ((ATTENDANCE, M),),
    ),
    P(
        "nina.kowalski",
        "Nina Kowalski",
        "staff",
        HV,
        "School nurse",
        "Northgate High",
        "student health, chronic illness",
        ((ATTENDANCE, M),),
    ),
]


class DemoLogin(NamedTuple):
    """A demo account and what it shows; unpacks as a (username, what) pair."""

    username: str
    what: str


DEMO_PASSWORD = "learnloop-demo"  # noqa: S105 - a published demo password, by design

# role -> username: the accounts worth trying first.
DEMO_ROLES: dict[str, str] = {
    "steward": "amara.okafor",
    "group moderator": "rosa.jimenez",
    "member": "tom.whitaker",
    "partner": "james.okonkwo",
    "parent": "maria.lopez",
    "funder": "daniel.reyes",
}

DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin(
        "amara.okafor",
        "steward (Amara Okafor): sees every group's work, leads the reduction rounds (one is "
        "due), restores the trash",
    ),
    DemoLogin(
        "rosa.jimenez",
        "group moderator (Rosa Jiménez, family liaison): the Family Partnership Impact "
        "Group's group-only posts, plans and outcomes",
    ),
    DemoLogin(
        "tom.whitaker",
        "member (Tom Whitaker, ninth-grade math teacher): posts learnings and test cycles, "
        "adopted the good-news calls; his monthly summary is due",
    ),
    DemoLogin(
        "james.okonkwo",
        "partner (James Okonkwo, family navigator at a partner nonprofit): two groups, an "
        "emerging idea of his own, and a knowledge broker to partner organizations (his "
        "queue: /brokers/me/)",
    ),
    DemoLogin(
        "maria.lopez",
        "parent (María López): the network's knowledge in plain words, her own story, and "
        "open decisions waiting for her vote",
    ),
    DemoLogin(
        "daniel.reyes",
        "funder (Daniel Reyes, program officer): follows adoption and outcomes from the "
        "funders' table",
    ),
)

# ------------------------------------------------------------------------------- practices


@dataclass(frozen=True)
class Practice:
    key: str
    short: str  # Title case, used at the start of a title
    phrase: str  # lower case, used inside a sentence
    who: str  # plural: who it is for
    who_one: str  # singular
    measure: str
    tags: tuple[str, ...]
    groups: tuple[str, ...]

    @property
    def short_l(self) -> str:
        if self.short.split()[0] in ("Monday",):  # proper nouns keep their capital
            return self.short
        return self.short[0].lower() + self.short[1:]


PRACTICES: list[Practice] = [
    Practice(
        "welcome_calls",
        "Positive calls home",
        "positive phone calls home in the first weeks",
        "families",
        "parent",
        "average daily attendance",
        ("family engagement", "attendance", "phone calls"),
        (ATTENDANCE, FAMILY),
    ),
    Practice(
        "translated",
        "Home-language messages",
        "messages in families' home languages",
        "families",
        "parent",
        "the family response rate",
        ("family engagement", "language access"),
        (FAMILY,),
    ),
    Practice(
        "grade_checks",
        "Weekly grade checks",
        "weekly grade checks in ninth-grade team meetings",
        "ninth graders",
        "ninth grader",
        "the share of ninth graders on track",
        ("on-track", "ninth grade", "team meetings"),
        (ONTRACK, CLUSTER),
    ),
    Practice(
        "early_warning",
        "The early-warning list",
        "the early-warning list of attendance, behavior and course grades",
        "students",
        "student",
        "the number of students flagged",
        ("on-track", "data use", "early warning"),
        (ONTRACK, CLUSTER, ATTENDANCE),
    ),
    Practice(
        "success_plans",
        "One-page success plans",
        "one-page student success plans",
        "ninth graders",
        "ninth grader",
        "course passing rates",
        ("on-track", "student voice"),
        (ONTRACK, MENTORING),
    ),
    Practice(
        "advisory_circles",
        "Monday advisory circles",
        "short advisory circles on Monday mornings",
        "ninth graders",
        "ninth grader",
        "Monday attendance",
        ("belonging", "attendance", "advisory"),
        (STUDENT, ATTENDANCE),
    ),
    Practice(
        "peer_mentors",
        "Peer mentors",
        "tenth-grade peer mentors for ninth graders",
        "ninth graders",
        "ninth grader",
        "the share of mentees on track",
        ("mentoring", "belonging", "ninth grade"),
        (MENTORING, STUDENT),
    ),
    Practice(
        "failure_recovery",
        "Grade-recovery week",
        "a grade-recovery week before the semester ends",
        "students",
        "student",
        "the number of course failures",
        ("on-track", "credit recovery"),
        (ONTRACK,),
    ),
    Practice(
        "family_nights",
        "Family data nights",
        "family data nights where families see their own child's progress",
        "families",
        "parent",
        "family attendance at school events",
        ("family engagement", "data use"),
        (FAMILY, ONTRACK),
    ),
    Practice(
        "student_panels",
        "Student panels",
        "student panels at staff meetings",
        "teachers",
        "teacher",
        "referrals for 'lack of motivation'",
        ("student voice", "professional learning"),
        (STUDENT, ONTRACK),
    ),
    Practice(
        "bus_route",
        "Bus stop changes",
        "moving bus stops for students who arrive late",
        "students",
        "student",
        "first-period tardies",
        ("attendance", "transportation"),
        (ATTENDANCE, FAMILY),
    ),
    Practice(
        "flexible_funds",
        "Flexible family funds",
        "small flexible funds for family emergencies",
        "families",
        "family",
        "families helped within 48 hours",
        ("funding", "family support"),
        (FUNDERS, FAMILY),
    ),
    Practice(
        "attendance_nudges",
        "Attendance texts",
        "text-message attendance nudges to families",
        "families",
        "parent",
        "chronic absence",
        ("attendance", "text messages", "family engagement"),
        (ATTENDANCE, FAMILY),
    ),
    Practice(
        "breakfast",
        "Breakfast in first period",
        "breakfast in the classroom during first period",
        "students",
        "student",
        "first-period tardies",
        ("attendance", "wellbeing"),
        (ATTENDANCE,),
    ),
    Practice(
        "home_visits",
        "Summer home visits",
        "home visits by family liaisons before school starts",
        "families",
        "family",
        "fall attendance of visited students",
        ("family engagement", "home visits"),
        (FAMILY,),
    ),
    Practice(
        "learning_visits",
        "Funder learning visits",
        "funders sitting in on team meetings",
        "funders",
        "funder",
        "report questions answered from the work",
        ("funding", "learning culture"),
        (FUNDERS,),
    ),
    Practice(
        "homework_club",
        "Library homework club",
        "an evening homework club at the public library",
        "ninth graders",
        "ninth grader",
        "homework completion",
        ("mentoring", "community partners"),
        (MENTORING,),
    ),
    Practice(
        "attendance_incentives",
        "Attendance raffles",
        "perfect-attendance raffles and prizes",
        "students",
        "student",
        "chronic absence",
        ("attendance", "incentives"),
        (ATTENDANCE, STUDENT),
    ),
    Practice(
        "tardy_detention",
        "Lunch detention for tardies",
        "lunch detention for late arrivals",
        "students",
        "student",
        "first-period tardies",
        ("attendance", "discipline"),
        (ATTENDANCE, ONTRACK),
    ),
]

EXTRA_TAGS = ["equity", "ninth-grade transition", "relationships", "summer", "trust"]

# -------------------------------------------------------------------- learning templates
# Slots: {short} {short_l} {phrase} {who} {who_one} {measure} {site} {month} {n} {k}
# {pct} {pct2} {weekday}.

TITLES: dict[str, list[str]] = {
    "reflection": [
        "What {short_l} taught me this month",
        "Why {short_l} turned out harder than we expected",
        "Rethinking {short_l} after a tough week",
        "{short}: more about trust than logistics",
        "The quiet payoff of {short_l}",
        "Three things I would do differently with {short_l}",
        "{short}: what I got wrong at first",
        "Still thinking about {short_l} at {site}",
    ],
    "observation": [
        "{short} at {site}: what we saw in week {k}",
        "{short}: it works better with a named adult",
        "Noticed at {site}: {short_l} reached new {who}",
        "Small sign from {site} that {short_l} can stick",
        "{short}: {who} asked for more",
        "Who we miss with {short_l} at {site}",
        "{short}: why {weekday}s are different",
        "A pattern in our {short_l} log",
    ],
    "test_result": [
        "PDSA cycle: {short_l} with {n} {who}",
        "Test result: {short_l} at {site}",
        "Small test of {short_l}: prediction and what happened",
        "Cycle {k} of {short_l} at {site}: adapt, not abandon",
        "Two-week test of {short_l}",
    ],
    "data": [
        "{measure_cap} at {site}: {pct}% in {month}",
        "{month} numbers: {measure} at {site}",
        "{measure_cap} before and after {short_l}",
        "Quarterly check on {measure} across the four high schools",
        "{measure_cap} at {site}, week by week",
    ],
    "story": [
        "A {who_one}'s view of {short_l}",
        "{short} at {site}: one {who_one}'s story",
        "What one {who_one} told us about {short_l}",
        "Small moment, big signal: {short_l} at {site}",
        "The week {short_l} clicked for a {who_one}",
    ],
    "question": [
        "Has anyone tried {short_l} with {who} who work evenings?",
        "How do you keep {short_l} going after the first month?",
        "What should we count to see the effect of {short_l}?",
        "Is it worth the time to try {short_l} in a small team?",
        "Who has done {short_l} in more than one language?",
        "Where do you fit {short_l} into an already full week?",
    ],
}

HARD_PARTS = [
    "keeping the contact list current",
    "following up when the first try didn't land",
    "making it a routine instead of a one-off push",
    "agreeing as a team on who does what",
    "finding words that didn't sound like a warning",
    "protecting the time once report cards came out",
]
ABSENCES = [
    "our liaison was out for two weeks",
    "testing season started",
    "the team lead moved to another school",
    "the schedule changed after winter break",
]

BODIES: dict[str, list[str]] = {
    "reflection": [
        "When we started {phrase} at {site}, I assumed the hard part would be finding the time. "
        "It wasn't. The hard part was {hard_part}.",
        "Looking back over the last few weeks, the {who} who responded best were the ones we "
        "had already met at least once in person.",
        "What I would tell a colleague starting out: keep it small, keep a simple log, and "
        "look at it together every week.",
        "We underestimated how much this work depends on one or two people carrying it. "
        "When {absence}, it stalled.",
        "I used to think of this as an extra task. Now it feels like the part of the week that "
        "makes the rest of the work easier.",
        "The biggest shift was in our team meetings: we talk about names, not numbers, and we "
        "leave with a short list of who does what.",
        "I am not sure yet whether this is changing {measure}, but it is changing how {who} "
        "talk to us.",
    ],
    "observation": [
        "Over {n} weeks at {site} we kept a log of every contact. About {pct}% of the {who} we "
        "reached had not heard from the school this year.",
        "The pattern was clearest on Mondays and after long weekends.",
        "Colleagues who joined in brought it up at the next team meeting without being asked, "
        "which usually means something is sticking.",
        "Two {who} told us it felt personal because it used a name and one specific thing "
        "that had gone well.",
        "It worked less well where we had no working phone number or the family had moved; "
        "about one in {k} contacts failed that way.",
        "It took most of us under ten minutes a day once the list was ready.",
        "The {who} we most wanted to reach were the hardest to reach, which is the whole "
        "point of trying again.",
    ],
    "data": [
        "{measure_cap} at {site} was {pct}% in {month}, compared with {pct2}% in the same "
        "month last year.",
        "The numbers are small, so read them as a signal, not proof.",
        "Source: the district attendance system, pulled on the first Monday of the month.",
        "The gap between the four schools narrowed a little; Lakeview moved the most.",
        "We split the numbers by grade and by language at home; the table is in the "
        "attached sheet.",
        "Students with an IEP show the same trend, a little later.",
    ],
    "story": [
        "Last {month}, a {who_one} at {site} stopped one of us after a meeting. They said "
        "{phrase} was the first time anyone had asked what they thought, and that it changed "
        "how they saw the year.",
        "We almost stopped {phrase} in the autumn because it felt slow. Then a {who_one} we "
        "had been trying to reach for weeks called back, and we started again with more "
        "patience.",
        "It was a small thing: a note, a name remembered, a follow-up call two days later. "
        "The {who_one} told us it was the reason they kept going.",
        "What struck me was not the result but the tone. Conversations used to start with "
        "what had gone wrong. Now they start with something that went right.",
        "We are sharing this with permission and with details changed. It is one story, not "
        "proof, but it reminded our team why we do this work.",
    ],
    "question": [
        "We have tried {phrase} at {site} for a few weeks. {hard_part_cap} is where we get stuck.",
        "Any templates, scripts or schedules you can share would help.",
        "We are a small team and want to start with what has worked elsewhere in the network.",
        "Happy to report back on what we try.",
    ],
}

PREDICTIONS = [
    "at least half would respond within a week",
    "{measure} for this group would improve by a few points",
    "it would take us under ten minutes a day",
    "the students we flagged first would be the ones who benefit most",
]
RESULTS = [
    "{pct}% responded within a week, better than we predicted.",
    "Only {pct2}% responded; our messages went out too late in the day.",
    "Results were mixed: strong in the first week, fading by week three.",
    "{measure_cap} moved from {pct2}% to {pct}% for the students in the test.",
    "It took longer than planned, about twenty minutes a day, but {who} noticed.",
]
LEARNED = [
    "Timing matters more than wording: earlier in the day works better.",
    "A named adult makes the difference; generic messages were ignored.",
    "It helps most when the team agrees on one follow-up owner per student.",
    "We need families' home languages on the list before we start, not after.",
    "The change works, but only if someone protects the time for it each week.",
]
NEXT_STEPS = [
    "Adapt: same approach, earlier in the day, and add a second language.",
    "Adopt for the whole ninth-grade team next month.",
    "Run one more cycle with a different group of students before deciding.",
    "Abandon this version; the follow-up load was too heavy for one person.",
    "Adapt: pair each message with a short in-person check-in.",
]

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]

LINKS: list[tuple[str, str]] = [
    ("Call log template", "https://docs.harborvalley.example.org/templates/call-log"),
    ("Attendance sheet by week", "https://data.harborvalley.example.org/attendance/weekly"),
    ("Ninth-grade on-track dashboard", "https://data.harborvalley.example.org/on-track"),
    ("Message scripts in five languages", "https://opendoor.example.org/resources/scripts"),
    ("Photo of our team's planning wall", "https://photos.example.org/harbor-valley/wall"),
    ("Success plan template", "https://docs.harborvalley.example.org/templates/success-plan"),
    ("Mentor training slides", "https://baysidementors.example.org/training/week-one"),
    ("Family night agenda", "https://opendoor.example.org/resources/family-night-agenda"),
    ("Bus route change request form", "https://schools.harborvalley.example.org/transport"),
    ("PDSA worksheet", "https://docs.harborvalley.example.org/templates/pdsa"),
]

COMMENTS = [
    "Thank you for writing this up. We saw something similar at our school.",
    "Could you share the template you used?",
    "This matches what families told us at the last family night.",
    "I wonder whether it would hold for students who transferred in mid-year.",
    "We tried a version of this last spring. The follow-up was the hard part for us too.",
    "Bringing this to our team meeting on Thursday.",
    "How many students were in the test? It would help to know the scale.",
    "Love this. Can we add it to the cluster agenda next month?",
    "Worth comparing with the numbers from Lakeview, they started earlier.",
    "Small suggestion: say which languages the messages went out in.",
    "This is the kind of detail that makes it easy to try somewhere else.",
    "We found the same thing with our mentees: the first six weeks matter most.",
]

# ------------------------------------------------------------------------------- questions


@dataclass(frozen=True)
class QuestionSpec:
    title: str
    body: str
    group: str | None
    tags: tuple[str, ...]
    answers: tuple[tuple[str, str], ...] = ()  # (username, body)
    accepted: int | None = None
    visibility: str = "network"


QUESTIONS: list[QuestionSpec] = [
    QuestionSpec(
        "How do you reach families whose phone numbers no longer work?",
        "About one in six numbers on our ninth-grade list bounce. What has worked for you?",
        ATTENDANCE,
        ("attendance", "family engagement"),
        (
            (
                "rosa.jimenez",
                "We ask at every pickup and every event, and keep a paper card at "
                "the front desk. Numbers change often; the card catches most of them.",
            ),
            (
                "james.okonkwo",
                "Ask the younger siblings' elementary school. Their lists are often more current.",
            ),
            ("samuel.ortiz", "We added a 'check your number' line to the report-card envelope."),
        ),
        accepted=1,
    ),
    QuestionSpec(
        "What do you say in the first call so it does not sound like trouble?",
        "Some parents hear 'this is the school calling' and assume the worst.",
        FAMILY,
        ("family engagement", "phone calls"),
        (
            (
                "carla.santos",
                "Start with the child's name and one good thing, before you say "
                "who you are. Then ask what would help.",
            ),
            (
                "maria.lopez",
                "As a parent: tell me you are not calling about a problem in the first sentence.",
            ),
        ),
        accepted=1,
    ),
    QuestionSpec(
        "Which early-warning threshold do other schools use for attendance?",
        "We flag at 90% attendance. Is that too late for ninth graders?",
        ONTRACK,
        ("early warning", "data use"),
        (
            (
                "hannah.kim",
                "Across the four schools, students who dip under 94% in the first "
                "six weeks are the ones who end up chronically absent. We now flag at 94% until "
                "October.",
            ),
            (
                "priya.natarajan",
                "Riverbend uses two flags: any unexcused absence in week one, then the percentage.",
            ),
        ),
        accepted=0,
    ),
    QuestionSpec(
        "Has anyone found money for bus passes outside the district budget?",
        "",
        FUNDERS,
        ("transportation", "funding"),
        (
            (
                "daniel.reyes",
                "The foundation's flexible fund can cover passes for up to three "
                "months while a family waits for other help. Talk to Mei.",
            ),
        ),
        accepted=0,
    ),
    QuestionSpec(
        "How long should a peer mentor stay with the same ninth grader?",
        "We rotate every semester. Students seem to lose interest after the switch.",
        MENTORING,
        ("mentoring",),
        (
            (
                "tasha.williams",
                "A full year where possible. The switch in January is exactly when grades dip.",
            ),
            (
                "sofia.morales",
                "From a mentor: I'd rather keep my two mentees all year and take no new ones.",
            ),
        ),
        accepted=0,
    ),
    QuestionSpec(
        "What makes a student panel feel safe for the students?",
        "We want to invite ninth graders to our staff meeting in March.",
        STUDENT,
        ("student voice",),
        (
            (
                "rachel.adeyemi",
                "Let students pick the questions, prepare together, and agree "
                "that nothing said is repeated in class.",
            ),
            ("jaylen.carter", "Have a teacher we trust in the room. And snacks."),
            ("olivia.tran", "Keep it to four students and thirty minutes."),
        ),
        accepted=0,
    ),
    QuestionSpec(
        "Is anyone measuring belonging, and how?",
        "We'd like a short survey question rather than a long instrument.",
        None,
        ("belonging", "data use"),
        (
            (
                "omar.farouk",
                "Two items work well: 'There is an adult at this school who knows "
                "me well' and 'I feel like I belong here', on a four-point scale, three times a "
                "year.",
            ),
        ),
    ),
    QuestionSpec(
        "How do you schedule home visits when both parents work days?",
        "",
        FAMILY,
        ("home visits",),
        (
            ("ahmed.yusuf", "Saturdays and early evenings, always with a text the day before."),
            ("linh.pham", "Some of us would rather meet at the library or a café than at home."),
        ),
        accepted=1,
    ),
    QuestionSpec(
        "What do funders actually want to see in a mid-year learning report?",
        "We keep writing long reports. Is anyone reading them?",
        FUNDERS,
        ("funding", "learning culture"),
        (
            (
                "helen.park",
                "Honestly: what you tried, what surprised you, what you stopped. "
                "Two pages is plenty.",
            ),
        ),
        accepted=0,
    ),
    QuestionSpec(
        "Can we share on-track data with family liaisons who are not district staff?",
        "Open Door liaisons ask for the list. What do privacy rules allow?",
        CLUSTER,
        ("data use", "family engagement"),
        (
            (
                "sarah.cohen",
                "Yes, under the partnership agreement signed in August, for "
                "students whose families gave consent at enrollment. The form is in the "
                "district handbook.",
            ),
            (
                "amara.okafor",
                "And keep the shared list to names, flags and the adult responsible. No grades.",
            ),
        ),
        accepted=0,
    ),
    QuestionSpec(
        "What time of day do attendance texts get the most replies?",
        "",
        ATTENDANCE,
        ("text messages", "attendance"),
        (
            (
                "dev.patel",
                "Evenings, between six and eight. Morning texts are read in the car and forgotten.",
            ),
        ),
    ),
    QuestionSpec(
        "Does anyone run breakfast in class without losing teaching time?",
        "",
        ATTENDANCE,
        ("wellbeing",),
        (),
    ),
    QuestionSpec(
        "How do you talk about failing grades with a ninth grader without shaming them?",
        "",
        ONTRACK,
        ("on-track", "relationships"),
        (
            (
                "priya.natarajan",
                "Start with what they are proud of this week, then look at "
                "one class together and make a two-step plan.",
            ),
            (
                "tom.whitaker",
                "I show them the path to a passing grade in numbers. It turns a "
                "verdict into a to-do list.",
            ),
        ),
    ),
    QuestionSpec(
        "Where can students get homework help after 6 pm?",
        "",
        None,
        ("community partners",),
        (
            (
                "ana.vasquez",
                "Riverbend Public Library, Monday to Thursday until 8, with volunteer "
                "tutors on Tuesdays and Thursdays.",
            ),
        ),
        accepted=0,
        visibility="public",
    ),
    QuestionSpec(
        "Should we drop the perfect-attendance awards?",
        "Some teachers love them, some students say they feel punished for being sick.",
        STUDENT,
        ("incentives", "attendance"),
        (
            (
                "emily.nguyen",
                "Replace them with 'most improved'. Nobody can control getting the flu.",
            ),
            ("jorge.castillo", "Our data says they don't move the students we worry about."),
        ),
    ),
    QuestionSpec(
        "What is a good first step for a school new to the network?",
        "",
        None,
        ("ninth-grade transition",),
        (),
        visibility="public",
    ),
    QuestionSpec(
        "How do other teams keep weekly meetings to thirty minutes?",
        "Our grade checks keep running long.",
        ONTRACK,
        ("team meetings",),
        (
            (
                "nadia.haddad",
                "One screen, names only, and we only discuss students whose flags "
                "changed since last week.",
            ),
        ),
    ),
]

# ----------------------------------------------------------------------------------- ideas


@dataclass(frozen=True)
class IdeaSpec:
    key: str
    title: str
    summary: str
    practices: tuple[str, ...]
    stage: str
    group: str
    author: str
    tags: tuple[str, ...]
    returned_reason: str = ""
    visibility: str = "network"
    # Days since the idea last moved: it has stayed in its stage this long (0: it moves on
    # through the year like the others). The health page lists such ideas as stuck.
    still_days: int = 0


IDEAS: list[IdeaSpec] = [
    # scaling
    IdeaSpec(
        "calls_first",
        "Call every ninth-grade family with good news before the first problem",
        "In the first three weeks of school, an adult who knows the student calls home with "
        "one specific good thing. When a problem comes later, the family already knows a "
        "friendly voice at school.",
        ("welcome_calls", "translated"),
        "scaling",
        FAMILY,
        "rosa.jimenez",
        ("family engagement", "phone calls"),
        visibility="public",
    ),
    IdeaSpec(
        "weekly_checks",
        "Look at every ninth grader's grades weekly, not quarterly",
        "Ninth-grade teams spend twenty minutes a week on a one-page list of course grades "
        "and attendance, and name one adult to follow up with each student who slipped.",
        ("grade_checks", "early_warning"),
        "scaling",
        ONTRACK,
        "priya.natarajan",
        ("on-track", "team meetings"),
        visibility="public",
    ),
    IdeaSpec(
        "named_adult",
        "Every ninth grader has one named adult who checks in weekly",
        "A teacher, counselor, mentor or coach is named for each ninth grader and checks in "
        "for five minutes a week. The adult is the first call when something slips.",
        ("success_plans", "peer_mentors", "advisory_circles"),
        "scaling",
        MENTORING,
        "tasha.williams",
        ("belonging", "mentoring"),
    ),
    # knowledge
    IdeaSpec(
        "home_language",
        "Reach families in their home language the first time",
        "The first message a family gets from school is in the language they speak at home, "
        "from a person when possible. Translation added later, after a problem, does not "
        "build the same trust.",
        ("translated", "welcome_calls"),
        "knowledge",
        FAMILY,
        "ahmed.yusuf",
        ("language access", "family engagement"),
    ),
    IdeaSpec(
        "recovery_week",
        "A grade-recovery week before the semester ends saves credits",
        "Two weeks before grades close, ninth graders with a failing grade get a week of "
        "protected time to redo the work that matters most, with their teacher's help.",
        ("failure_recovery", "grade_checks"),
        "knowledge",
        ONTRACK,
        "tom.whitaker",
        ("on-track", "credit recovery"),
    ),
    IdeaSpec(
        "monday_circles",
        "Short Monday circles lift Monday attendance",
        "A fifteen-minute advisory circle on Monday mornings, with a question students help "
        "choose, gives ninth graders a reason to be on time at the start of the week.",
        ("advisory_circles",),
        "knowledge",
        STUDENT,
        "keisha.brown",
        ("belonging", "advisory"),
    ),
    IdeaSpec(
        "data_nights",
        "Family data nights work when families see their own child's numbers",
        "Families come to a short evening where each sees their own child's attendance and "
        "grades privately, with a liaison who speaks their language, then plans one next step.",
        ("family_nights",),
        "knowledge",
        FAMILY,
        "sarah.cohen",
        ("data use", "family engagement"),
    ),
    # Knowledge nobody has packaged yet: no product draws on it (a gap on the health page).
    IdeaSpec(
        "warning_huddles",
        "Read the early-warning list together every two weeks, with the adults who know "
        "the students",
        "A counselor, a teacher and the family liaison look at the flagged ninth graders "
        "side by side and agree who will reach out to each one before they leave the room.",
        ("early_warning",),
        "knowledge",
        ATTENDANCE,
        "hannah.kim",
        ("early warning", "data use"),
    ),
    # promising
    IdeaSpec(
        "mentors_first_weeks",
        "Peer mentors matter most in the first six weeks",
        "Tenth-grade mentors who meet their ninth grader weekly in September and October "
        "have more effect than the same hours spread over the year.",
        ("peer_mentors",),
        "promising",
        MENTORING,
        "leo.romero",
        ("mentoring", "ninth grade"),
    ),
    IdeaSpec(
        "student_panels",
        "Student panels change how teachers talk about motivation",
        "When ninth graders describe their week to teachers in a short panel, referrals for "
        "'lack of motivation' drop and teachers ask different questions.",
        ("student_panels",),
        "promising",
        STUDENT,
        "rachel.adeyemi",
        ("student voice", "professional learning"),
    ),
    IdeaSpec(
        "bus_stops",
        "Moving a bus stop can beat any phone call for first-period attendance",
        "For students who are late most days, ask about the route first. A stop moved two "
        "blocks can do what reminders cannot.",
        ("bus_route",),
        "promising",
        ATTENDANCE,
        "will.foster",
        ("transportation", "attendance"),
    ),
    IdeaSpec(
        "fast_funds",
        "Small, fast emergency funds keep students in school",
        "A family liaison can release up to a small fixed amount within 48 hours for rent, a "
        "bus pass or a utility bill, without a long application.",
        ("flexible_funds",),
        "promising",
        FUNDERS,
        "mei.chen",
        ("funding", "family support"),
    ),
    # testing
    IdeaSpec(
        "evening_texts",
        "Attendance texts sent the evening before beat same-day texts",
        "A short, friendly text the evening before a school day gets more replies and fewer "
        "absences than a text sent after the student is marked absent.",
        ("attendance_nudges",),
        "testing",
        ATTENDANCE,
        "dev.patel",
        ("text messages", "attendance"),
    ),
    IdeaSpec(
        "plans_with_students",
        "Write the one-page success plan with the student",
        "Ninth graders who help write their own one-page plan (goals, one worry, who helps) "
        "use it; plans written for them stay in a folder.",
        ("success_plans",),
        "testing",
        ONTRACK,
        "grace.liu",
        ("on-track", "student voice"),
    ),
    IdeaSpec(
        "breakfast_first",
        "Breakfast in first period reduces tardies",
        "Serving breakfast in the first-period classroom instead of the cafeteria gives "
        "students a reason to arrive on time.",
        ("breakfast",),
        "testing",
        ATTENDANCE,
        "nina.kowalski",
        ("wellbeing", "attendance"),
    ),
    IdeaSpec(
        "summer_visits",
        "Home visits in August build trust before anything goes wrong",
        "Family liaisons visit incoming ninth graders' families in August, only to listen. "
        "No forms, no agenda.",
        ("home_visits",),
        "testing",
        FAMILY,
        "rosa.jimenez",
        ("home visits", "summer"),
        still_days=130,
    ),
    IdeaSpec(
        "funder_visits",
        "Funders who sit in on team meetings ask better questions",
        "When program officers join a team meeting once a term, their reporting questions "
        "change from counts to what the team is learning.",
        ("learning_visits",),
        "testing",
        FUNDERS,
        "helen.park",
        ("learning culture", "funding"),
    ),
    # emerging
    IdeaSpec(
        "student_led_conferences",
        "Student-led conferences for ninth graders",
        "Ninth graders lead their own family conference, showing work they chose and one "
        "goal for next term.",
        ("student_panels", "family_nights"),
        "emerging",
        STUDENT,
        "emily.nguyen",
        ("student voice", "family engagement"),
    ),
    IdeaSpec(
        "mentor_photo_texts",
        "Mentors text a photo of a small win to the family",
        "With the student's permission, mentors send the family a photo of something the "
        "student made or did that week.",
        ("peer_mentors", "welcome_calls"),
        "emerging",
        MENTORING,
        "ines.duarte",
        ("mentoring", "family engagement"),
    ),
    IdeaSpec(
        "warning_list_liaisons",
        "Share the early-warning list with family liaisons",
        "Family liaisons see the same weekly flags as counselors, so the first call home "
        "comes from someone the family already knows.",
        ("early_warning",),
        "emerging",
        CLUSTER,
        "james.okonkwo",
        ("early warning", "family engagement"),
        still_days=110,
    ),
    IdeaSpec(
        "library_club_counts",
        "Evening homework help at the library counts as on-track support",
        "Teams record library homework club attendance alongside school supports, so the "
        "adults who help in the evening are part of the plan.",
        ("homework_club",),
        "emerging",
        MENTORING,
        "ana.vasquez",
        ("community partners", "mentoring"),
    ),
    IdeaSpec(
        "walk_in_buddies",
        "Attendance buddies: two ninth graders who walk in together",
        "Pair ninth graders who live near each other and let them agree to walk in together "
        "on hard days.",
        ("peer_mentors", "attendance_nudges"),
        "emerging",
        STUDENT,
        "amir.hassan",
        ("attendance", "belonging"),
    ),
    # returned
    IdeaSpec(
        "robocalls",
        "Automated absence calls are enough to reach families",
        "The automated call after each absence tells families what they need to know; "
        "personal calls can be saved for serious cases.",
        ("attendance_nudges", "welcome_calls"),
        "returned",
        ATTENDANCE,
        "jorge.castillo",
        ("attendance", "phone calls"),
        returned_reason=(
            "Three schools found that families tune the automated calls out: replies fell "
            "below one in ten after the second week, while personal calls held steady. Back "
            "to generation with a new question: what makes an automated message feel personal?"
        ),
    ),
    IdeaSpec(
        "raffles",
        "Perfect-attendance raffles lift attendance for students who miss most",
        "A monthly raffle for students with perfect attendance motivates the students who "
        "miss the most school.",
        ("attendance_incentives",),
        "returned",
        ATTENDANCE,
        "samuel.ortiz",
        ("incentives", "attendance"),
        returned_reason=(
            "The raffle moved students who already came most days. Attendance of chronically "
            "absent students did not change, and students told the Student Voice group it "
            "made them feel singled out for being sick."
        ),
    ),
    IdeaSpec(
        "lunch_detention",
        "Lunch detention for tardies cuts late arrivals",
        "Students who arrive late three times in a week serve a lunch detention.",
        ("tardy_detention",),
        "returned",
        ONTRACK,
        "marcus.bell",
        ("discipline", "attendance"),
        returned_reason=(
            "Tardies dropped for two weeks and then returned to where they were. Many late "
            "arrivals turned out to be caused by the bus schedule, and students lost lunch "
            "with their friends. The network is testing bus stop changes and breakfast in "
            "first period instead."
        ),
    ),
    IdeaSpec(
        "quarterly_reviews",
        "Quarterly grade reviews are frequent enough for ninth graders",
        "Reviewing grades at each quarter gives teams enough time to act.",
        ("grade_checks",),
        "returned",
        ONTRACK,
        "chris.mwangi",
        ("on-track",),
        returned_reason=(
            "By the time a quarterly review flagged a student, most had already failed the "
            "course. Weekly checks in two schools caught the same students five to six weeks "
            "earlier."
        ),
    ),
]

STAGE_PATH = ["emerging", "testing", "promising", "knowledge", "scaling"]

STAGE_REASONS: dict[str, list[str]] = {
    "emerging": [
        "Shared as an emerging idea so that other groups can try it and add evidence.",
        "A hunch from our last meeting, posted early so others can build on it.",
    ],
    "testing": [
        "Two teams agreed to test this in short cycles this term. Evidence so far: "
        "{supports_n} pointing this way.",
        "Enough interest to start testing: {supports_n} in support, from {groups_n}. Cycles "
        "are planned in more schools.",
    ],
    "promising": [
        "Results from {groups_n} and {sites_n} point the same way ({supports} supporting, "
        "{contradicts} contradicting). Promising, not proven.",
        "Early evidence from more than one context: {supports_n} in support; the "
        "contradicting results came from a different setup.",
    ],
    "knowledge": [
        "Reviewed against the network's standards at the cluster meeting: evidence from "
        "{sites_n} and {groups_n}, results held over at least two cycles, no harm reported. "
        "Agreed by consensus.",
        "Meets our standards: tested in several contexts, results sustained, and students and "
        "families were asked what they saw ({supports_n} in support).",
    ],
    "scaling": [
        "Adopted beyond the pilot schools; the change package is out and all four high "
        "schools plan to use it next term.",
        "Spreading: principals asked for it at their meeting and the foundation funds the "
        "training.",
    ],
}

EVIDENCE_NOTES: dict[str, list[str]] = {
    "supports": [
        "Same pattern at a different school.",
        "The numbers back this up.",
        "A family's own account of the change.",
        "Result of a short test cycle.",
        "",
    ],
    "contradicts": [
        "Here it did not hold: fewer families replied than before.",
        "The effect faded after three weeks.",
        "Worked for some students, not for those who miss most.",
    ],
    "context": [
        "Background on why this matters at this school.",
        "Useful detail about who was reached and who was not.",
        "",
    ],
}

ENDORSEMENT_NOTES = [
    "We saw this at our school too.",
    "Our team is ready to try it.",
    "Families told us the same.",
    "This changed how our team meets.",
    "",
    "",
]

# -------------------------------------------------------------------------------- products


@dataclass(frozen=True)
class ProductSpec:
    key: str
    title: str
    kind: str
    summary: str
    body: str
    audience: str
    audience_detail: str
    actions: str
    time: str
    people: str
    money: str
    ideas: tuple[str, ...]
    author: str
    group: str | None
    tags: tuple[str, ...]
    visibility: str = "network"
    media_url: str = ""


PRODUCTS: list[ProductSpec] = [
    ProductSpec(
        "calls_package",
        "Good News First: a change package for calls home",
        "change_package",
        "Everything a school needs to call every ninth-grade family with good news in the "
        "first three weeks.",
        "## Why\n\nFamilies who first hear from school about something good answer the phone "
        "later, when it matters.\n\n## What is in the package\n\n- a one-page call script in "
        "five languages\n- a call log that fits on one screen\n- a three-week calendar for "
        "ninth-grade teams\n- what to do when a number does not work\n\n## What the network "
        "saw\n\nIn the schools that used it, families answered more often and attendance in "
        "October held up better than the year before.",
        "staff",
        "ninth-grade teams and family liaisons in the four high schools",
        "1. Split the ninth-grade list among the team.\n2. Make every first call in the first "
        "three weeks.\n3. Log each call and share the log at your weekly meeting.",
        "10 minutes a day per adult for three weeks",
        "every ninth-grade teacher plus one liaison",
        "none beyond staff time",
        ("calls_first", "home_language"),
        "rosa.jimenez",
        FAMILY,
        ("family engagement", "phone calls"),
        "public",
    ),
    ProductSpec(
        "starter_kit",
        "Ninth-Grade Success Starter Kit",
        "change_package",
        "Three changes a school can start in August: weekly grade checks, a named adult for "
        "every ninth grader, and good-news calls home.",
        "## Start here\n\nThe three changes the network kept after a year of tests, in the "
        "order schools found easiest to begin.\n\n1. **Weekly grade checks**: twenty "
        "minutes, one page, a name next to every student who slipped.\n2. **A named adult**: "
        "five minutes a week with each ninth grader.\n3. **Good-news calls**: every family, "
        "in the first three weeks.\n\n## What it takes\n\nProtected team time and one "
        "person who keeps the lists current.",
        "staff",
        "principals and ninth-grade teams joining the network",
        "Pick a start date in August; name a team lead; run the first weekly check in the "
        "first week of school.",
        "a half-day in August, then 20 minutes a week",
        "ninth-grade team, one liaison, data coach",
        "none",
        ("weekly_checks", "named_adult", "calls_first"),
        "amara.okafor",
        CLUSTER,
        ("on-track", "ninth-grade transition"),
        "public",
    ),
    ProductSpec(
        "weekly_checks_howto",
        "How to run a twenty-minute weekly grade check",
        "how_to",
        "A step-by-step guide for ninth-grade teams.",
        "## Before the meeting\n\nThe data coach prints one page: each ninth grader, their "
        "grades this week, attendance, and who followed up last week.\n\n## In the meeting\n\n"
        "1. Five minutes: who improved? Say their names.\n2. Ten minutes: who slipped? Name "
        "one adult for each.\n3. Five minutes: what did last week's follow-ups find?\n\n## "
        "After\n\nThe named adult reaches out before Friday.",
        "staff",
        "ninth-grade team leads and counselors",
        "Hold the check every week at the same time; bring the one-page list; leave with a "
        "name next to every student who slipped.",
        "20 minutes a week",
        "ninth-grade team, data coach",
        "none",
        ("weekly_checks", "quarterly_reviews"),
        "priya.natarajan",
        ONTRACK,
        ("on-track", "team meetings"),
        "public",
    ),
    ProductSpec(
        "recovery_summary",
        "Grade-recovery week: change-idea summary",
        "change_idea",
        "One protected week before grades close, so ninth graders can recover a failing grade.",
        "Teams that protected one week before the end of the semester saw fewer course "
        "failures. The key is choosing the one or two assignments that matter most, not "
        "everything that is missing.",
        "staff",
        "ninth-grade teachers and principals",
        "Put the week on the calendar now; agree as a team which work counts; tell families "
        "in their language.",
        "one week per semester",
        "all ninth-grade teachers",
        "none",
        ("recovery_week", "weekly_checks"),
        "tom.whitaker",
        ONTRACK,
        ("credit recovery",),
    ),
    ProductSpec(
        "circles_summary",
        "Monday circles: change-idea summary",
        "change_idea",
        "Fifteen minutes on Monday morning that gets ninth graders in the door.",
        "Circles start on time, use a question students helped choose, and end with one "
        "thing to look forward to this week.",
        "staff",
        "advisory teachers",
        "Run a circle every Monday for six weeks and track Monday attendance.",
        "15 minutes a week",
        "advisory teacher",
        "none",
        ("monday_circles",),
        "keisha.brown",
        STUDENT,
        ("advisory", "belonging"),
    ),
    ProductSpec(
        "home_language_summary",
        "First contact in the family's language",
        "change_idea",
        "Make the first message from school count: in the language spoken at home.",
        "Check the home language at enrollment, match each family with a speaker, and make "
        "the first contact a friendly one.",
        "staff",
        "front-office staff and counselors",
        "Update home languages on the list "
        "before school starts; book interpreters for the first two weeks.",
        "2 hours in August",
        "front office, liaisons",
        "interpreter hours",
        ("home_language",),
        "ahmed.yusuf",
        FAMILY,
        ("language access",),
        "public",
    ),
    ProductSpec(
        "on_track_report",
        "Ninth grade on track: what the network learned this year",
        "report",
        "A report for the foundation's board and the district on a year of ninth-grade "
        "improvement work.",
        "## The short version\n\nThe share of ninth graders on track rose in all four "
        "schools, most at Lakeview. Weekly grade checks and calls home with good news were "
        "the changes teams kept.\n\n## What did not work\n\nRaffles and lunch detention did "
        "not move the students who miss most; both ideas were returned.\n\n## What we need"
        "\n\nProtected time for teams and stable funding for family liaisons.",
        "funder",
        "Cedar Ridge board and district leadership",
        "Keep funding the family liaisons for two more years; protect the weekly team time "
        "in next year's schedule.",
        "",
        "",
        "two liaison positions",
        ("weekly_checks", "calls_first", "named_adult", "raffles"),
        "helen.park",
        FUNDERS,
        ("on-track", "funding"),
    ),
    ProductSpec(
        "attendance_report",
        "Attendance in the first six weeks: a mid-year report",
        "report",
        "What the Attendance Impact Group found about the start of ninth grade.",
        "Students whose attendance dipped in the first six weeks were four times more likely "
        "to be chronically absent by spring. The group tested texts, breakfast and bus stop "
        "changes; this report sets out what each showed.",
        "staff",
        "principals and attendance teams",
        "Flag students at 94% attendance until October; review bus routes for students who "
        "are late most days.",
        "",
        "attendance clerk, data coach",
        "none",
        ("bus_stops", "evening_texts", "breakfast_first"),
        "hannah.kim",
        ATTENDANCE,
        ("attendance", "data use"),
    ),
    ProductSpec(
        "maria_story",
        '"They called to tell me something good"',
        "story",
        "A parent's story of the first call home.",
        "A mother of three tells how a call in September about her son's algebra homework "
        "changed how she talks to his school, and why she now answers unknown numbers.",
        "parent",
        "families of incoming ninth graders",
        "Save the school's number; tell the liaison the best time to call you.",
        "",
        "",
        "",
        ("calls_first",),
        "maria.lopez",
        FAMILY,
        ("family engagement",),
        "public",
    ),
    ProductSpec(
        "mentor_story",
        "Six weeks with a mentor",
        "story",
        "A tenth grader and her ninth-grade mentee on the first six weeks of high school.",
        "Told in two voices: what the mentee was afraid of in September, and what the mentor "
        "learned from showing up every Wednesday.",
        "student",
        "ninth and tenth graders",
        "Sign up to mentor, or ask your counselor for a mentor.",
        "one hour a week",
        "",
        "",
        ("mentors_first_weeks", "named_adult"),
        "sofia.morales",
        MENTORING,
        ("mentoring",),
        "public",
    ),
    ProductSpec(
        "principal_pitch",
        "Two minutes for principals: protect the weekly grade check",
        "pitch",
        "The case for twenty minutes a week, in two minutes.",
        "Every ninth grader who fails a course is less likely to graduate. Teams that look "
        "at grades weekly catch students five to six weeks earlier than quarterly reviews. "
        "The cost is twenty minutes of a meeting you already hold.",
        "staff",
        "principals of the four high schools",
        "Put the weekly check in next year's master schedule.",
        "20 minutes a week",
        "",
        "",
        ("weekly_checks",),
        "amara.okafor",
        ONTRACK,
        ("on-track",),
    ),
    ProductSpec(
        "funder_pitch",
        "Why flexible family funds are worth it",
        "pitch",
        "A short case for fast, small grants that keep students in school.",
        "A bus pass, a utility bill, a school uniform: small emergencies keep students home. "
        "A fund that a liaison can release in two days does more than a large program that "
        "takes two months.",
        "funder",
        "foundation board members",
        "Renew the flexible fund for next year.",
        "",
        "",
        "a small annual fund",
        ("fast_funds",),
        "mei.chen",
        FUNDERS,
        ("funding",),
    ),
    ProductSpec(
        "calls_video",
        "Video: a good-news call, start to finish",
        "media",
        "A four-minute video of a family liaison making a first call, with subtitles.",
        "Recorded with the family's permission. Shows the opening line, the good news, the "
        "question, and how to end the call.",
        "staff",
        "new teachers and liaisons",
        "Watch before your first round of calls.",
        "4 minutes",
        "",
        "",
        ("calls_first",),
        "lucia.fernandez",
        None,
        ("phone calls", "family engagement"),
        "public",
        media_url="https://video.example.org/harbor-valley/good-news-call",
    ),
    ProductSpec(
        "radio_segment",
        "Radio segment: parents on family data nights",
        "media",
        "An eight-minute community radio segment in Spanish and English.",
        "Three parents talk about seeing their child's numbers for the first time, what "
        "helped and what was uncomfortable.",
        "parent",
        "families listening to community radio",
        "Come to the next family night.",
        "8 minutes",
        "",
        "",
        ("data_nights",),
        "carla.santos",
        FAMILY,
        ("data use",),
        "public",
        media_url="https://audio.example.org/harbor-valley-voices/family-nights",
    ),
    ProductSpec(
        "data_night_howto",
        "How to host a family data night",
        "how_to",
        "Step-by-step: invitations, private data sheets, interpreters, next steps.",
        "## Two weeks before\n\nInvite personally, in the home language.\n\n## On the night\n\n"
        "Each family sits with a liaison and sees only their own child's sheet. End with one "
        "next step written down.\n\n## After\n\nFollow up within a week.",
        "staff",
        "family engagement staff and liaisons",
        "Host one family night per term; follow up with every family who came.",
        "3 hours per night plus planning",
        "liaisons, interpreters, two teachers",
        "food and childcare",
        ("data_nights", "home_language"),
        "sarah.cohen",
        FAMILY,
        ("data use", "family engagement"),
    ),
    ProductSpec(
        "mentor_howto",
        "How to match peer mentors in September",
        "how_to",
        "A guide for mentor coordinators.",
        "Match by interests and neighborhood, meet weekly for the first six weeks, then "
        "every other week.",
        "partner",
        "mentor coordinators and counselors",
        "Finish matching by the second week of school.",
        "a week of coordination",
        "mentor coordinator",
        "training snacks",
        ("mentors_first_weeks", "named_adult"),
        "tasha.williams",
        MENTORING,
        ("mentoring",),
    ),
    # Published, and never carried to anyone yet (a gap on the health page).
    ProductSpec(
        "texts_howto",
        "Evening attendance texts: how we write and time them",
        "how_to",
        "The three short messages a school sends the evening before a school day, and the "
        "rules we keep so families do not tune them out.",
        "## The three messages\n\n- a reminder the evening before a day after a long "
        "weekend\n- a thank-you after a week with no absences\n- a question when a student "
        "missed a day: *Is everything all right? Reply and we will call.*\n\n## Our rules"
        "\n\n- never more than two texts a week\n- always in the family's home language"
        "\n- sent between 6 and 7 pm, never after 8",
        "staff",
        "attendance teams and front-office staff",
        "1. Agree on the three messages with two families first.\n2. Set the texts to go out "
        "between 6 and 7 pm.\n3. Read the replies every morning and call back the same day.",
        "an hour to set up, 15 minutes a morning",
        "one attendance clerk",
        "the texting service the district already pays for",
        ("evening_texts",),
        "nina.kowalski",
        ATTENDANCE,
        ("attendance", "text messages"),
    ),
    ProductSpec(
        "bus_draft",
        "Bus stops and first period: change-idea summary (draft)",
        "change_idea",
        "Draft summary of the bus stop tests.",
        "Still writing this one up.",
        "staff",
        "transportation office",
        "Review routes for students late most days.",
        "",
        "",
        "",
        ("bus_stops",),
        "will.foster",
        ATTENDANCE,
        ("transportation",),
        "draft",
    ),
]

# -------------------------------------------------------------------------------- channels

CHANNELS: list[dict[str, object]] = [
    {
        "key": "feed",
        "name": "LearnLoop feed",
        "kind": "feed",
        "outside": False,
        "description": "Every member's home page in LearnLoop.",
    },
    {
        "key": "newsletter",
        "name": "Network newsletter",
        "kind": "email",
        "outside": False,
        "description": "A monthly email to all members, written by the stewards.",
    },
    {
        "key": "principals",
        "name": "Principals' meeting",
        "kind": "meeting",
        "outside": False,
        "description": "The district's monthly meeting of high-school principals.",
    },
    {
        "key": "website",
        "name": "Open Door website",
        "kind": "website",
        "outside": True,
        "description": "Open Door Family Center's public resource page.",
    },
    {
        "key": "family_night",
        "name": "Family nights",
        "kind": "meeting",
        "outside": True,
        "description": "Evenings for families at each high school.",
    },
    {
        "key": "board",
        "name": "Foundation board briefing",
        "kind": "meeting",
        "outside": True,
        "description": "Cedar Ridge's quarterly board meeting.",
    },
    {
        "key": "radio",
        "name": "Harbor Valley Voices (community radio)",
        "kind": "other",
        "outside": True,
        "description": "A weekly community radio show in two languages.",
    },
    {
        "key": "coaching",
        "name": "Coaching visits",
        "kind": "personal",
        "outside": False,
        "description": "The data coach's visits to school teams.",
    },
]

# product key -> list of (channel key, audience, note, response)
SHARES: dict[str, list[tuple[str, str, str, str]]] = {
    "calls_package": [
        ("feed", "all members", "", ""),
        (
            "principals",
            "four high-school principals",
            "Presented with the October numbers.",
            "Three principals asked for the package for their ninth-grade teams.",
        ),
        ("coaching", "Northgate ninth-grade team", "", "Team started calls the next week."),
        ("website", "families and other schools", "", ""),
    ],
    "weekly_checks_howto": [
        ("feed", "all members", "", ""),
        (
            "coaching",
            "Lakeview ninth-grade team",
            "Walked through the one-page list.",
            "They want the list in the district system.",
        ),
        ("newsletter", "network members", "", "Twelve clicks, two replies."),
    ],
    "recovery_summary": [("principals", "principals", "", "Riverbend will try it in June.")],
    "circles_summary": [("newsletter", "network members", "", "")],
    "home_language_summary": [
        ("website", "families and partners", "", ""),
        (
            "coaching",
            "front-office staff at Eastside",
            "",
            "They added home language to the enrollment checklist.",
        ),
    ],
    "on_track_report": [
        (
            "board",
            "Cedar Ridge board",
            "Presented by Helen and Marcus.",
            "The board renewed funding for the liaisons.",
        ),
        ("principals", "principals and district leaders", "", ""),
    ],
    "attendance_report": [("principals", "principals", "", ""), ("feed", "all members", "", "")],
    "maria_story": [
        (
            "family_night",
            "families at Eastside",
            "Read aloud in Spanish and English.",
            "Several parents asked how to get a call.",
        ),
        ("website", "the public", "", ""),
    ],
    "mentor_story": [("feed", "all members", "", ""), ("radio", "radio listeners", "", "")],
    "principal_pitch": [
        ("principals", "principals", "", "Two principals put it on their schedule for next year.")
    ],
    "funder_pitch": [("board", "foundation board", "", "Approved for one more year.")],
    "calls_video": [
        ("feed", "all members", "", ""),
        ("newsletter", "network members", "", "The most-watched item of the month."),
    ],
    "radio_segment": [
        ("radio", "radio listeners", "", "Callers asked about the next family night.")
    ],
    "data_night_howto": [("coaching", "Northgate family engagement team", "", "")],
    "mentor_howto": [("feed", "all members", "", "")],
    "starter_kit": [
        ("principals", "principals", "Handed out at the June meeting.", ""),
        (
            "website",
            "schools outside the network",
            "",
            "Two schools from the next district asked to join.",
        ),
    ],
}

# -------------------------------------------------------------------------- adoption plans

NOT_REACHED, AWARE, CONSIDERING, TRYING, ADOPTED, DECLINED = (
    "not_reached",
    "aware",
    "considering",
    "trying",
    "adopted",
    "declined",
)


@dataclass(frozen=True)
class StepSpec:
    who: tuple[str, str]  # ("person", username) | ("group", slug) | ("org", slug) | ("label", x)
    kind: str  # act | resource | support
    action: str
    state: str
    motivations: str = ""
    barriers: str = ""
    support: str = ""
    review_in: int | None = None  # days from today; negative means overdue


@dataclass(frozen=True)
class OutcomeSpec:
    step: int  # index of the step in the plan
    title: str
    description: str
    learning_kind: str = "observation"
    relation: str = "supports"


@dataclass(frozen=True)
class PlanSpec:
    product: str
    title: str
    goal: str
    author: str
    group: str | None
    steps: tuple[StepSpec, ...]
    outcomes: tuple[OutcomeSpec, ...] = ()
    closed: bool = False
    visibility: str = "network"
    started_days_ago: int = 150
    share_index: int | None = 0
    extra: dict[str, str] = field(default_factory=dict)


PLANS: list[PlanSpec] = [
    PlanSpec(
        "calls_package",
        "Good-news calls in all four high schools",
        "Every ninth-grade family gets a good-news call in the first three weeks of school.",
        "rosa.jimenez",
        FAMILY,
        (
            StepSpec(
                ("person", "tom.whitaker"),
                "act",
                "Call the families of his 28 advisory students in the first three weeks.",
                ADOPTED,
                "Wants fewer surprises at report-card time.",
                "Evening time.",
                "Script and call log; Rosa covers the Spanish calls.",
            ),
            StepSpec(
                ("group", ONTRACK),
                "act",
                "Split the ninth-grade list and log calls weekly.",
                TRYING,
                "Saw the October numbers.",
                "Lists are out of date.",
                "Data coach refreshes the list every Monday.",
                review_in=-6,
            ),
            StepSpec(
                ("person", "marcus.bell"),
                "resource",
                "Give teachers one period of release time for calls in September.",
                ADOPTED,
                "Attendance is his school's goal this year.",
                "Substitute budget.",
                "Foundation covers substitutes for two days.",
            ),
            StepSpec(
                ("person", "chris.mwangi"),
                "resource",
                "Same release time at Riverbend.",
                CONSIDERING,
                "Heard about it at the principals' meeting.",
                "Competing demands on the schedule.",
                "Marcus offered to talk with him.",
                review_in=12,
            ),
            StepSpec(
                ("person", "sarah.cohen"),
                "support",
                "Put the calls into the district family engagement plan.",
                AWARE,
                "",
                "Plan is written for three years.",
                "Amara brings it to the district team.",
                review_in=-20,
            ),
        ),
        (
            OutcomeSpec(
                0,
                "Families answered when it mattered",
                "Of Tom's 28 families, 25 were reached in three weeks. When four "
                "students started missing class in November, every family picked up "
                "on the first try.",
            ),
            OutcomeSpec(
                2,
                "Eastside October attendance held up",
                "With release time, Eastside's ninth-grade team reached 91% of "
                "families. October attendance stayed two points above last year's.",
                "test_result",
            ),
        ),
        started_days_ago=260,
    ),
    PlanSpec(
        "weekly_checks_howto",
        "Weekly grade checks at Lakeview and Northgate",
        "Both schools run a twenty-minute weekly check by the end of the first quarter.",
        "priya.natarajan",
        ONTRACK,
        (
            StepSpec(
                ("person", "nadia.haddad"),
                "act",
                "Lead Lakeview's weekly check.",
                ADOPTED,
                "Her team asked for a clearer routine.",
                "",
                "Hannah prepares the one-page list.",
            ),
            StepSpec(
                ("person", "keisha.brown"),
                "act",
                "Bring the check to the Northgate ninth-grade team.",
                TRYING,
                "Saw it work at Lakeview.",
                "Team meets only every other week.",
                "Coaching visit in week two.",
                review_in=-3,
            ),
            StepSpec(
                ("person", "hannah.kim"),
                "resource",
                "Produce the one-page list every Monday from the district system.",
                ADOPTED,
                "Wants the data used.",
                "Report takes an hour by hand.",
                "Automated report requested.",
            ),
            StepSpec(
                ("label", "District IT office"),
                "resource",
                "Automate the Monday report.",
                DECLINED,
                "",
                "No capacity this year.",
                "",
            ),
        ),
        (
            OutcomeSpec(
                0,
                "Lakeview caught failing grades six weeks earlier",
                "Lakeview flagged 31 students in the first quarter; 22 were passing "
                "all classes by the end of the semester.",
                "test_result",
            ),
            OutcomeSpec(
                3,
                "IT declined automation; Hannah keeps building the list by hand",
                "The weekly list still takes an hour each Monday. Worth raising with "
                "the funders' table.",
                "observation",
                "context",
            ),
        ),
        started_days_ago=230,
    ),
    PlanSpec(
        "recovery_summary",
        "Grade-recovery week at Riverbend",
        "Riverbend protects one week before semester grades close.",
        "tom.whitaker",
        ONTRACK,
        (
            StepSpec(
                ("person", "chris.mwangi"),
                "resource",
                "Protect the week in the calendar.",
                ADOPTED,
                "Course failures are his top concern.",
                "",
                "",
            ),
            StepSpec(
                ("person", "grace.liu"),
                "act",
                "Adapt recovery tasks for students with an IEP.",
                ADOPTED,
                "",
                "Extra planning time.",
                "Co-planning period.",
            ),
            StepSpec(
                ("label", "Riverbend math department"),
                "act",
                "Choose the two assignments that matter most per course.",
                TRYING,
                "",
                "Some teachers see it as lowering the bar.",
                "Share Eastside's results.",
                review_in=9,
            ),
        ),
        (
            OutcomeSpec(
                0,
                "Fewer ninth-grade course failures at Riverbend",
                "After the recovery week, 19 of 34 failing grades were recovered. "
                "Teachers said the focus on two assignments made it doable.",
                "test_result",
            ),
        ),
        started_days_ago=180,
    ),
    PlanSpec(
        "home_language_summary",
        "First contact in the home language at Northgate",
        "Every Northgate ninth-grade family hears from school first in their own language.",
        "ahmed.yusuf",
        FAMILY,
        (
            StepSpec(
                ("label", "Northgate front office"),
                "act",
                "Record home language at enrollment and check it in August.",
                ADOPTED,
                "Fewer returned letters.",
                "",
                "Checklist from Eastside.",
            ),
            StepSpec(
                ("person", "fatima.ali"),
                "support",
                "Tell other Somali-speaking families that the school will call in Somali.",
                ADOPTED,
                "Wants other parents to feel welcome.",
                "",
                "",
            ),
            StepSpec(
                ("person", "jorge.castillo"),
                "resource",
                "Book interpreters for the first two weeks.",
                CONSIDERING,
                "",
                "Interpreter budget is shared.",
                "Sarah looks for district funds.",
                review_in=-12,
            ),
            StepSpec(
                ("org", "open-door-family-center"),
                "resource",
                "Lend two bilingual liaisons in September.",
                TRYING,
                "Part of its mission.",
                "Liaisons are stretched.",
                "",
                review_in=20,
            ),
        ),
        (
            OutcomeSpec(
                1,
                "Somali-speaking families came to the first family night",
                "Eleven Somali-speaking families came, up from two last year. Several "
                "said Fatima told them the school would speak their language.",
            ),
        ),
        started_days_ago=200,
    ),
    PlanSpec(
        "on_track_report",
        "Funding the liaisons for two more years",
        "The foundation renews liaison funding and the district matches part of it.",
        "helen.park",
        FUNDERS,
        (
            StepSpec(
                ("person", "daniel.reyes"),
                "support",
                "Bring the renewal to the board.",
                ADOPTED,
                "Believes in the work.",
                "Board's appetite for multi-year grants.",
                "The on-track report.",
            ),
            StepSpec(
                ("person", "frank.osei"),
                "support",
                "Speak for it among board members.",
                ADOPTED,
                "Hires students in summer.",
                "",
                "",
            ),
            StepSpec(
                ("org", "harbor-valley-schools"),
                "resource",
                "Match a share of the liaison cost.",
                CONSIDERING,
                "Attendance goals.",
                "Budget cycle.",
                "Principals' letter of support.",
                review_in=30,
            ),
        ),
        (
            OutcomeSpec(
                0,
                "Board renewed liaison funding",
                "The board approved two more years for the family liaisons, citing "
                "the calls-home results and the parents' stories.",
            ),
        ),
        started_days_ago=120,
    ),
    PlanSpec(
        "mentor_howto",
        "Mentors matched by the second week of school",
        "Every ninth grader who wants a mentor has one by mid-September.",
        "tasha.williams",
        MENTORING,
        (
            StepSpec(
                ("person", "leo.romero"),
                "act",
                "Finish matching at Riverbend by week two.",
                ADOPTED,
                "",
                "Late schedule changes.",
                "Matching template.",
            ),
            StepSpec(
                ("person", "victor.alvarez"),
                "act",
                "Same at Northgate.",
                TRYING,
                "His caseload is large.",
                "Few volunteer mentors.",
                "Bayside recruits from the youth group.",
                review_in=-1,
            ),
            StepSpec(
                ("person", "walter.greene"),
                "support",
                "Recruit adult mentors from the neighborhood.",
                CONSIDERING,
                "Young people in his congregation.",
                "Background-check paperwork.",
                "Bayside covers the checks.",
                review_in=14,
            ),
            StepSpec(
                ("person", "joe.tanaka"),
                "resource",
                "Offer summer jobs to mentors.",
                NOT_REACHED,
                "",
                "",
                "",
                review_in=25,
            ),
        ),
        (
            OutcomeSpec(
                0,
                "Riverbend mentees more often on track in October",
                "All 40 Riverbend mentees had a first meeting by week two; 34 were "
                "on track at the first grading period.",
                "test_result",
            ),
        ),
        started_days_ago=300,
    ),
    PlanSpec(
        "attendance_report",
        "Acting on the first six weeks",
        "Each school flags students at 94% attendance until October and reviews bus routes.",
        "hannah.kim",
        ATTENDANCE,
        (
            StepSpec(
                ("person", "will.foster"),
                "act",
                "Review routes for students late three days a week or more.",
                TRYING,
                "Cares about on-time arrival.",
                "Route changes need approval.",
                "List from the attendance clerks.",
                review_in=-8,
            ),
            StepSpec(
                ("person", "samuel.ortiz"),
                "act",
                "Send the list of late students weekly.",
                ADOPTED,
                "",
                "",
                "",
            ),
            StepSpec(
                ("label", "Eastside cafeteria team"),
                "resource",
                "Trial breakfast in first-period rooms.",
                DECLINED,
                "",
                "Staffing and cleaning.",
                "Offered volunteer help.",
            ),
            StepSpec(
                ("person", "jorge.castillo"),
                "act",
                "Use the 94% flag at Northgate.",
                AWARE,
                "",
                "Already has a flag at 90%.",
                "Hannah to share the data.",
                review_in=-15,
            ),
            StepSpec(
                ("person", "kevin.johnson"),
                "support",
                "Tell other night-shift parents about the evening texts.",
                NOT_REACHED,
                "",
                "",
                "",
                review_in=10,
            ),
        ),
        (
            OutcomeSpec(
                0,
                "Two bus stops moved, tardies down for those routes",
                "Two stops were moved in February. First-period tardies for the 23 "
                "students on those routes fell by about half.",
                "test_result",
            ),
            OutcomeSpec(
                2,
                "Breakfast trial declined for now",
                "The cafeteria team could not staff it this year. The group will "
                "try again with volunteer help next fall.",
                "observation",
                "context",
            ),
        ),
        started_days_ago=140,
    ),
    PlanSpec(
        "data_night_howto",
        "A family data night in every school this spring",
        "Each high school hosts at least one family data night before May.",
        "sarah.cohen",
        FAMILY,
        (
            StepSpec(
                ("person", "carla.santos"),
                "support",
                "Invite parents personally.",
                ADOPTED,
                "Wants more parents involved.",
                "",
                "",
            ),
            StepSpec(
                ("person", "ben.lindqvist"),
                "act",
                "Host the Lakeview night.",
                TRYING,
                "",
                "Room booking.",
                "",
                review_in=5,
            ),
            StepSpec(
                ("person", "linh.pham"),
                "support",
                "Help with Vietnamese-speaking families.",
                CONSIDERING,
                "",
                "Works evenings.",
                "Childcare offered.",
                review_in=-4,
            ),
            StepSpec(
                ("label", "Riverbend parent-teacher association"),
                "resource",
                "Cover food and childcare.",
                NOT_REACHED,
                "",
                "",
                "",
                review_in=18,
            ),
        ),
        (
            OutcomeSpec(
                0,
                "Forty families at Riverbend's first data night",
                "Forty families came; 31 left with a written next step. Two said it "
                "was the first time they understood the grade report.",
            ),
        ),
        started_days_ago=90,
    ),
    PlanSpec(
        "principal_pitch",
        "Weekly check in next year's master schedule",
        "All four principals protect the weekly check in next year's schedule.",
        "amara.okafor",
        None,
        (
            StepSpec(
                ("person", "marcus.bell"),
                "act",
                "Schedule the check at Eastside.",
                ADOPTED,
                "",
                "",
                "",
            ),
            StepSpec(
                ("person", "chris.mwangi"),
                "act",
                "Schedule it at Riverbend.",
                CONSIDERING,
                "",
                "Union agreement on meeting time.",
                "",
                review_in=21,
            ),
            StepSpec(
                ("label", "Northgate principal"),
                "act",
                "Schedule it at Northgate.",
                AWARE,
                "",
                "New principal starting in summer.",
                "",
                review_in=40,
            ),
            StepSpec(
                ("label", "Lakeview principal"), "act", "Keep it at Lakeview.", ADOPTED, "", "", ""
            ),
        ),
        (),
        started_days_ago=60,
    ),
    PlanSpec(
        "circles_summary",
        "Monday circles in ninth-grade advisory",
        "Ninth-grade advisories at two schools run a Monday circle every week.",
        "keisha.brown",
        STUDENT,
        (
            StepSpec(
                ("person", "olivia.tran"),
                "act",
                "Run circles in her Eastside advisory.",
                ADOPTED,
                "Students asked for it.",
                "",
                "",
            ),
            StepSpec(
                ("person", "rachel.adeyemi"),
                "act",
                "Run circles at Riverbend.",
                TRYING,
                "",
                "Monday assemblies.",
                "",
                review_in=-2,
            ),
            StepSpec(
                ("person", "jaylen.carter"),
                "support",
                "Help choose the questions.",
                ADOPTED,
                "Wants questions students care about.",
                "",
                "",
            ),
            StepSpec(
                ("person", "dante.robinson"),
                "support",
                "Record a short podcast episode about circles.",
                DECLINED,
                "",
                "Busy with exams.",
                "",
            ),
        ),
        (
            OutcomeSpec(
                0,
                "Monday attendance up in Olivia's advisory",
                "Over eight weeks, Monday attendance in Olivia's advisory rose from "
                "84% to 92%. Students said the question of the week was the reason "
                "to come on time.",
                "test_result",
            ),
        ),
        started_days_ago=170,
        closed=False,
    ),
]

STEP_NOTES: dict[str, list[str]] = {
    "aware": ["Shared the product with them.", "Talked it through at a meeting."],
    "considering": [
        "They asked good questions and want to see the numbers.",
        "Thinking about how it fits their schedule.",
    ],
    "trying": ["Started with a small group.", "First try under way."],
    "adopted": ["Now part of their routine.", "Doing it without reminders."],
    "declined": ["Not possible this year; we'll revisit.", "Said no for now, with reasons."],
}
