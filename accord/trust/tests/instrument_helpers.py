"""A small valid instrument definition and stored instruments, for the tests."""

from __future__ import annotations

from typing import Any

from accord.domain.instruments.definition import parse_definition
from accord.trust import instrument_services
from accord.trust.models import Instrument


def pulse(key: str = "pulse", **changes: Any) -> dict[str, Any]:
    """Four points, two categories, three constructs, five items; rated about the other party,
    about oneself and about the partnership as a whole."""
    data: dict[str, Any] = {
        "key": key,
        "name": "Quarterly pulse",
        "description": "How each side sees the alliance this quarter.",
        "scale": {
            "points": 4,
            "labels": ["Disagree", "Rather disagree", "Rather agree", "Agree"],
            "not_applicable": "Does not apply",
        },
        "directions": ["other", "partnership"],
        "categories": [
            {
                "key": "relationship",
                "label": "Relationship",
                "constructs": [
                    {"key": "openness", "label": "Openness"},
                    {"key": "reliability", "label": "Reliability"},
                ],
            },
            {
                "key": "results",
                "label": "Results",
                "constructs": [{"key": "value", "label": "Value"}],
            },
        ],
        "bands": [
            {"key": "strength", "label": "Strength", "minimum": 3.0},
            {"key": "borderline", "label": "Borderline", "minimum": 2.5},
            {"key": "concern", "label": "Concern", "minimum": 1.0},
        ],
        "items": [
            {"key": "open.1", "text": "{partner} shares bad news early.", "construct": "openness"},
            {
                "key": "open.2",
                "text": "{partner} keeps things from us.",
                "construct": "openness",
                "reverse": True,
            },
            {"key": "rel.1", "text": "{partner} does what it says.", "construct": "reliability"},
            {"key": "val.1", "text": "{partnership} creates value for us.", "construct": "value"},
            {"key": "val.2", "text": "We would start {partnership} again.", "construct": "value"},
        ],
    }
    data.update(changes)
    return data


def own_instrument(cast, key: str = "pulse") -> Instrument:
    return instrument_services.instrument_create(
        user=cast.alice, partnership=cast.partnership, definition=parse_definition(pulse(key))
    )


def library_instrument(cast, key: str = "pulse") -> Instrument:
    return instrument_services.instrument_create(
        user=cast.alice, organization=cast.org_a, definition=parse_definition(pulse(key))
    )
