"""Demo network: knowledge brokers (issue 5).

Four people the stewards named to carry knowledge across boundaries, one per sphere at
least: Hannah Kim, the data coach, carries it to school teams inside the network; James
Okonkwo (a demo login), a family navigator at Open Door, to partner organizations; Helen
Park, at the foundation, to other funders; Omar Farouk, a researcher, to the wider field.

Each has the audiences they reach and a year of shares through them, with the responses
that came back. The data coach's coaching visits that the rest of the demo recorded become
her shares; every share of the year gets the sphere it reached; adoption plans point at
the share they most plausibly grew out of; and each broker was told about the newest
products waiting in their queue. (The evening-texts how-to stays unshared: the health
page shows it as a product nobody has carried yet.)

Rows are written with the ORM in bulk, with the audit verbs the services record. It runs
with its own seeded generator, so adding it changes nothing built before it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType

from learnloop.application.models import AdoptionPlan
from learnloop.capture.models import KnowledgeProduct
from learnloop.notifications.models import Notification, NotificationKind
from learnloop.sharing.broker_selectors import broker_queue
from learnloop.sharing.models import Broker, BrokerAudience, Share, Sphere

if TYPE_CHECKING:
    from learnloop.demo.builder import _Builder

SEED = 2024 + 5
STEWARD = "amara.okafor"
COACH = "hannah.kim"

# Where each channel of the demo reaches, for the shares recorded before spheres existed.
CHANNEL_SPHERES: dict[str, str] = {
    "feed": Sphere.GROUPS,
    "newsletter": Sphere.GROUPS,
    "principals": Sphere.GROUPS,
    "coaching": Sphere.GROUPS,
    "board": Sphere.PARTNERS,
    "website": Sphere.FIELD,
    "family_night": Sphere.FIELD,
    "radio": Sphere.FIELD,
}
# Channels whose audiences are specific enough for a plan to have grown out of them.
SPECIFIC = ("principals", "coaching", "board", "family_night")


@dataclass(frozen=True)
class AudienceSpec:
    key: str
    name: str
    sphere: str
    description: str
    retired: bool = False


@dataclass(frozen=True)
class BrokerSpec:
    username: str
    named_days_ago: int
    note: str
    audiences: tuple[AudienceSpec, ...]


@dataclass(frozen=True)
class ShareSpec:
    broker: str
    audience: str  # AudienceSpec.key
    product: str
    channel: str | None
    note: str
    response: str


BROKERS: tuple[BrokerSpec, ...] = (
    BrokerSpec(
        COACH,
        330,
        "Visits every ninth-grade team each month as the district's data coach, so what one "
        "team learns reaches the others within weeks.",
        (
            AudienceSpec(
                "northgate",
                "Northgate ninth-grade team",
                Sphere.GROUPS,
                "Monthly coaching visit; the team lead is Nadia's counterpart there.",
            ),
            AudienceSpec(
                "lakeview",
                "Lakeview ninth-grade team",
                Sphere.GROUPS,
                "Monthly coaching visit and the weekly data huddle.",
            ),
            AudienceSpec(
                "eastside_office",
                "front-office staff at Eastside",
                Sphere.GROUPS,
                "Attendance clerks and the registrar; Hannah trains them on the data system.",
            ),
            AudienceSpec(
                "northgate_family",
                "Northgate family engagement team",
                Sphere.GROUPS,
                "Joins their planning meeting once a term.",
            ),
            AudienceSpec(
                "riverbend",
                "Riverbend ninth-grade team",
                Sphere.GROUPS,
                "Riverbend now has its own data lead.",
                retired=True,
            ),
        ),
    ),
    BrokerSpec(
        "james.okonkwo",
        250,
        "Family navigator at Open Door Family Center. Carries what works with families to "
        "the navigators he works beside and to the county's family resource centers.",
        (
            AudienceSpec(
                "navigators",
                "Open Door family navigators",
                Sphere.PARTNERS,
                "The eight navigators' monthly team meeting.",
            ),
            AudienceSpec(
                "resource_centers",
                "County family resource centers",
                Sphere.PARTNERS,
                "James sits on the coordinating group of the county's family resource centers.",
            ),
            AudienceSpec(
                "attendance_group",
                "Attendance Impact Group",
                Sphere.GROUPS,
                "He brings what families tell him about getting to school.",
            ),
        ),
    ),
    BrokerSpec(
        "helen.park",
        240,
        "Director of learning and evaluation at Cedar Ridge. Carries the network's results "
        "to other funders and to the foundation's own program staff.",
        (
            AudienceSpec(
                "funders_circle",
                "Regional funders' learning circle",
                Sphere.FIELD,
                "Eleven foundations that meet each quarter to compare what they fund.",
            ),
            AudienceSpec(
                "program_staff",
                "Cedar Ridge program staff",
                Sphere.PARTNERS,
                "The foundation's weekly program meeting.",
            ),
        ),
    ),
    BrokerSpec(
        "omar.farouk",
        200,
        "Researcher at Bay State University. Takes the network's tested practices to "
        "teacher education and to the state's practitioners.",
        (
            AudienceSpec(
                "faculty",
                "Bay State teacher-education faculty",
                Sphere.FIELD,
                "Future teachers meet these practices in their second-year seminar.",
            ),
            AudienceSpec(
                "conference",
                "State attendance and engagement conference",
                Sphere.FIELD,
                "An annual conference of about four hundred district staff.",
            ),
        ),
    ),
)

SHARES: tuple[ShareSpec, ...] = (
    ShareSpec(
        COACH,
        "northgate",
        "weekly_checks_howto",
        "coaching",
        "Walked the team through the one-page list at the data huddle.",
        "They ran their first weekly check the following Monday.",
    ),
    ShareSpec(COACH, "lakeview", "recovery_summary", "coaching", "", ""),
    ShareSpec(
        COACH,
        "eastside_office",
        "attendance_report",
        "coaching",
        "Went through the first-six-weeks figures with the attendance clerks.",
        "They will flag students at ten percent absence from the third week.",
    ),
    ShareSpec(
        "james.okonkwo",
        "navigators",
        "calls_package",
        None,
        "Presented the good-news calls as something navigators can model for teachers.",
        "Four navigators now make a good-news call before any problem call.",
    ),
    ShareSpec(
        "james.okonkwo",
        "navigators",
        "home_language_summary",
        None,
        "",
        "The team asked for the list of interpreters the district uses.",
    ),
    ShareSpec(
        "james.okonkwo",
        "resource_centers",
        "home_language_summary",
        None,
        "Shared at the coordinating group with the Northgate figures.",
        "",
    ),
    ShareSpec(
        "james.okonkwo",
        "resource_centers",
        "maria_story",
        None,
        "Read María's story at the start of the meeting.",
        "Two centers will put the story in their welcome packs.",
    ),
    ShareSpec(
        "james.okonkwo",
        "attendance_group",
        "data_night_howto",
        None,
        "",
        "The group wants to try a data night focused on attendance.",
    ),
    ShareSpec(
        "helen.park",
        "funders_circle",
        "on_track_report",
        None,
        "Presented the on-track figures with the caveats about the returned idea.",
        "Two foundations asked for the report to use in their own planning.",
    ),
    ShareSpec(
        "helen.park",
        "funders_circle",
        "starter_kit",
        None,
        "",
        "",
    ),
    ShareSpec(
        "helen.park",
        "program_staff",
        "funder_pitch",
        None,
        "Walked through the fast-funds idea and what it would take.",
        "Program staff will pilot fast funds with two grantees.",
    ),
    ShareSpec(
        "omar.farouk",
        "faculty",
        "calls_package",
        None,
        "Added the package to the second-year seminar reading list.",
        "Student teachers will try a good-news call during placement.",
    ),
    ShareSpec(
        "omar.farouk",
        "conference",
        "weekly_checks_howto",
        "website",
        "A poster and a link to the public how-to.",
        "About thirty people took the handout; three districts wrote afterwards.",
    ),
)


class _BrokerBuilder:
    def __init__(self, b: _Builder) -> None:
        self.b = b
        self.rng = random.Random(SEED)
        self.steward = b.people[STEWARD]

    def at(self, days_ago: float) -> datetime:
        day = self.b.today - timedelta(days=int(days_ago))
        moment = datetime.combine(
            day, time(self.rng.randint(8, 17), self.rng.randint(0, 59)), tzinfo=self.b.tz
        )
        return min(moment, self.b.end)

    def between(self, start: datetime, days: float) -> datetime:
        minutes = self.rng.randint(60, max(int(days * 24 * 60), 61))
        return min(start + timedelta(minutes=minutes), self.b.end)

    def run(self) -> None:
        self.make_brokers()
        self.take_over_coaching_visits()
        self.make_shares()
        self.place_every_share()
        self.link_plans()
        self.tell_brokers()

    # ---------------------------------------------------------------- brokers, audiences

    def make_brokers(self) -> None:
        b = self.b
        self.brokers: dict[str, Broker] = {}
        for spec in BROKERS:
            broker = Broker(
                person=b.people[spec.username],
                note=spec.note,
                named_by=self.steward,
                named_at=self.at(spec.named_days_ago),
            )
            self.brokers[spec.username] = broker
        Broker.objects.bulk_create(self.brokers.values())
        self.audiences: dict[tuple[str, str], BrokerAudience] = {}
        rows = []
        for spec in BROKERS:
            broker = self.brokers[spec.username]
            for a in spec.audiences:
                created = self.between(broker.named_at, 20)
                audience = BrokerAudience(
                    broker=broker,
                    name=a.name,
                    sphere=a.sphere,
                    description=a.description,
                    created_at=created,
                    retired_at=self.between(created, 120) if a.retired else None,
                )
                self.audiences[(spec.username, a.key)] = audience
                rows.append(audience)
        BrokerAudience.objects.bulk_create(rows)
        for spec in BROKERS:
            broker = self.brokers[spec.username]
            b.audit(
                self.steward, "named a broker", broker, broker.named_at, person=broker.person_id
            )
        for (username, _key), audience in self.audiences.items():
            broker = self.brokers[username]
            actor = broker.person if username != COACH else self.steward
            b.audit(
                actor, "added a broker audience", broker, audience.created_at, audience=audience.pk
            )
            if audience.retired_at:
                b.audit(
                    broker.person,
                    "retired a broker audience",
                    broker,
                    audience.retired_at,
                    audience=audience.pk,
                )

    def take_over_coaching_visits(self) -> None:
        """The demo's coaching visits were the data coach's: they become her shares, to
        the audiences she reaches."""
        coach = self.brokers[COACH]
        by_name = {
            a.name.casefold(): a for (user, _k), a in self.audiences.items() if user == COACH
        }
        changed: list[Share] = []
        for shares in self.b.shares.values():
            for share in shares:
                if share.channel_id != self.b.channels["coaching"].pk:
                    continue
                audience = by_name.get(share.audience.casefold())
                share.shared_by = coach.person
                share.broker_audience = audience
                if audience is not None:
                    share.audience = audience.name
                changed.append(share)
        Share.objects.bulk_update(changed, ["shared_by", "broker_audience", "audience"])
        ids = {s.pk for s in changed}
        for event in self.b.audits:
            if event.verb == "shared" and event.data.get("share") in ids:
                event.actor = coach.person

    # ------------------------------------------------------------------------- shares

    def make_shares(self) -> None:
        b = self.b
        made: list[Share] = []
        for spec in SHARES:
            product: KnowledgeProduct = b.products[spec.product]
            audience = self.audiences[(spec.broker, spec.audience)]
            broker = self.brokers[spec.broker]
            start = max(product.published_at or product.created_at, broker.named_at)
            start = max(start, audience.created_at)
            share = Share(
                product=product,
                channel=b.channels[spec.channel] if spec.channel else None,
                audience=audience.name,
                broker_audience=audience,
                sphere=audience.sphere,
                note=spec.note,
                response=spec.response,
                shared_by=broker.person,
                shared_at=self.between(start, 40),
            )
            made.append(share)
        Share.objects.bulk_create(made)
        for share in made:
            b.shares[self.key_of(share.product)].append(share)
            b.audit(
                share.shared_by,
                "shared",
                share.product,
                share.shared_at,
                share=share.pk,
                sphere=share.sphere,
                broker_audience=share.broker_audience_id,
            )

    def key_of(self, product: KnowledgeProduct) -> str:
        return next(k for k, p in self.b.products.items() if p.pk == product.pk)

    def place_every_share(self) -> None:
        """Shares recorded through a channel get the sphere that channel reaches."""
        by_channel = {ch.pk: key for key, ch in self.b.channels.items()}
        rows = [
            s
            for shares in self.b.shares.values()
            for s in shares
            if not s.sphere and s.channel_id in by_channel
        ]
        for share in rows:
            if share.broker_audience is not None:
                share.sphere = share.broker_audience.sphere
            else:
                share.sphere = CHANNEL_SPHERES.get(by_channel[share.channel_id or 0], "")
        Share.objects.bulk_update(rows, ["sphere"])

    # -------------------------------------------------------------------------- plans

    def link_plans(self) -> None:
        """A plan grew out of the most specific share made before it started: a meeting,
        a coaching visit or a briefing rather than the feed."""
        by_channel = {ch.pk: key for key, ch in self.b.channels.items()}
        changed = []
        for plan in AdoptionPlan.objects.filter(product__in=self.b.products.values()).order_by(
            "pk"
        ):
            key = self.key_of_pk(plan.product_id)
            before = [s for s in self.b.shares[key] if s.shared_at <= plan.created_at]
            specific = [
                s
                for s in before
                if s.broker_audience_id or by_channel.get(s.channel_id or 0) in SPECIFIC
            ]
            if specific and plan.share_id != specific[-1].pk:
                plan.share = specific[-1]
                changed.append(plan)
        AdoptionPlan.objects.bulk_update(changed, ["share"])

    def key_of_pk(self, pk: int) -> str:
        return next(k for k, p in self.b.products.items() if p.pk == pk)

    # -------------------------------------------------------------------- notifications

    def tell_brokers(self) -> None:
        """Each broker was told about the two newest products waiting in their queue; the
        demo broker login has not read them yet."""
        ct = ContentType.objects.get_for_model(KnowledgeProduct)
        rows = []
        for spec in BROKERS:
            broker = Broker.objects.select_related("person").get(pk=self.brokers[spec.username].pk)
            person = broker.person
            queue = broker_queue(viewer=person, broker=broker)
            newest = sorted(queue, key=lambda p: p.published_at or p.created_at)[-2:]
            names = [
                a.name
                for (user, _k), a in self.audiences.items()
                if user == spec.username and a.retired_at is None
            ]
            for product in newest:
                ready = max(product.published_at or product.created_at, broker.named_at)
                when = self.between(ready, 2)
                rows.append(
                    Notification(
                        recipient=person,
                        kind=NotificationKind.BROKER,
                        title=f"Ready for you to carry: “{product.title}”",
                        body="Audiences of yours it has not reached yet: " + ", ".join(names) + ".",
                        url=product.get_absolute_url(),
                        content_type=ct,
                        object_id=product.pk,
                        created_at=when,
                        read_at=None if spec.username == "james.okonkwo" else self.between(when, 3),
                    )
                )
        Notification.objects.bulk_create(rows)


def build(b: Any) -> None:
    """Add this part of the demo; `b` is the demo builder (see builder._Builder)."""
    _BrokerBuilder(b).run()
