"""Seed a fresh database with many learnings whose text looks like English, for the search
benchmarks.

    .venv/bin/python bench/search_seed.py --data-dir bench/results/search-100k --learnings 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ll_search_bench \
        .venv/bin/python bench/search_seed.py --data-dir bench/results/search-pg --learnings 100000

The network (people, organizations, groups, memberships, the same visibility mix as
`bench/seed.py`: 72 % network, 15 % group, 10 % public, 3 % private drafts) comes from
`bench.seed.Seeder`. The text is drawn from a fixed vocabulary so that document frequencies
are realistic: about 130 English function words carry over a third of all tokens, ~900
English content words of the network's work bring the English share to about 70 %, and a
long tail of 40,000 made-up rare words (names, places, jargon) makes the rest, all with
Zipf-Mandelbrot frequencies (rank r has weight 1 / (r + 2.7)^1.1). Each learning is about
one or two of 300 topics, each topic a bag of 40 words (24 English, 16 from the tail), so
that words co-occur as in real writing (this is what the semantic layer and
"related items" feed on). Bodies are 15-250 words (median ~60), titles 4-10 words.
Deterministic for a given --seed. Only learnings (and the people, groups and memberships
they need) are written: indexing is timed separately by `bench/search_run.py`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.seed import BATCH, KIND_MIX, SITES, Seeder, log, main, pick

_FUNCTION_TEXT = """
the of and to a in that it is was i for on you he be with as by at have are this not but
had his they from she which or we an there her were one do been all their has would will
what if can when so no said who more about up them some could him into its then two out
time like only my did other me your now over just may after also any than very our how
these first well way even because new most us should where each those much before through
back good here why again off still own while every both really many same another great
always never does around without almost since often during
"""

_CONTENT_TEXT = """
student students family families parent parents caregiver caregivers teacher teachers
school schools class classroom classrooms attendance absence absent absences chronic
tardy morning afternoon evening week weeks month months year years day days term semester
quarter grade grades ninth tenth eleventh twelfth freshman freshmen sophomore junior senior
transition bridge summer program programs tutor tutors tutoring tutored peer peers mentor
mentors mentoring mentee advisory advisor advisors counselor counselors coach coaches
coaching cycle cycles plan study act test tested testing change changes idea ideas
learning learnings evidence data measure measures chart charts run meeting meetings
agenda protocol team teams group groups cluster network partner partners community
communities clinic nurse health food pantry meal meals breakfast lunch snack hungry
clothes clothing coat uniform laundry washing bus buses ride transport distance walk
home visit visits call calls called phone text texts message messages letter letters
email newsletter translation translated interpreter interpreters language languages
spanish somali arabic english bilingual reading read reader readers fluency phonics
decoding literacy book books library libraries story stories writing write journal
journals math mathematics algebra fractions number numbers problem problems solution
solutions strategy strategies discourse discussion discussions talk talks question
questions answer answers explain explained explaining reasoning thinking think thought
circle circles restorative conflict conflicts harm repair suspension suspensions
discipline behavior behaviour referral referrals calm corner breathing reset office
principal assistant staff volunteer volunteers onboarding training trained session
sessions workshop workshops practice practices routine routines habit habits goal goals
plan plans planning progress growth gain gains score scores test tests assessment
assessments exit ticket tickets survey surveys interview interviews empathy voice voices
belonging trust relationship relationships connection connected notice noticed greet
greeted door hallway building floor room rooms space spaces after before during between
first second third last next early late small large short long quick slow simple clear
better worse more less most fewer many few several every each both half quarter double
tripled doubled rose fell dropped grew improved changed helped worked failed tried tested
started stopped kept moved made found saw heard asked told said learned noticed shared
offered invited met joined visited called sent wrote read used took gave brought
college career careers job jobs work working workplace business businesses employer
employers internship internships application applications financial aid scholarship
graduation graduate graduated dropout dropping track indicator indicators warning
failure failures failing passing passed course courses credit credits schedule schedules
teacher-led student-led family-led youth adult adults child children kids kid baby
siblings sibling brother sister mother father grandmother aunt neighbor neighborhood
housing shelter rent job-loss income money cost costs fund funding grant grants budget
donation donations donor donors partner-led district districts county city state policy
policies rule rules law legal truancy court warning warnings notice notices form forms
paper online digital app apps device devices laptop laptops internet wifi access
anxiety stress wellbeing mental counseling support supports supported supporting help
helping helped care caring safe safety feel felt feeling feelings happy proud afraid
worried confident motivated engaged engagement disengaged bored interest interests
choice choices choose chose voice agency ownership leadership leader leaders lead led
decision decisions vote votes standard standards review reviews knowledge product
products share shares adoption adopt adopted outcome outcomes value values story
network-wide site sites context contexts pattern patterns across compare compared
comparison similar different difference differences same consistent variation normal
special signal noise baseline target targets aim aims driver drivers theory change-idea
hunch promising emerging scaling returned elevated spread spreading scale pilot pilots
trial trials prototype prototypes feedback reflection reflections observation
observations result results finding findings lesson lessons insight insights surprise
surprising expected unexpected because although however therefore instead despite
"""
FUNCTION_WORDS = _FUNCTION_TEXT.split()
CONTENT_WORDS = _CONTENT_TEXT.split()

_SYLLABLE_TEXT = (
    "ba be bi bo bu ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu ra re ri ro "
    "ru sa se si so su ta te ti to tu va ve vi vo za ze zi zo dan den din lor mar mel mor nor "
    "sal sen ter tor val ven wen"
)
SYLLABLES = _SYLLABLE_TEXT.split()

TOPICS = 300
TOPIC_WORDS = 40
TOPIC_SHARE = 0.3  # share of a body's tokens drawn from its topics' words


def _made_up_words(rng: np.random.Generator, count: int) -> list[str]:
    seen = set(FUNCTION_WORDS) | set(CONTENT_WORDS)
    words: list[str] = []
    while len(words) < count:
        k = int(rng.integers(2, 5))
        word = "".join(SYLLABLES[int(i)] for i in rng.integers(0, len(SYLLABLES), size=k))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


class TextModel:
    """A fixed vocabulary with Zipf-Mandelbrot frequencies, and 300 topics over it."""

    def __init__(self, seed: int = 11, tail: int = 40_000) -> None:
        rng = np.random.default_rng(seed)
        content = list(dict.fromkeys(w for w in CONTENT_WORDS if w not in FUNCTION_WORDS))
        self.vocab = np.array(FUNCTION_WORDS + content + _made_up_words(rng, tail), dtype=object)
        self.n_function = len(FUNCTION_WORDS)
        ranks = np.arange(len(self.vocab), dtype=np.float64)
        weights = 1.0 / (ranks + 2.7) ** 1.1
        self.cdf = np.cumsum(weights / weights.sum())
        # Content-only distribution (titles, queries): no function words.
        content_weights = weights.copy()
        content_weights[: self.n_function] = 0
        self.content_cdf = np.cumsum(content_weights / content_weights.sum())
        # Each topic: 24 English content words and 16 rarer words of the tail.
        first_tail = self.n_function + len(content)
        self.topics = [
            np.concatenate(
                [
                    rng.choice(np.arange(self.n_function, first_tail), 24, replace=False),
                    rng.integers(first_tail, first_tail + 15_000, size=TOPIC_WORDS - 24),
                ]
            )
            for _ in range(TOPICS)
        ]

    @staticmethod
    def _draw(rng: np.random.Generator, cdf: np.ndarray, size: int) -> np.ndarray:
        return np.minimum(np.searchsorted(cdf, rng.random(size)), len(cdf) - 1)

    def words(self, rng: np.random.Generator, topics: list[int], size: int) -> list[str]:
        from_topics = round(size * TOPIC_SHARE)
        idx = self._draw(rng, self.cdf, size - from_topics)
        pool = np.concatenate([self.topics[t] for t in topics])
        topical = pool[rng.integers(0, len(pool), size=from_topics)]
        tokens = np.concatenate([idx, topical])
        rng.shuffle(tokens)
        return list(self.vocab[tokens])

    def document(self, rng: np.random.Generator) -> tuple[list[int], str, str]:
        topics = [int(t) for t in rng.integers(0, TOPICS, size=1 + int(rng.random() < 0.4))]
        length = int(np.clip(rng.lognormal(mean=4.1, sigma=0.6), 15, 250))
        body = self.words(rng, topics, length)
        # Sentences of 8-16 words, capitalised, ending in a full stop.
        sentences, i = [], 0
        while i < len(body):
            n = int(rng.integers(8, 17))
            chunk = body[i : i + n]
            sentences.append(" ".join([chunk[0].capitalize(), *chunk[1:]]) + ".")
            i += n
        n_title = int(rng.integers(4, 11))
        pool = np.concatenate([self.topics[t] for t in topics])
        title_idx = np.concatenate(
            [
                pool[rng.integers(0, len(pool), size=n_title // 2 + 1)],
                self._draw(rng, self.content_cdf, n_title - n_title // 2 - 1),
            ]
        )
        title = " ".join(self.vocab[title_idx])
        return topics, title[:1].upper() + title[1:200], " ".join(sentences)


class SearchSeeder(Seeder):
    """`bench.seed.Seeder`'s network (people, organizations, groups, memberships), then
    learnings of the text model's English, and nothing else."""

    def steps(self) -> tuple[Callable[[], None], ...]:
        return (self.people, self.learnings)

    def learnings(self) -> None:
        from learnloop.generation.models import Learning

        text = TextModel(seed=self.rng.randint(0, 2**31))
        nrng = np.random.default_rng(self.rng.randint(0, 2**31))
        made = 0
        for start in range(0, self.n, BATCH):
            batch = []
            for _ in range(min(BATCH, self.n - start)):
                placed = self.shared()
                _topics, title, body = text.document(nrng)
                batch.append(
                    Learning(
                        **placed,
                        title=title,
                        body=body,
                        kind=pick(self.rng, KIND_MIX),
                        site=self.rng.choice(SITES) if self.rng.random() < 0.8 else "",
                    )
                )
            Learning.objects.bulk_create(batch, batch_size=BATCH)
            made += len(batch)
            if made % 50_000 == 0 or made == self.n:
                log(self.started, f"  learnings {made:,}/{self.n:,}")
        self.counts["learnings"] = made


if __name__ == "__main__":
    main(SearchSeeder, __doc__)
