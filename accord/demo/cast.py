"""The demo's fixed cast: organizations, their people, and eight partnerships, one per story.

Written as data so the demo reads like a real portfolio: a pharma company with several alliances,
a foundation running a collaborative of two competitors, a supplier, and a neutral facilitator.
"""

from __future__ import annotations

from dataclasses import dataclass

ARCHETYPES = ("healthy", "drifting", "one_sided", "recovering", "transactional")


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    role: str  # sponsor, alliance_manager, member, observer, facilitator
    unit: str
    admin: bool = False


@dataclass(frozen=True)
class OrgSpec:
    key: str
    name: str
    people: tuple[Person, ...]


@dataclass(frozen=True)
class PartnershipSpec:
    name: str
    purpose: str
    objectives: tuple[str, ...]
    archetype: str
    stage: str
    status: str
    parties: tuple[str, ...]
    facilitator: str | None = None
    restrict_participant_lists: bool = False
    months_running: int = 18


def _team(*rows: tuple[str, str, str, str]) -> tuple[Person, ...]:
    return tuple(
        Person(first, last, role, unit, admin=(i == 0))
        for i, (first, last, role, unit) in enumerate(rows)
    )


ORGANIZATIONS = (
    OrgSpec(
        "helix",
        "Helix Therapeutics",
        _team(
            ("Hannah", "Keller", "alliance_manager", "Alliance Management"),
            ("Marcus", "Webb", "sponsor", "Executive Committee"),
            ("Priya", "Raman", "member", "Oncology R&D"),
            ("Tom", "Okafor", "member", "Manufacturing"),
            ("Lena", "Fischer", "observer", "Finance"),
        ),
    ),
    OrgSpec(
        "northwind",
        "Northwind Biologics",
        _team(
            ("Daniel", "Moreau", "alliance_manager", "Business Development"),
            ("Sofia", "Lindqvist", "sponsor", "Office of the CEO"),
            ("Kenji", "Tanaka", "member", "Antibody Discovery"),
            ("Grace", "Mensah", "member", "Clinical Operations"),
            ("Oliver", "Brandt", "observer", "Legal"),
        ),
    ),
    OrgSpec(
        "meridian",
        "Meridian Foundation",
        _team(
            ("Amelia", "Hart", "alliance_manager", "Programs"),
            ("Rafael", "Costa", "sponsor", "Board"),
            ("Nadia", "Petrova", "member", "Grants"),
            ("Samuel", "Reyes", "member", "Evaluation"),
            ("Chloe", "Dubois", "observer", "Communications"),
        ),
    ),
    OrgSpec(
        "aurora",
        "Aurora Components",
        _team(
            ("Victor", "Hale", "alliance_manager", "Key Accounts"),
            ("Ingrid", "Sorensen", "sponsor", "Operations"),
            ("Mateo", "Alvarez", "member", "Quality"),
            ("Aisha", "Bello", "member", "Supply Chain"),
            ("Peter", "Novak", "observer", "Finance"),
        ),
    ),
    OrgSpec(
        "cobalt",
        "Cobalt Diagnostics",
        _team(
            ("Elena", "Rossi", "alliance_manager", "Partnerships"),
            ("James", "Whitaker", "sponsor", "Executive Team"),
            ("Yuki", "Sato", "member", "Assay Development"),
            ("Ben", "Carter", "member", "Regulatory"),
            ("Mira", "Kovac", "observer", "Strategy"),
        ),
    ),
    OrgSpec(
        "bridgeway",
        "Bridgeway Facilitation",
        _team(
            ("Amara", "Osei", "facilitator", "Mediation"),
        ),
    ),
)

PARTNERSHIPS = (
    PartnershipSpec(
        "Oncology Antibody Co-Development",
        "Co-develop Northwind's bispecific antibody with Helix's clinical and manufacturing reach.",
        ("Phase II readout by Q4", "Shared CMC process transferred", "Joint publication plan"),
        "healthy",
        "collaborative",
        "active",
        ("helix", "northwind"),
        months_running=30,
    ),
    PartnershipSpec(
        "Companion Diagnostics Alliance",
        "A companion diagnostic for Helix's lead oncology asset, developed by Cobalt.",
        ("Assay locked before pivotal trial", "Regulatory submission aligned with drug filing"),
        "drifting",
        "coordinated",
        "active",
        ("helix", "cobalt"),
        facilitator="bridgeway",
    ),
    PartnershipSpec(
        "Device Component Supply",
        "Aurora supplies precision auto-injector components to Helix under a five-year agreement.",
        ("Zero critical quality deviations", "Second source qualified"),
        "one_sided",
        "cooperative",
        "active",
        ("helix", "aurora"),
    ),
    PartnershipSpec(
        "Rare Disease Data Collaborative",
        "Meridian funds a shared natural-history registry run by two competing biotech companies.",
        ("Registry live in 12 countries", "Open data release each year", "Patient board seated"),
        "recovering",
        "collaborative",
        "intervention",
        ("meridian", "northwind", "cobalt"),
        facilitator="bridgeway",
        restrict_participant_lists=True,
        months_running=24,
    ),
    PartnershipSpec(
        "Bioreactor Parts Framework",
        "A framework agreement for single-use bioreactor parts.",
        ("On-time delivery above 95%",),
        "transactional",
        "transactional",
        "active",
        ("aurora", "northwind"),
        months_running=12,
    ),
    PartnershipSpec(
        "Global Access Program",
        "Helix and Meridian bring Helix's therapies to low-income countries at cost.",
        ("Access in 20 countries", "Tiered pricing model agreed", "Local manufacturing partner"),
        "healthy",
        "transformational",
        "active",
        ("helix", "meridian"),
        months_running=36,
    ),
    PartnershipSpec(
        "Sensor Module Joint Venture",
        "A joint venture building point-of-care sensor modules.",
        ("First product launched", "JV break-even in year three"),
        "drifting",
        "collaborative",
        "active",
        ("cobalt", "aurora"),
    ),
    PartnershipSpec(
        "Biologics Manufacturing Consortium",
        "Three companies share fill-finish capacity and a quality system.",
        ("Capacity plan agreed yearly", "Shared audit program"),
        "recovering",
        "coordinated",
        "active",
        ("helix", "northwind", "aurora"),
        facilitator="bridgeway",
    ),
)

DEMO_PASSWORD = "accord-demo"
EMAIL_DOMAIN = "example.com"

FIRST_NAMES = (
    "Alex",
    "Maya",
    "Noah",
    "Zara",
    "Liam",
    "Ines",
    "Omar",
    "Ruth",
    "Ivan",
    "Lea",
    "Hugo",
    "Nina",
    "Kai",
    "Ada",
    "Theo",
    "Mila",
    "Raj",
    "Eva",
    "Luca",
    "Sana",
    "Finn",
    "Iris",
    "Jon",
    "Tara",
)
LAST_NAMES = (
    "Ahmed",
    "Berg",
    "Chen",
    "Diaz",
    "Eriksen",
    "Fox",
    "Garcia",
    "Hoang",
    "Ito",
    "Jansen",
    "Kim",
    "Lopez",
    "Meyer",
    "Nowak",
    "Olsen",
    "Park",
    "Quinn",
    "Rao",
    "Silva",
    "Tran",
    "Usman",
    "Voss",
)
ORG_WORDS = (
    "Apex",
    "Beacon",
    "Cedar",
    "Delta",
    "Ember",
    "Fjord",
    "Granite",
    "Harbor",
    "Iris",
    "Juniper",
    "Keystone",
    "Lattice",
    "Mosaic",
    "Nimbus",
    "Orchid",
    "Pioneer",
    "Quarry",
    "Riverton",
    "Summit",
    "Tidewater",
    "Umbra",
    "Vertex",
    "Willow",
    "Zenith",
)
ORG_KINDS = ("Pharma", "Biotech", "Foundation", "Components", "Diagnostics", "Health", "Labs")
PROJECT_WORDS = (
    "Oncology",
    "Vaccine",
    "Data",
    "Supply",
    "Access",
    "Device",
    "Platform",
    "Cell Therapy",
    "Diagnostics",
    "Manufacturing",
    "Digital Health",
    "Rare Disease",
)
PROJECT_KINDS = ("Alliance", "Collaboration", "Joint Venture", "Partnership", "Consortium")
