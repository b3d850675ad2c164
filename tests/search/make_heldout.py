"""Write `tests/search/beir_heldout/`: a held-out retrieval set in the BEIR layout.

The set is for checking the fusion policy after it was tuned on `beir_tiny` (so that we do
not fit the policy to the set it is judged on). Learnings of the kind a school-improvement or
nonprofit learning network records, in 22 topics with three findings each. Every finding is
written three times in different words (as three schools would write it), some are repeated
almost word for word by a fourth school (near-duplicates), and every topic has a decoy that
shares the words of a keyword query without answering it. Queries are graded: 2 = the
learning answers it, 1 = it is on the topic and partly helps. About half of the queries are
worded away from the documents that answer them.

Deterministic: `python tests/search/make_heldout.py` writes the same files every time.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

OUT = Path(__file__).resolve().parent / "beir_heldout"

# Who wrote it: the opening clause of a learning.
CONTEXTS = [
    "At our K-8 school on the east side",
    "In the two middle schools of our network",
    "At a rural high school of 400 students",
    "In our after-school nonprofit",
    "Across the five elementary schools in the cohort",
    "At the charter high school downtown",
    "In a small district team",
    "At the community school near the river",
    "In our first improvement cycle this year",
    "At an elementary school where most families speak Spanish",
    "In the network's newest school",
    "At the youth center we run with the library",
]

# How it ended: a closing line.
CLOSINGS = [
    "We will try it again next term with two more classes.",
    "It took about a month before anyone saw a difference.",
    "The hardest part was keeping it going after the first few weeks.",
    "We wrote down the steps so that another school can copy them.",
    "The numbers are small, so we are careful about what we claim.",
    "Staff asked to keep doing it next year.",
    "We still do not know whether it lasts over the summer.",
    "Ask us if you want the templates we used.",
    "It cost almost nothing except time.",
    "The principal now mentions it in every staff meeting.",
]

# topic → finding → three write-ups (title, what was learned); plus one decoy per topic.
TOPICS: dict[str, dict[str, object]] = {
    "att": {
        "calls": [
            (
                "Personal phone calls when a student is absent",
                "an adult who knows the student rings the family the same morning the student "
                "misses class, and chronic absence fell by a third over one semester",
            ),
            (
                "Same-day contact with families after an absence",
                "the advisor reaches a parent before noon whenever a child is missing; "
                "families said they felt noticed rather than blamed",
            ),
            (
                "Ringing home before lunch",
                "a teacher rang home early in the day for every missed morning; kids came back "
                "sooner and fewer missed a second day in a row",
            ),
        ],
        "bus": [
            (
                "Transport problems behind missed school days",
                "many absences came from a late or missed bus, so we mapped routes and added a "
                "walking group with parent volunteers",
            ),
            (
                "Walking school bus for the youngest children",
                "parents take turns leading a group of children on foot along a set route; "
                "tardiness dropped in the grades that joined",
            ),
            (
                "Bus passes for older students",
                "free city transit cards for students who live far away removed the main reason "
                "they gave for staying home",
            ),
        ],
        "mentor": [
            (
                "Check and connect mentoring for frequently absent students",
                "each student who missed more than ten percent of days met a mentor weekly to "
                "look at their attendance together and set a small goal",
            ),
            (
                "A trusted adult for every student who keeps missing class",
                "pairing the students with a staff member they chose themselves worked better "
                "than assigning one",
            ),
            (
                "Weekly check-ins brought truant teenagers back",
                "short weekly conversations with the same coach mattered more than rewards or "
                "warnings",
            ),
        ],
        "decoy": (
            "Chronic absence of substitute teachers",
            "We could not find substitutes on Fridays, so teachers covered each other's classes "
            "and planning time disappeared. A pool of retired teachers fixed most of it.",
        ),
    },
    "fam": {
        "visits": [
            (
                "Home visits before the school year starts",
                "teachers visited families in pairs in August to listen, not to report on "
                "grades, and parents came to conferences far more often afterwards",
            ),
            (
                "Meeting parents where they live",
                "going to the family's kitchen table changed the relationship; the first "
                "conversation was about hopes for the child",
            ),
            (
                "Relational visits by teachers",
                "staff were paid for two evening visits each; trust with hard-to-reach "
                "families grew and phone calls were returned",
            ),
        ],
        "language": [
            (
                "Interpreters at parent conferences",
                "booking trained interpreters instead of asking older siblings to translate let "
                "parents ask real questions",
            ),
            (
                "Messages home in the languages families read",
                "we send every letter and text in Spanish, Arabic and Vietnamese; replies "
                "tripled among families who had never answered",
            ),
            (
                "Bilingual family liaison",
                "a liaison who speaks the parents' language runs a weekly coffee morning and "
                "passes their concerns to teachers",
            ),
        ],
        "workshops": [
            (
                "Family math nights",
                "parents played the same games their children use in class and left with cards "
                "to play at home",
            ),
            (
                "Showing parents how we teach reading",
                "a short evening session where families practised sounding out words with their "
                "kids was better attended than any lecture",
            ),
            (
                "Parent workshops that people actually come to",
                "we serve dinner, run childcare and keep it to forty minutes; attendance went "
                "from a dozen to over eighty adults",
            ),
        ],
        "decoy": (
            "Home visits by the school nurse for vaccinations",
            "The nurse used home visits to complete missing vaccination records before the "
            "state deadline. Paperwork, not family relationships, was the point.",
        ),
    },
    "tut": {
        "dosage": [
            (
                "High-dosage tutoring inside the school day",
                "three sessions a week of thirty minutes with the same tutor, scheduled during "
                "an intervention block, doubled the growth of students who were behind",
            ),
            (
                "Tutoring works when it is frequent",
                "students who met their tutor daily gained much more than those seen once a "
                "week after school, who often did not show up",
            ),
            (
                "Protected time for small-group help",
                "putting the sessions in the timetable rather than after the last bell meant "
                "nobody had to choose between the bus and extra help",
            ),
        ],
        "training": [
            (
                "Training volunteer tutors",
                "two short sessions on asking questions instead of giving answers made the "
                "volunteers far more useful",
            ),
            (
                "Preparing college students to tutor",
                "the undergraduates practised with scripted lessons and got feedback from a "
                "coordinator in the first weeks",
            ),
            (
                "What new tutors need before they start",
                "a clear lesson plan for each session and someone to call when a child is "
                "stuck mattered more than subject knowledge",
            ),
        ],
        "peer": [
            (
                "Older students tutoring younger ones",
                "eighth graders read with second graders twice a week; both groups gained and "
                "the older ones behaved better in class",
            ),
            (
                "Cross-age reading buddies",
                "pairing fifth-grade readers with kindergarten children gave the older pupils "
                "a reason to practise fluency",
            ),
            (
                "Peer tutoring in algebra",
                "students who had passed the unit coached classmates during lunch, with a "
                "teacher nearby to help when both were stuck",
            ),
        ],
        "decoy": (
            "Scheduling the school day around the buses",
            "The district moved the start time by twenty minutes so that one fleet could "
            "serve all schools. The schedule change saved money on drivers.",
        ),
    },
    "coach": {
        "cycles": [
            (
                "Short coaching cycles for teachers",
                "a coach observes for fifteen minutes, gives one piece of feedback the same "
                "day, and comes back a week later to see it in use",
            ),
            (
                "One thing to work on at a time",
                "teachers improved faster when the instructional coach named a single next "
                "step instead of a long list after each visit",
            ),
            (
                "Frequent classroom visits with quick feedback",
                "weekly walkthroughs followed by a five-minute conversation changed practice "
                "more than the annual evaluation ever did",
            ),
        ],
        "video": [
            (
                "Teachers watching recordings of their own lessons",
                "filming a lesson on a phone and watching it with a colleague showed teachers "
                "how much they talked and how little students did",
            ),
            (
                "Video clubs for teachers",
                "small groups watched two-minute clips from each other's classrooms and "
                "talked only about what students said",
            ),
            (
                "Recording lessons for self-reflection",
                "seeing themselves on camera convinced staff to wait longer after asking a "
                "question",
            ),
        ],
        "lesson_study": [
            (
                "Lesson study with colleagues",
                "three teachers planned one lesson together, one taught it while the others "
                "watched students, and they revised it the same afternoon",
            ),
            (
                "Planning and observing a research lesson as a team",
                "the Japanese approach took a lot of time but produced the best lessons we "
                "have on fractions",
            ),
            (
                "Peer observation in pairs",
                "teachers visited each other's rooms with a specific question from the visited "
                "teacher, which made it feel safe",
            ),
        ],
        "decoy": (
            "Coaching for the girls' basketball team",
            "A volunteer coach led the team to the regional final. Practice moved to mornings "
            "so that players could keep their after-school jobs.",
        ),
    },
    "newt": {
        "mentor": [
            (
                "Mentors for first-year teachers",
                "each new teacher had an experienced mentor in the same grade with a shared "
                "planning period, and fewer quit in the first year",
            ),
            (
                "Keeping beginning teachers",
                "novices said the most useful support was a colleague down the hall they "
                "could ask anything without being judged",
            ),
            (
                "Induction that new staff value",
                "pairing newcomers with a veteran, plus monthly meetings of all first-year "
                "staff, cut early turnover",
            ),
        ],
        "load": [
            (
                "A lighter timetable for new teachers",
                "first-year staff taught one class fewer and had no extra duties; they used the "
                "time to plan and observe others",
            ),
            (
                "Protecting novices from the hardest assignments",
                "we stopped giving the newest teachers the classes nobody else wanted, and "
                "more of them stayed",
            ),
            (
                "No lunch duty in the first year",
                "removing supervision duties gave beginners back three hours a week",
            ),
        ],
        "exit": [
            (
                "Asking teachers why they leave",
                "exit interviews run by someone outside the school showed that workload and a "
                "lack of support from leadership were the main reasons",
            ),
            (
                "Stay interviews with staff",
                "asking teachers every spring what would make them stay surfaced problems "
                "early enough to fix some",
            ),
            (
                "Why our staff turnover was so high",
                "departing teachers named chaotic discipline and no say in decisions far more "
                "often than salary",
            ),
        ],
        "decoy": (
            "New teachers' lounge furniture",
            "The parent association bought new chairs and a coffee machine for the staff "
            "room. Teachers liked it, though it was not a retention strategy.",
        ),
    },
    "lit": {
        "phonics": [
            (
                "Decodable books in kindergarten and first grade",
                "children read books that use only the letter sounds they have been taught, and "
                "guessing from pictures stopped",
            ),
            (
                "Systematic phonics instruction",
                "a daily twenty-minute sequence of sounds and blending lifted the share of first "
                "graders reading on grade level",
            ),
            (
                "Teaching letter sounds in a set order",
                "moving away from three-cueing to explicit decoding helped the weakest readers "
                "the most",
            ),
        ],
        "home": [
            (
                "Book bags that go home every week",
                "each child takes home two books at their level and a card with questions for "
                "parents to ask",
            ),
            (
                "Reading together at home",
                "families who got a short video on how to read aloud with their child read "
                "more often than those who got a leaflet",
            ),
            (
                "A lending library in the school lobby",
                "parents borrow picture books at pick-up time; the shelves empty every Friday",
            ),
        ],
        "groups": [
            (
                "Small reading groups by need",
                "regrouping children every six weeks based on what they could and could not yet "
                "do kept the groups useful",
            ),
            (
                "Guided reading with flexible groups",
                "the teacher meets four children at a time while others read independently, and "
                "membership changes with each assessment",
            ),
            (
                "Targeted help for struggling readers",
                "a daily session with a reading specialist for children furthest behind closed "
                "about half of the gap in a year",
            ),
        ],
        "decoy": (
            "Reading the budget report together",
            "The board now reads the monthly budget report as a group before voting. Questions "
            "about spending come earlier and meetings are shorter.",
        ),
    },
    "math": {
        "talks": [
            (
                "Number talks at the start of math class",
                "ten minutes of mental arithmetic where students explain their strategies made "
                "quiet students speak up",
            ),
            (
                "Students explaining how they solved it",
                "asking 'how did you think about it?' before saying whether an answer is right "
                "got more children reasoning out loud",
            ),
            (
                "Daily mental math discussions",
                "short whole-class conversations about different ways to compute the same sum "
                "built flexibility with numbers",
            ),
        ],
        "concrete": [
            (
                "Hands-on materials for fractions",
                "fraction strips and blocks before symbols helped students see why a half is "
                "bigger than a third",
            ),
            (
                "Manipulatives in upper grades",
                "older students were embarrassed at first, but using tiles for algebra made "
                "factoring make sense",
            ),
            (
                "Drawing and building before writing equations",
                "pupils who modelled problems with objects and sketches made fewer procedural "
                "errors later",
            ),
        ],
        "errors": [
            (
                "Learning from wrong answers",
                "showing an anonymous incorrect solution and asking the class to find the "
                "mistake led to the best discussions of the year",
            ),
            (
                "My favourite no",
                "the teacher picks a wrong answer from the warm-up and the class discusses what "
                "was right about it and where it went wrong",
            ),
            (
                "Making it safe to be wrong in math",
                "celebrating errors as information reduced anxiety, especially among girls in "
                "seventh grade",
            ),
        ],
        "decoy": (
            "Number of staff who completed the survey",
            "Only a third of staff completed the climate survey in the first week. A reminder "
            "from the principal brought the number to ninety percent.",
        ),
    },
    "beh": {
        "circles": [
            (
                "Restorative circles after conflicts",
                "students who fought sat in a facilitated circle with the people affected and "
                "agreed on how to repair the harm",
            ),
            (
                "Community circles every Monday",
                "a weekly check-in circle in advisory built relationships, so that when "
                "conflicts came there was something to repair",
            ),
            (
                "Repairing harm instead of punishing",
                "conversations with everyone involved in an incident worked better than "
                "detention for the same students again and again",
            ),
        ],
        "suspension": [
            (
                "Alternatives to out-of-school suspension",
                "an in-school reflection room with a counsellor replaced most suspensions and "
                "students kept up with their classes",
            ),
            (
                "Fewer students sent home for behaviour",
                "requiring a conversation with the family before any exclusion halved the "
                "number of days lost",
            ),
            (
                "Cutting exclusions without losing order",
                "teachers were worried, but classroom disruption did not rise when we stopped "
                "sending students home for minor offences",
            ),
        ],
        "calm": [
            (
                "Calm corners in classrooms",
                "a quiet spot with a timer and breathing cards lets a child settle without "
                "leaving the room",
            ),
            (
                "A place to cool down",
                "children who are upset can take five minutes in a corner with soft seating and "
                "come back on their own",
            ),
            (
                "Self-regulation spaces for young children",
                "kindergarten teachers set up a space to reset, and fewer children were sent "
                "to the office",
            ),
        ],
        "decoy": (
            "Reading circles for the staff book club",
            "Staff met in circles to discuss a novel each month. It was social, not "
            "professional development, and attendance stayed high.",
        ),
    },
    "well": {
        "counsel": [
            (
                "Counsellors freed from paperwork",
                "moving scheduling tasks to office staff gave counsellors two more days a week "
                "with students",
            ),
            (
                "Getting students to mental health support faster",
                "a referral form any teacher can fill in, read daily, cut the wait for a first "
                "conversation from weeks to days",
            ),
            (
                "A therapist on site once a week",
                "a partnership with a local clinic brought a therapist to school, so families "
                "did not have to miss work for appointments",
            ),
        ],
        "checkin": [
            (
                "Short wellbeing surveys every month",
                "three questions on how students feel flagged children who were struggling "
                "before teachers noticed anything",
            ),
            (
                "Mood check-ins at the door",
                "students point to a colour as they enter; teachers follow up with anyone who "
                "picks red twice",
            ),
            (
                "Asking students how they are doing",
                "a monthly pulse check in advisory gave us early warning of anxiety around exams",
            ),
        ],
        "mindful": [
            (
                "Breathing exercises before tests",
                "two minutes of slow breathing at the start of exams lowered reported anxiety",
            ),
            (
                "Mindfulness in the morning",
                "a daily five-minute quiet practice settled classes after a noisy arrival",
            ),
            (
                "Teaching stress management to teenagers",
                "a short unit on sleep, breathing and noticing thoughts was the part of health "
                "class students rated highest",
            ),
        ],
        "decoy": (
            "Survey of parking needs",
            "A survey of staff parking showed that half of the spaces were empty on most days. "
            "We gave some of them to the neighbourhood market.",
        ),
    },
    "data": {
        "meetings": [
            (
                "Data meetings that lead to action",
                "grade teams meet every three weeks with a short protocol: look at student work, "
                "name one pattern, choose one change to try",
            ),
            (
                "Looking at student work together",
                "teachers sort a stack of essays into piles and discuss what separates them, "
                "which was more useful than spreadsheets",
            ),
            (
                "Shorter data conversations",
                "limiting each team meeting to one question about one group of students made "
                "the discussion concrete",
            ),
        ],
        "dashboard": [
            (
                "A simple dashboard for principals",
                "one page with attendance, grades and behaviour by week replaced a forty-page "
                "report nobody opened",
            ),
            (
                "Early warning indicators on one screen",
                "showing which students are slipping on attendance, behaviour or course "
                "performance helped advisors act sooner",
            ),
            (
                "Charts teachers actually read",
                "we cut the number of indicators to five and updated them every Monday",
            ),
        ],
        "exit": [
            (
                "Exit tickets to check understanding",
                "a single question at the end of the lesson showed the teacher who needed "
                "reteaching the next day",
            ),
            (
                "Quick checks at the end of class",
                "students answer one problem on a slip of paper; sorting the slips takes five "
                "minutes and shapes tomorrow's groups",
            ),
            (
                "Formative assessment every day",
                "checking for understanding during and after lessons, instead of waiting for "
                "the unit test, caught misconceptions early",
            ),
        ],
        "decoy": (
            "Data plan for the new phone system",
            "The office compared mobile data plans for staff phones. The cheaper plan "
            "saved two thousand dollars a year.",
        ),
    },
    "pdsa": {
        "small": [
            (
                "Start with a small test of change",
                "trying a new idea with one class for one week told us more than planning a "
                "school-wide launch for months",
            ),
            (
                "Plan-do-study-act cycles in one classroom",
                "a teacher tested a new homework routine with five students, studied the "
                "results and adapted it before going wider",
            ),
            (
                "Trying ideas on a tiny scale first",
                "when the first version failed, it failed quietly with three families instead "
                "of three hundred",
            ),
        ],
        "runchart": [
            (
                "Run charts over time",
                "plotting a measure every week showed whether a change was working, which an "
                "average at the end of term hid",
            ),
            (
                "Seeing improvement week by week",
                "a line graph on the wall of the number of late arrivals kept the team focused",
            ),
            (
                "Measuring often, not only at the end",
                "weekly data points let us separate real improvement from normal ups and downs",
            ),
        ],
        "scale": [
            (
                "Scaling up too fast",
                "we spread a practice to every school after one good term and it fell apart "
                "where nobody had tested it",
            ),
            (
                "Spreading a change to other sites",
                "each new school had to adapt the idea to its own conditions; copying it "
                "exactly did not work",
            ),
            (
                "Why the pilot did not survive the rollout",
                "the people who made it work in the pilot were not there in the other schools, "
                "and nobody wrote down what they did",
            ),
        ],
        "decoy": (
            "Small test of the fire alarm",
            "The caretaker ran a small test of the new fire alarm on Saturday so that classes "
            "were not disturbed.",
        ),
    },
    "ninth": {
        "bridge": [
            (
                "Summer bridge program before ninth grade",
                "incoming freshmen spent two weeks at the high school in July, met teachers and "
                "learned the building, and fewer failed a course in the fall",
            ),
            (
                "Getting to know high school before the first day",
                "a summer orientation with older students as guides made the move from middle "
                "school less frightening",
            ),
            (
                "Easing the step up to high school",
                "eighth graders visited classes in the spring and came back for a week before "
                "term started",
            ),
        ],
        "ontrack": [
            (
                "Tracking freshmen who are off track",
                "a student with a failing grade or many absences in the first quarter is "
                "discussed by the grade team the following week",
            ),
            (
                "On-track indicators for first-year high school students",
                "credits and attendance in ninth grade predicted graduation better than test "
                "scores, so we watch them closely",
            ),
            (
                "Catching failing grades early in ninth grade",
                "teachers review grades every two weeks instead of waiting for the report card",
            ),
        ],
        "advisory": [
            (
                "Freshman advisory with a small group",
                "every ninth grader belongs to a group of twelve with one adult for the whole year",
            ),
            (
                "A homeroom teacher who follows the students",
                "first-year students said having one adult who knew them made the big school "
                "feel smaller",
            ),
            (
                "Ninth grade academy",
                "putting all freshmen on one floor with a shared team of teachers reduced "
                "fights and course failures",
            ),
        ],
        "decoy": (
            "Ninth grade teachers' parking",
            "The ninth grade teachers asked for parking closer to the new wing. The request was "
            "approved for next year.",
        ),
    },
    "ell": {
        "newcomer": [
            (
                "Newcomer classes for recently arrived students",
                "students who arrived in the country this year spend half the day in a "
                "newcomer class and half in regular classes",
            ),
            (
                "Welcoming refugee students",
                "a buddy who speaks the same language, a visual timetable and a quiet first "
                "week helped new arrivals settle",
            ),
            (
                "The first months for immigrant teenagers",
                "intensive English in the mornings and art, sport and math with peers in the "
                "afternoons worked well",
            ),
        ],
        "bilingual": [
            (
                "Dual language classrooms",
                "half of the instruction in Spanish and half in English kept students' home "
                "language strong while they learned English",
            ),
            (
                "Using the home language to learn",
                "allowing pupils to discuss a problem in their first language before answering "
                "in English improved understanding",
            ),
            (
                "Bilingual teaching assistants",
                "an assistant who speaks Arabic in the room made lessons accessible to "
                "children from Syria",
            ),
        ],
        "vocab": [
            (
                "Teaching academic vocabulary explicitly",
                "pre-teaching five key words with pictures before each science unit helped "
                "English learners follow the lessons",
            ),
            (
                "Sentence frames for class discussion",
                "starters such as 'I agree with ... because ...' got language learners to speak "
                "in full sentences",
            ),
            (
                "Word walls that students use",
                "a wall of subject words with drawings and translations was referred to every day",
            ),
        ],
        "decoy": (
            "English department budget",
            "The English department asked for more money for novels. The request was split "
            "between this year and next.",
        ),
    },
    "coll": {
        "fafsa": [
            (
                "FAFSA completion nights",
                "seniors and their parents filled in the federal financial aid form together "
                "with counsellors in the computer lab",
            ),
            (
                "Helping families apply for student aid",
                "one-to-one appointments to complete aid applications raised completion from "
                "half to three quarters of seniors",
            ),
            (
                "Paying for college: getting forms done",
                "text reminders and a checklist of documents made the difference for families "
                "new to the process",
            ),
        ],
        "intern": [
            (
                "Paid internships for juniors",
                "local employers hosted students for six weeks in summer, and several were "
                "offered part-time jobs",
            ),
            (
                "Work experience with local businesses",
                "placements in a hospital, a garage and a bank showed students careers they had "
                "never heard of",
            ),
            (
                "Job shadowing days",
                "a day following an adult at work changed what some students chose to study",
            ),
        ],
        "alumni": [
            (
                "Graduates mentoring current students",
                "former students now at university came back to talk about the first year away "
                "from home",
            ),
            (
                "Alumni panels about college life",
                "hearing from people from the same neighbourhood made college feel possible",
            ),
            (
                "Keeping in touch after graduation",
                "texting graduates during their first college semester reduced dropping out",
            ),
        ],
        "decoy": (
            "College of Education visit",
            "Faculty from the College of Education visited to recruit our teachers into a "
            "master's programme in school leadership.",
        ),
    },
    "food": {
        "breakfast": [
            (
                "Breakfast in the classroom",
                "serving breakfast at desks after the bell instead of in the cafeteria before "
                "school meant every child ate",
            ),
            (
                "Morning meals for all students",
                "when breakfast became free for everyone, the stigma disappeared and far more "
                "students ate",
            ),
            (
                "Hungry children cannot learn",
                "a grab-and-go cart at the entrance fed students who arrived late on the bus",
            ),
        ],
        "pantry": [
            (
                "A food pantry at school",
                "families pick up groceries discreetly on Friday afternoons; the community "
                "church restocks it",
            ),
            (
                "Weekend food bags",
                "children take home a bag of food for Saturday and Sunday, packed by volunteers",
            ),
            (
                "Food insecurity among our families",
                "a short screening question at enrolment connected families to local food banks",
            ),
        ],
        "garden": [
            (
                "School garden as a classroom",
                "students grew vegetables and used measurements from the beds in math and science",
            ),
            (
                "Growing food with children",
                "the garden club harvested enough salad for the cafeteria twice a month",
            ),
            (
                "Greenhouse lessons",
                "a small greenhouse let classes grow seedlings through the winter",
            ),
        ],
        "decoy": (
            "Breakfast meeting with the mayor",
            "The principals had a breakfast meeting with the mayor about the new sports field. "
            "Funding was promised for next spring.",
        ),
    },
    "vol": {
        "onboard": [
            (
                "Onboarding new volunteers",
                "a one-hour orientation, a handbook and a first shift next to an experienced "
                "volunteer made newcomers confident",
            ),
            (
                "Getting volunteers started well",
                "people who were welcomed and given a clear first task came back; those left "
                "waiting did not",
            ),
            (
                "Background checks without the delay",
                "starting the safeguarding checks at sign-up instead of at the first shift cut "
                "the wait from six weeks to two",
            ),
        ],
        "retain": [
            (
                "Keeping volunteers coming back",
                "a thank-you note after every term and a small celebration in June kept most "
                "volunteers for a second year",
            ),
            (
                "Why volunteers drop out",
                "the people who stopped said they did not know whether they were making a "
                "difference",
            ),
            (
                "Showing helpers their impact",
                "sending volunteers a short story about a child they helped kept them engaged",
            ),
        ],
        "schedule": [
            (
                "Online sign-up for volunteer shifts",
                "a shared calendar where helpers pick their own slots ended the weekly round of "
                "phone calls",
            ),
            (
                "Flexible slots for working parents",
                "offering evening and weekend tasks brought in parents who could never come in "
                "the day",
            ),
            (
                "Rota for reading helpers",
                "a fixed weekly rota meant each child saw the same adult every time",
            ),
        ],
        "decoy": (
            "Volunteer fire brigade visit",
            "The volunteer fire brigade visited the kindergarten with their truck. The children "
            "loved the siren.",
        ),
    },
    "fund": {
        "grants": [
            (
                "Writing grant reports funders read",
                "a two-page report with one story, three numbers and what we learned got better "
                "feedback than long narratives",
            ),
            (
                "Reporting to foundations",
                "we keep a running log of outcomes during the year so the annual report is not "
                "a scramble",
            ),
            (
                "Being honest with funders about what failed",
                "telling the foundation what did not work led to a renewed and larger grant",
            ),
        ],
        "donors": [
            (
                "Small monthly donors",
                "asking supporters for five dollars a month built steadier income than one big "
                "gala a year",
            ),
            (
                "Individual giving campaign",
                "a short video from a student and an online form raised more than the spring "
                "raffle",
            ),
            (
                "Thanking every donor",
                "a phone call from a board member within a week of a gift doubled repeat giving",
            ),
        ],
        "board": [
            (
                "Getting the board to help raise money",
                "each board member now brings three guests to a school visit each year",
            ),
            (
                "Board members as ambassadors",
                "training trustees to tell one story about the programme made them confident "
                "asking friends for support",
            ),
            (
                "A more active board",
                "shorter board meetings with one strategic question replaced long reports",
            ),
        ],
        "decoy": (
            "Grant writing course for students",
            "Seniors took an elective on writing and persuasion. Their final project was a "
            "mock grant proposal for a skate park.",
        ),
    },
    "partner": {
        "clinic": [
            (
                "A health clinic inside the school",
                "a nurse practitioner from the local hospital sees students on site, and "
                "absences for minor illness fell",
            ),
            (
                "Dental and eye checks at school",
                "a mobile van visited twice a year; many children got glasses for the first time",
            ),
            (
                "Partnering with health providers",
                "a clinic down the road now reserves appointments for our families after school",
            ),
        ],
        "library": [
            (
                "Public library cards for every student",
                "the city library signed up whole classes during a visit, and borrowing doubled",
            ),
            (
                "Librarians visiting classrooms",
                "a monthly storytime from the branch librarian brought families to the library "
                "at weekends",
            ),
            (
                "Summer reading with the library",
                "a joint reading challenge kept children reading in the holidays",
            ),
        ],
        "business": [
            (
                "Local companies supporting the school",
                "a nearby firm sponsored the robotics club and sent engineers as mentors",
            ),
            (
                "Working with employers",
                "a business partnership gave us used laptops and volunteers for mock interviews",
            ),
            (
                "Partnership agreements that last",
                "a written agreement with named contacts on both sides survived staff changes",
            ),
        ],
        "decoy": (
            "Partner dance at the spring festival",
            "Students learned a partner dance for the spring festival. Parents filled the gym.",
        ),
    },
    "meet": {
        "protocols": [
            (
                "Meeting protocols",
                "a structured protocol with timed rounds gave everyone a turn and stopped the "
                "same voices taking over",
            ),
            (
                "Structured discussion in team meetings",
                "using a tuning protocol for feedback on a colleague's plan kept the talk "
                "specific and kind",
            ),
            (
                "Making sure quieter staff are heard",
                "writing ideas on sticky notes before talking surfaced views that never came up "
                "in open discussion",
            ),
        ],
        "shorter": [
            (
                "Shorter staff meetings",
                "announcements moved to an email, and the meeting kept only decisions and "
                "learning; it now ends on time",
            ),
            (
                "Cutting meeting time in half",
                "a written agenda sent a day ahead and a strict end time made meetings faster",
            ),
            (
                "No meeting without a purpose",
                "we cancel any meeting whose agenda does not state a decision to take",
            ),
        ],
        "norms": [
            (
                "Team norms",
                "the grade team agreed on five norms, posted them and checked them at the end of "
                "each meeting",
            ),
            (
                "Ground rules for working together",
                "agreeing how we disagree made hard conversations possible",
            ),
            (
                "Revisiting agreements",
                "every term the team asks which of its agreements it is not keeping",
            ),
        ],
        "decoy": (
            "Meeting room booking system",
            "The office installed an online calendar for booking the meeting room. Double "
            "bookings stopped.",
        ),
    },
    "digital": {
        "devices": [
            (
                "Lending laptops to students",
                "every student can borrow a laptop for the year, signed out like a library book",
            ),
            (
                "Device loans for families without computers",
                "we lent tablets to households with none, and homework completion rose",
            ),
            (
                "Managing a fleet of student Chromebooks",
                "a student tech team handles repairs and charging carts",
            ),
        ],
        "internet": [
            (
                "Wifi hotspots for families",
                "mobile hotspots lent to families without broadband let students submit work "
                "from home",
            ),
            (
                "Getting students online at home",
                "we helped families sign up for a low-cost internet plan during enrolment",
            ),
            (
                "Connectivity gap in rural homes",
                "parked school buses with wifi served as hotspots in villages without a signal",
            ),
        ],
        "online": [
            (
                "Keeping students engaged in online lessons",
                "short live sessions with breakout rooms worked better than long lectures on "
                "video calls",
            ),
            (
                "Remote learning that worked",
                "a fixed daily timetable and one check-in call per week kept most children "
                "learning at a distance",
            ),
            (
                "Cameras off, hands up",
                "using chat and quick polls kept participation high without forcing cameras on",
            ),
        ],
        "decoy": (
            "Digital signage in the lobby",
            "A screen in the lobby now shows the lunch menu and sports results.",
        ),
    },
    "sped": {
        "coteach": [
            (
                "Co-teaching in inclusive classrooms",
                "a special education teacher and a subject teacher plan and teach together, "
                "with both working with all students",
            ),
            (
                "Two teachers in one room",
                "the model only worked once both had shared planning time every week",
            ),
            (
                "Inclusion instead of pull-out",
                "students with disabilities learned more in the general classroom with support "
                "than in a separate room",
            ),
        ],
        "iep": [
            (
                "Better IEP meetings with families",
                "sending a draft a week ahead and starting with the child's strengths made "
                "parents partners",
            ),
            (
                "Parents in individual education plan meetings",
                "a pre-meeting phone call to ask what the family wants changed the tone",
            ),
            (
                "Student-led planning meetings",
                "older students presented their own goals at their plan review",
            ),
        ],
        "access": [
            (
                "Accommodations on tests",
                "extra time and a quiet room for students who need them raised scores without "
                "lowering expectations",
            ),
            (
                "Universal design for learning",
                "offering every student the choice of audio, text or video made support normal "
                "rather than special",
            ),
            (
                "Assistive technology for reading",
                "text-to-speech let students with dyslexia read grade-level books",
            ),
        ],
        "decoy": (
            "Special events calendar",
            "The special events calendar lists concerts, sports days and open evenings for the "
            "year.",
        ),
    },
    "after": {
        "homework": [
            (
                "Homework club after school",
                "a quiet room with a teacher and snacks until five o'clock helped students who "
                "had nowhere to work at home",
            ),
            (
                "Study hall for pupils without a place to study",
                "children who could not do assignments at home finished them at school with help",
            ),
            (
                "Supervised study time",
                "an hour of support after the last lesson raised the share of homework handed in",
            ),
        ],
        "enrich": [
            (
                "Arts and sports after school",
                "clubs in music, drama and football kept students at school who would otherwise "
                "have left",
            ),
            (
                "Enrichment clubs that students choose",
                "letting children propose clubs brought chess, cooking and coding",
            ),
            (
                "Why students join after-school activities",
                "friends and a trusted adult mattered more than the activity itself",
            ),
        ],
        "logistics": [
            (
                "Late buses for after-school programmes",
                "a second bus run at half past five let rural students stay for clubs",
            ),
            (
                "Snacks and transport for afternoon programmes",
                "attendance at the clubs rose once there was food and a ride home",
            ),
            (
                "Making after-school programs accessible",
                "scholarships and a late pick-up time opened the programme to working families",
            ),
        ],
        "decoy": (
            "After school staff parking",
            "After school, staff may park in the bus lane once the buses have left.",
        ),
    },
}

# Queries: text and the findings they are judged against ("topic.finding": grade;
# "topic.*": every finding of the topic).
QUERIES: list[tuple[str, str, dict[str, int]]] = [
    ("h01", "chronic absence phone calls", {"att.calls": 2, "att.*": 1}),
    ("h02", "how do we get kids who keep missing school to come back", {"att.*": 2}),
    ("h03", "children late because of transportation", {"att.bus": 2}),
    ("h04", "home visits", {"fam.visits": 2}),
    ("h05", "parents who do not speak English", {"fam.language": 2, "ell.*": 1}),
    ("h06", "events that bring families into school", {"fam.workshops": 2, "fam.*": 1}),
    ("h07", "high-dosage tutoring", {"tut.dosage": 2, "tut.*": 1}),
    ("h08", "how to prepare volunteers who help students one to one", {"tut.training": 2}),
    ("h09", "big kids helping little kids learn", {"tut.peer": 2}),
    ("h10", "instructional coaching feedback", {"coach.cycles": 2, "coach.*": 1}),
    ("h11", "teachers seeing themselves teach on camera", {"coach.video": 2}),
    ("h12", "lesson study", {"coach.lesson_study": 2}),
    ("h13", "why do new teachers quit", {"newt.exit": 2, "newt.*": 1}),
    ("h14", "support for beginning teachers", {"newt.mentor": 2, "newt.load": 2}),
    ("h15", "phonics decodable texts", {"lit.phonics": 2}),
    ("h16", "children who cannot read well yet", {"lit.groups": 2, "lit.phonics": 1}),
    ("h17", "parents reading with children", {"lit.home": 2, "fam.workshops": 1}),
    ("h18", "number talks", {"math.talks": 2}),
    ("h19", "using physical objects to teach maths", {"math.concrete": 2}),
    ("h20", "students afraid of getting the answer wrong", {"math.errors": 2}),
    ("h21", "restorative circles", {"beh.circles": 2, "beh.*": 1}),
    ("h22", "instead of sending students home when they misbehave", {"beh.suspension": 2}),
    ("h23", "where an angry child can calm down", {"beh.calm": 2}),
    ("h24", "student mental health counselling", {"well.counsel": 2, "well.*": 1}),
    ("h25", "finding out which pupils are unhappy", {"well.checkin": 2}),
    ("h26", "test anxiety", {"well.mindful": 2, "math.errors": 1}),
    ("h27", "data meetings", {"data.meetings": 2, "data.*": 1}),
    ("h28", "knowing at the end of a lesson who understood", {"data.exit": 2}),
    ("h29", "early warning indicators", {"data.dashboard": 2, "ninth.ontrack": 2}),
    ("h30", "PDSA cycle", {"pdsa.small": 2, "pdsa.*": 1}),
    ("h31", "tracking whether a change is working over time", {"pdsa.runchart": 2}),
    ("h32", "pilot worked but failed when spread to all schools", {"pdsa.scale": 2}),
    ("h33", "summer bridge", {"ninth.bridge": 2}),
    ("h34", "moving from middle school to high school", {"ninth.*": 2}),
    ("h35", "ninth grade failing grades", {"ninth.ontrack": 2, "ninth.*": 1}),
    ("h36", "newcomer students", {"ell.newcomer": 2}),
    ("h37", "teaching in two languages", {"ell.bilingual": 2}),
    ("h38", "helping english learners with subject words", {"ell.vocab": 2}),
    ("h39", "FAFSA", {"coll.fafsa": 2}),
    ("h40", "students trying out jobs before they graduate", {"coll.intern": 2}),
    ("h41", "former pupils inspiring current ones", {"coll.alumni": 2}),
    ("h42", "school breakfast", {"food.breakfast": 2, "food.*": 1}),
    ("h43", "families who do not have enough to eat", {"food.pantry": 2, "food.breakfast": 1}),
    ("h44", "school garden", {"food.garden": 2}),
    ("h45", "volunteer onboarding", {"vol.onboard": 2, "vol.*": 1}),
    ("h46", "helpers stop coming after a few weeks", {"vol.retain": 2}),
    ("h47", "grant reports for funders", {"fund.grants": 2}),
    ("h48", "getting more people to give money regularly", {"fund.donors": 2, "fund.board": 1}),
    ("h49", "trustees fundraising", {"fund.board": 2}),
    ("h50", "doctor or nurse at school", {"partner.clinic": 2, "well.counsel": 1}),
    ("h51", "library partnership", {"partner.library": 2, "lit.home": 1}),
    ("h52", "companies helping schools", {"partner.business": 2, "coll.intern": 1}),
    ("h53", "meetings where the same people always talk", {"meet.protocols": 2}),
    ("h54", "staff meetings take too long", {"meet.shorter": 2, "meet.*": 1}),
    ("h55", "team norms", {"meet.norms": 2}),
    ("h56", "students with no internet at home", {"digital.internet": 2, "digital.devices": 1}),
    ("h57", "laptop loans", {"digital.devices": 2}),
    ("h58", "engagement in remote classes", {"digital.online": 2}),
    ("h59", "co-teaching", {"sped.coteach": 2, "sped.*": 1}),
    ("h60", "involving parents in planning for a child with a disability", {"sped.iep": 2}),
    ("h61", "after school homework help", {"after.homework": 2, "after.*": 1}),
    ("h62", "kids cannot stay for clubs because they have no ride home", {"after.logistics": 2}),
]

# Findings that a fourth school wrote up again almost word for word.
REPEATED = 24


def build() -> tuple[list[dict[str, object]], dict[str, list[str]]]:
    """The corpus rows and, for each finding key, the ids of its documents."""
    rng = random.Random(20261122)
    corpus: list[dict[str, object]] = []
    members: dict[str, list[str]] = {}
    originals: list[tuple[str, str, str, str]] = []
    for topic, findings in TOPICS.items():
        for finding, writeups in findings.items():
            if finding == "decoy":
                continue
            key = f"{topic}.{finding}"
            for n, (title, finding_text) in enumerate(writeups, start=1):  # type: ignore[misc]
                doc_id = f"{topic}-{finding}-{n}"
                context = rng.choice(CONTEXTS)
                text = f"{context}, {finding_text}. {rng.choice(CLOSINGS)}"
                corpus.append({"_id": doc_id, "title": title, "text": text})
                members.setdefault(key, []).append(doc_id)
                originals.append((key, doc_id, title, finding_text))
        title, text = findings["decoy"]  # type: ignore[misc]
        corpus.append({"_id": f"{topic}-decoy", "title": title, "text": text})
    for key, doc_id, title, finding_text in rng.sample(originals, REPEATED):
        context = rng.choice(CONTEXTS)
        text = f"{context}, we found the same: {finding_text}. {rng.choice(CLOSINGS)}"
        copy_id = f"{doc_id}-again"
        corpus.append({"_id": copy_id, "title": f"{title} (our version)", "text": text})
        members[key].append(copy_id)
    return corpus, members


def qrels_for(judged: dict[str, int], members: dict[str, list[str]]) -> dict[str, int]:
    grades: dict[str, int] = {}
    for key, grade in judged.items():
        topic, finding = key.split(".")
        keys = [k for k in members if k.startswith(f"{topic}.")] if finding == "*" else [key]
        for k in keys:
            for doc_id in members[k]:
                grades[doc_id] = max(grades.get(doc_id, 0), grade)
    return grades


def main() -> None:
    corpus, members = build()
    (OUT / "qrels").mkdir(parents=True, exist_ok=True)
    with (OUT / "corpus.jsonl").open("w", encoding="utf-8") as out:
        for row in corpus:
            out.write(json.dumps({**row, "metadata": {}}) + "\n")
    with (OUT / "queries.jsonl").open("w", encoding="utf-8") as out:
        for query_id, text, _judged in QUERIES:
            out.write(json.dumps({"_id": query_id, "text": text, "metadata": {}}) + "\n")
    with (OUT / "qrels" / "test.tsv").open("w", encoding="utf-8") as out:
        out.write("query-id\tcorpus-id\tscore\n")
        for query_id, _text, judged in QUERIES:
            for doc_id, grade in sorted(qrels_for(judged, members).items()):
                out.write(f"{query_id}\t{doc_id}\t{grade}\n")


if __name__ == "__main__":
    main()
