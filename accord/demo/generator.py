"""The one deterministic generator behind the demo, the tests and the benchmarks.

`plan_portfolio` decides everything from (n, seed, anchor) in plain data; `load_portfolio` writes
it with bulk inserts so thousands of partnerships load in seconds. Later capabilities add their
own data through `demo_extension`: each extension gets the loaded context and the seed-derived RNG,
so the archetype's story (healthy, drifting into a vicious circle, one-sided decline, recovering,
transactional) runs through every capability.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from accord.demo import cast
from accord.demo.bulk import quiet_queries
from accord.demo.cast import ARCHETYPES, OrgSpec, PartnershipSpec, Person
from accord.partnerships.audit import record_event
from accord.partnerships.models import Membership, Organization, Participant, Partnership, Party


@dataclass
class LoadedPartnership:
    partnership: Partnership
    archetype: str
    parties: list[Party]
    participants: list[Participant]
    start: date


@dataclass
class DemoContext:
    seed: int
    anchor: date
    partnerships: list[LoadedPartnership] = field(default_factory=list)
    organizations: dict[str, Organization] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)

    def rng(self, purpose: str) -> random.Random:
        """An independent stream per extension, so adding one never changes another's data."""
        return random.Random(f"{self.seed}:{purpose}")


Extension = Callable[[DemoContext], None]
_EXTENSIONS: list[tuple[str, Extension]] = []


def demo_extension(name: str) -> Callable[[Extension], Extension]:
    def register(fn: Extension) -> Extension:
        if name not in {n for n, _ in _EXTENSIONS}:
            _EXTENSIONS.append((name, fn))
        return fn

    return register


def plan_portfolio(n: int, seed: int) -> tuple[list[OrgSpec], list[PartnershipSpec]]:
    """The fixed cast first; beyond it, generated organizations and partnerships by archetype."""
    if n < 1:
        raise ValueError("A demo needs at least one partnership.")
    rng = random.Random(seed)
    orgs = list(cast.ORGANIZATIONS)
    specs = list(cast.PARTNERSHIPS[:n])
    extra = n - len(specs)
    if extra > 0:
        generated = [_generated_org(i, rng) for i in range(max(4, extra // 3))]
        orgs += generated
        pool = [o.key for o in orgs if o.key != "bridgeway"]
        for i in range(extra):
            archetype = ARCHETYPES[i % len(ARCHETYPES)]
            size = 3 if rng.random() < 0.15 else 2
            parties = tuple(rng.sample(pool, size))
            specs.append(
                PartnershipSpec(
                    name=f"{rng.choice(cast.PROJECT_WORDS)} {rng.choice(cast.PROJECT_KINDS)} "
                    f"{len(specs) + 1}",
                    purpose="A generated partnership for scale demos and benchmarks.",
                    objectives=("Deliver the joint plan",),
                    archetype=archetype,
                    stage="transactional" if archetype == "transactional" else "collaborative",
                    status="intervention" if archetype == "recovering" else "active",
                    parties=parties,
                    facilitator="bridgeway" if archetype == "recovering" else None,
                    months_running=rng.randint(6, 48),
                )
            )
    used = {key for spec in specs for key in spec.parties} | {
        spec.facilitator for spec in specs if spec.facilitator
    }
    return [o for o in orgs if o.key in used], specs


def _generated_org(i: int, rng: random.Random) -> OrgSpec:
    word = cast.ORG_WORDS[i % len(cast.ORG_WORDS)]
    name = f"{word} {rng.choice(cast.ORG_KINDS)} {i // len(cast.ORG_WORDS) + 1}"
    roles = ("alliance_manager", "sponsor", "member", "member", "observer")
    people = tuple(
        Person(
            rng.choice(cast.FIRST_NAMES),
            rng.choice(cast.LAST_NAMES),
            role,
            "Partnerships",
            admin=(j == 0),
        )
        for j, role in enumerate(roles)
    )
    return OrgSpec(f"gen{i}", name, people)


def _email(person: Person, org: OrgSpec, taken: set[str]) -> str:
    base = f"{person.first}.{person.last}".lower()
    domain = f"{org.key}.{cast.EMAIL_DOMAIN}"
    email, n = f"{base}@{domain}", 2
    while email in taken:
        email, n = f"{base}{n}@{domain}", n + 1
    taken.add(email)
    return email


@transaction.atomic
def load_portfolio(
    n: int, seed: int, anchor: date, progress: Callable[[Iterable[Any]], Iterable[Any]] = iter
) -> DemoContext:
    """Write the planned portfolio. Runs in one transaction: a failure leaves nothing behind."""
    org_specs, specs = plan_portfolio(n, seed)
    ctx = DemoContext(seed=seed, anchor=anchor)
    user_model = get_user_model()
    password = make_password(cast.DEMO_PASSWORD)  # one Argon2 hash shared by every demo login

    Organization.objects.bulk_create(
        [Organization(name=o.name, slug=o.key) for o in org_specs], batch_size=1000
    )
    ctx.organizations = {
        o.slug: o for o in Organization.objects.filter(slug__in=[o.key for o in org_specs])
    }
    taken: set[str] = set()
    users, memberships, people_of = [], [], {}
    for org in org_specs:
        for person in org.people:
            email = _email(person, org, taken)
            user = user_model(
                username=email,
                email=email,
                first_name=person.first,
                last_name=person.last,
                password=password,
            )
            users.append(user)
            people_of.setdefault(org.key, []).append((person, user))
    user_model.objects.bulk_create(users, batch_size=2000)
    by_email = {u.email: u for u in user_model.objects.filter(email__in=taken)}
    for org in org_specs:
        for person, user in people_of[org.key]:
            user = by_email[user.email]
            role = Membership.Role.ADMIN if person.admin else Membership.Role.MEMBER
            memberships.append(
                Membership(
                    user=user, organization=ctx.organizations[org.key], role=role, unit=person.unit
                )
            )
            if org.key in {o.key for o in cast.ORGANIZATIONS}:
                ctx.logins.append((user.email, org.name, person.role.replace("_", " ")))
    Membership.objects.bulk_create(memberships, batch_size=2000)
    users_of = {key: [(p, by_email[u.email]) for p, u in rows] for key, rows in people_of.items()}

    with quiet_queries():
        for spec in progress(specs):
            ctx.partnerships.append(_load_one(spec, ctx, users_of))
        for _name, extension in _EXTENSIONS:
            extension(ctx)
    return ctx


def _load_one(
    spec: PartnershipSpec, ctx: DemoContext, users_of: dict[str, Any]
) -> LoadedPartnership:
    start = ctx.anchor - timedelta(days=30 * spec.months_running)
    lead = users_of[spec.parties[0]][0][1]
    joined = datetime.combine(start, time(9), tzinfo=UTC)
    partnership = Partnership.objects.create(
        name=spec.name,
        purpose=spec.purpose,
        objectives="\n".join(spec.objectives),
        continuum_stage=spec.stage,
        status=spec.status,
        start_date=start,
        end_date=start + timedelta(days=365 * 5),
        restrict_participant_lists=spec.restrict_participant_lists,
        created_by=lead,
    )
    parties = Party.objects.bulk_create(
        [
            Party(partnership=partnership, organization=ctx.organizations[key], joined_at=joined)
            for key in spec.parties
        ]
    )
    participants = [
        Participant(
            partnership=partnership,
            user=user,
            organization=ctx.organizations[key],
            role=person.role,
            joined_at=joined,
        )
        for key in spec.parties
        for person, user in users_of[key]
    ]
    if spec.facilitator:
        _person, user = users_of[spec.facilitator][0]
        participants.append(
            Participant(
                partnership=partnership,
                user=user,
                organization=ctx.organizations[spec.facilitator],
                role="facilitator",
                joined_at=joined,
            )
        )
    Participant.objects.bulk_create(participants)
    record_event(
        partnership=partnership,
        actor=lead,
        action="partnership.create",
        summary=f"Partnership “{spec.name}” set up with {len(parties)} parties and "
        f"{len(participants)} participants (demo data)",
        target=partnership,
        changes={"archetype": spec.archetype},
    )
    return LoadedPartnership(partnership, spec.archetype, parties, participants, start)
