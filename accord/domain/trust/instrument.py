"""The survey instrument: the three forms of trust, items and versioned instruments."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from accord.domain.trust._common import (
    DUPLICATE_ITEM_KEY,
    FORM_WITHOUT_ITEMS,
    ITEM_WITHOUT_PARTNER,
    MIXED_SCALES_IN_INSTRUMENT,
    PARTNER,
    SCALE_NOT_ALLOWED,
    SCALE_POINTS,
    TrustError,
)


class TrustForm(StrEnum):
    COMPETENCE = "competence"
    CONTRACTUAL = "contractual"
    GOODWILL = "goodwill"


FORMS: tuple[TrustForm, ...] = tuple(TrustForm)


@dataclass(frozen=True, slots=True)
class Item:
    """One Likert statement about the rated party; ``{partner}`` is filled in by the UI."""

    key: str
    text: str
    form: TrustForm
    reverse: bool = False
    scale_points: int = 7

    def __post_init__(self) -> None:
        if self.scale_points not in SCALE_POINTS:
            raise TrustError(SCALE_NOT_ALLOWED.format(key=self.key, points=self.scale_points))
        if PARTNER not in self.text:
            raise TrustError(ITEM_WITHOUT_PARTNER.format(key=self.key, placeholder=PARTNER))


@dataclass(frozen=True, slots=True)
class Instrument:
    """A versioned set of items; answers keep pointing at the version they were given on."""

    key: str
    version: int
    items: tuple[Item, ...]

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for item in self.items:
            if item.key in seen:
                raise TrustError(
                    DUPLICATE_ITEM_KEY.format(key=self.key, version=self.version, item=item.key)
                )
            seen.add(item.key)
        for form in FORMS:
            points = {item.scale_points for item in self.items if item.form is form}
            if not points:
                raise TrustError(
                    FORM_WITHOUT_ITEMS.format(key=self.key, version=self.version, form=form)
                )
            if len(points) > 1:
                raise TrustError(
                    MIXED_SCALES_IN_INSTRUMENT.format(key=self.key, version=self.version, form=form)
                )


DEFAULT_TRUST_INSTRUMENT = Instrument(
    key="accord-trust",
    version=1,
    items=(
        Item(
            "competence.delivers",
            "{partner} delivers what it promises, on time and to the agreed standard.",
            TrustForm.COMPETENCE,
        ),
        Item(
            "competence.skills",
            "{partner} has the skills and know-how this partnership needs from it.",
            TrustForm.COMPETENCE,
        ),
        Item(
            "competence.solves_problems",
            "When a hard problem comes up in its part of the work, {partner} solves it.",
            TrustForm.COMPETENCE,
        ),
        Item(
            "competence.rework",
            "We often have to check or redo work that {partner} hands over to us.",
            TrustForm.COMPETENCE,
            reverse=True,
        ),
        Item(
            "contractual.keeps_agreements",
            "{partner} keeps to what we agreed, whether in the contract or in a meeting.",
            TrustForm.CONTRACTUAL,
        ),
        Item(
            "contractual.decision_rights",
            "{partner} respects the decision rights we set up together.",
            TrustForm.CONTRACTUAL,
        ),
        Item(
            "contractual.costly_terms",
            "{partner} honours agreed terms even after they have become costly for it.",
            TrustForm.CONTRACTUAL,
        ),
        Item(
            "contractual.reinterprets",
            "{partner} reads our agreements in whatever way suits it at the moment.",
            TrustForm.CONTRACTUAL,
            reverse=True,
        ),
        Item(
            "goodwill.early_warning",
            "{partner} would warn us early about a change that affects us.",
            TrustForm.GOODWILL,
        ),
        Item(
            "goodwill.beyond_contract",
            "{partner} does more for the partnership than the agreement requires.",
            TrustForm.GOODWILL,
        ),
        Item(
            "goodwill.our_interests",
            "{partner} weighs our interests when it makes decisions of its own.",
            TrustForm.GOODWILL,
        ),
        Item(
            "goodwill.exploits",
            "{partner} would take advantage of us if it got the chance.",
            TrustForm.GOODWILL,
            reverse=True,
        ),
    ),
)
