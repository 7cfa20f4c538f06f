"""The built-in instruments, as data, and the bridge from stored items to the domain's items.

The trust instrument is the domain's DEFAULT_TRUST_INSTRUMENT; the culture instrument asks one
bipolar question per dimension, anchored at both ends with the domain's anchors.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from accord.domain import trust as trust_domain
from accord.domain.culture import DIMENSIONS, Dimension
from accord.domain.trust import FORMS, TrustForm

TRUST_KEY = trust_domain.DEFAULT_TRUST_INSTRUMENT.key
CULTURE_KEY = "accord-culture"

BUILTIN: dict[str, dict[str, Any]] = {
    TRUST_KEY: {
        "kind": "trust",
        "name": "Trust between the parties",
        "description": (
            "Twelve statements about the other party, four for each form of trust: competence "
            "(can they do it), contractual (do they keep agreements) and goodwill (do they look "
            "after our interests). One statement per form is worded the other way round and "
            "scored in reverse. Answer from 1 (strongly disagree) to 7 (strongly agree)."
        ),
        "scale_points": 7,
        "items": [
            {
                "key": item.key,
                "text": item.text,
                "construct": str(item.form),
                "reverse": item.reverse,
                "low_anchor": "Strongly disagree",
                "high_anchor": "Strongly agree",
                "comment": "",
            }
            for item in trust_domain.DEFAULT_TRUST_INSTRUMENT.items
        ],
    },
    CULTURE_KEY: {
        "kind": "culture",
        "name": "Ways of working",
        "description": (
            "Six dimensions of how an organization works. Place your own organization and each "
            "partner between the two descriptions: 1 is the left one, 7 the right one, 4 is in "
            "between. Differences are not faults; the point is to see them early."
        ),
        "scale_points": 7,
        "items": [
            {
                "key": str(spec.dimension),
                "text": f"Where does {{partner}} stand on {spec.label}?",
                "construct": str(spec.dimension),
                "reverse": False,
                "low_anchor": spec.low_anchor,
                "high_anchor": spec.high_anchor,
                "comment": "",
            }
            for spec in DIMENSIONS
        ],
    },
}

AGREEMENT_LABELS: dict[int, list[str]] = {
    5: ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"],
    7: [
        "Strongly disagree",
        "Disagree",
        "Somewhat disagree",
        "Neither agree nor disagree",
        "Somewhat agree",
        "Agree",
        "Strongly agree",
    ],
}
POLE_LABELS: dict[int, list[str]] = {
    5: ["The left description", "Leaning left", "In between", "Leaning right", "The right one"],
    7: [
        "Fully the left description",
        "Mostly the left",
        "Somewhat the left",
        "In between",
        "Somewhat the right",
        "Mostly the right",
        "Fully the right description",
    ],
}


def builtin_definition(kind: str, scale_points: int) -> dict[str, Any]:
    """The stored definition (Instrument.definition) of a trust or culture questionnaire: the
    same constructs and scale they always had, now written as data like any instrument's."""
    if kind == "trust":
        return {
            "scale": {"points": scale_points, "labels": AGREEMENT_LABELS[scale_points]},
            "directions": ["other"],
            "categories": [
                {
                    "key": "trust",
                    "label": "Trust",
                    "constructs": [
                        {"key": str(form), "label": CONSTRUCT_LABELS[str(form)]} for form in FORMS
                    ],
                }
            ],
            "bands": [],
        }
    return {
        "scale": {"points": scale_points, "labels": POLE_LABELS[scale_points]},
        "directions": ["other", "self"],
        "categories": [
            {
                "key": "ways-of-working",
                "label": "Ways of working",
                "constructs": [
                    {"key": str(spec.dimension), "label": spec.label.capitalize()}
                    for spec in DIMENSIONS
                ],
            }
        ],
        "bands": [],
    }


CONSTRUCTS: dict[str, tuple[str, ...]] = {
    "trust": tuple(str(form) for form in FORMS),
    "culture": tuple(str(spec.dimension) for spec in DIMENSIONS),
}
CONSTRUCT_LABELS: dict[str, str] = {
    **{str(form): f"{form} trust".capitalize() for form in FORMS},
    **{str(spec.dimension): spec.label.capitalize() for spec in DIMENSIONS},
}
MIN_ITEMS_PER_FORM = 3


def domain_item(item: Any, scale_points: int) -> trust_domain.Item:
    """A stored trust item as the domain's Item (which checks the wording and the scale)."""
    return trust_domain.Item(
        key=item.key,
        text=item.text,
        form=TrustForm(item.construct),
        reverse=item.reverse,
        scale_points=scale_points,
    )


def dimension_index(construct: str) -> int:
    return [spec.dimension for spec in DIMENSIONS].index(Dimension(construct))


def check_items(kind: str, items: Iterable[Any], scale_points: int, key: str, version: int) -> None:
    """Raise the domain's error (a ValueError) if the set of items cannot be scored."""
    items = list(items)
    if kind == "trust":
        trust_domain.Instrument(key, version, tuple(domain_item(i, scale_points) for i in items))
        counts = {form: 0 for form in CONSTRUCTS["trust"]}
        for item in items:
            counts[item.construct] += 1
        thin = [form for form, n in counts.items() if n < MIN_ITEMS_PER_FORM]
        if thin:
            raise ValueError(TOO_FEW_ITEMS.format(forms=", ".join(thin), n=MIN_ITEMS_PER_FORM))
    else:
        missing = set(CONSTRUCTS["culture"]) - {item.construct for item in items}
        if missing:
            raise ValueError(DIMENSION_WITHOUT_ITEM.format(dimensions=", ".join(sorted(missing))))


TOO_FEW_ITEMS = "Each form of trust needs at least {n} statements; too few for: {forms}."
DIMENSION_WITHOUT_ITEM = "Every culture dimension needs a question; missing: {dimensions}."
