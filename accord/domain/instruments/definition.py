"""An instrument as data: a labelled scale, who rates whom, constructs grouped into categories,
items that each measure one construct, and the bands its construct means fall into.

``parse_definition`` turns plain data (from YAML, JSON or the rows of a CSV/XLSX sheet) into a
``Definition`` or raises ``DefinitionError`` with every problem found, each at a path such as
``items[3].construct``; ``definition_to_data`` is its exact inverse, so an exported instrument
imports back unchanged."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

MIN_POINTS, MAX_POINTS = 2, 11
MAX_ITEMS = 300
MAX_CONSTRUCTS = 100
MAX_TEXT = 1_000
MAX_LABEL = 200
DIRECTIONS = ("other", "self", "partnership")
DIRECTION_LABELS = {
    "other": "each party about each other party",
    "self": "each party about itself",
    "partnership": "everyone about the partnership as a whole",
}
PLACEHOLDERS = ("partner", "partnership")
KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,79}$")
_MARKUP = re.compile(r"<\s*[a-zA-Z/!?]|&[a-zA-Z#][a-zA-Z0-9]*;")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")

NOT_A_MAPPING = "must be a mapping of fields."
NOT_A_LIST = "must be a list."
NOT_TEXT = "must be text."
REQUIRED = "is required."
TOO_LONG = "is longer than {n} characters."
BAD_KEY = "'{value}' is not a key: use 1–80 lower-case letters, digits, '.', '_' or '-'."
DUPLICATE_KEY = "the key '{value}' is used twice."
CONTROL = "contains a control character; only line breaks and tabs are allowed."
HTML = "contains HTML or an HTML entity; write plain text."
BAD_PLACEHOLDER = "uses the placeholder {{{name}}}; the known ones are {known}."
UNKNOWN_FIELD = "'{name}' is not a field here; the fields are {known}."
POINTS_OUT_OF_RANGE = f"must be a whole number from {MIN_POINTS} to {MAX_POINTS}."
LABEL_COUNT = "gives {given} labels for a {points}-point scale; label every point."
NO_DIRECTION = "must name at least one of: " + ", ".join(DIRECTIONS) + "."
UNKNOWN_DIRECTION = "'{value}' is not one of: " + ", ".join(DIRECTIONS) + "."
EMPTY_CATEGORY = "has no constructs; every category needs at least one."
NO_CATEGORIES = "must list at least one category."
CONSTRUCT_WITHOUT_ITEMS = "construct '{value}' has no items; every construct needs one."
UNKNOWN_CONSTRUCT = "'{value}' is not a construct of this instrument."
NO_ITEMS = "must list at least one item."
TOO_MANY = "lists {given}; an instrument holds at most {limit}."
NOT_A_NUMBER = "must be a number."
NOT_A_BOOLEAN = "must be true or false."
BAND_OFF_SCALE = "minimum {value} is outside the scale 1–{points}."
BANDS_NOT_DESCENDING = (
    "bands must be listed from the highest minimum down, each lower than the last."
)


class DefinitionError(ValueError):
    """An instrument definition that cannot be stored: ``problems`` lists (path, message)."""

    def __init__(self, problems: Sequence[tuple[str, str]]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(f"{path}: {message}" for path, message in self.problems))


@dataclass(frozen=True, slots=True)
class Scale:
    points: int
    labels: tuple[str, ...]
    not_applicable: str = ""  # the label of a "not applicable" choice; empty: none offered


@dataclass(frozen=True, slots=True)
class Construct:
    key: str
    label: str


@dataclass(frozen=True, slots=True)
class Category:
    key: str
    label: str
    constructs: tuple[Construct, ...]


@dataclass(frozen=True, slots=True)
class DefinedItem:
    """One statement. A bipolar item (the culture questions) names its two poles in
    ``low_anchor`` and ``high_anchor``; others read the scale's labels."""

    key: str
    text: str
    construct: str
    reverse: bool = False
    low_anchor: str = ""
    high_anchor: str = ""


@dataclass(frozen=True, slots=True)
class Band:
    """A construct mean at or above ``minimum`` (and below the band above) reads as ``label``."""

    key: str
    label: str
    minimum: float


@dataclass(frozen=True, slots=True)
class Definition:
    key: str
    name: str
    description: str
    scale: Scale
    directions: tuple[str, ...]
    categories: tuple[Category, ...]
    items: tuple[DefinedItem, ...]
    bands: tuple[Band, ...] = ()

    def constructs(self) -> tuple[Construct, ...]:
        return tuple(c for category in self.categories for c in category.constructs)

    def construct_category(self) -> dict[str, str]:
        return {c.key: cat.key for cat in self.categories for c in cat.constructs}

    def band_of(self, mean: float | None) -> Band | None:
        if mean is None:
            return None
        for band in self.bands:
            if mean >= band.minimum:
                return band
        return None


class _Reader:
    """Collects every problem with its path instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append((path, message))

    def fields(self, data: Any, path: str, known: Sequence[str]) -> Mapping[str, Any]:
        if not isinstance(data, Mapping):
            self.fail(path, NOT_A_MAPPING)
            return {}
        for name in data:
            if name not in known:
                self.fail(path, UNKNOWN_FIELD.format(name=name, known=", ".join(known)))
        return data

    def text(
        self, data: Mapping[str, Any], name: str, path: str, *, limit: int, required: bool = True
    ) -> str:
        where = f"{path}.{name}" if path else name
        value = data.get(name)
        if value is None or value == "":
            if required:
                self.fail(where, REQUIRED)
            return ""
        if not isinstance(value, str):
            self.fail(where, NOT_TEXT)
            return ""
        value = value.strip()
        if not value:
            if required:
                self.fail(where, REQUIRED)
            return ""
        if _CONTROL.search(value):
            self.fail(where, CONTROL)
        if len(value) > limit:
            self.fail(where, TOO_LONG.format(n=limit))
        if _MARKUP.search(value):
            self.fail(where, HTML)
        for name_ in _PLACEHOLDER.findall(value):
            if name_ not in PLACEHOLDERS:
                known = ", ".join("{" + p + "}" for p in PLACEHOLDERS)
                self.fail(where, BAD_PLACEHOLDER.format(name=name_, known=known))
        return value

    def key(self, data: Mapping[str, Any], path: str, seen: set[str]) -> str:
        value = self.text(data, "key", path, limit=80)
        if value and not KEY_PATTERN.match(value):
            self.fail(f"{path}.key", BAD_KEY.format(value=value[:80]))
        elif value in seen:
            self.fail(f"{path}.key", DUPLICATE_KEY.format(value=value))
        seen.add(value)
        return value

    def items(self, data: Mapping[str, Any], name: str, limit: int) -> list[Any]:
        value = data.get(name)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(name, NOT_A_LIST)
            return []
        if len(value) > limit:
            self.fail(name, TOO_MANY.format(given=len(value), limit=limit))
            return []
        return value


ITEM_FIELDS = ("key", "text", "construct", "reverse", "low_anchor", "high_anchor")
TOP_FIELDS = ("key", "name", "description", "scale", "directions", "categories", "bands", "items")


def parse_definition(data: Any) -> Definition:
    """Validate plain data as an instrument definition; raises DefinitionError listing every
    problem. Nothing here touches storage, so a caller that gets an error has stored nothing."""
    r = _Reader()
    top = r.fields(data, "", TOP_FIELDS)
    key = r.text(top, "key", "", limit=80)
    if key and not KEY_PATTERN.match(key):
        r.fail("key", BAD_KEY.format(value=key[:80]))
    name = r.text(top, "name", "", limit=MAX_LABEL)
    description = r.text(top, "description", "", limit=MAX_TEXT * 4, required=False)
    scale = _scale(r, top.get("scale"))
    directions = _directions(r, top.get("directions"))

    categories: list[Category] = []
    construct_keys: set[str] = set()
    category_keys: set[str] = set()
    raw_categories = r.items(top, "categories", MAX_CONSTRUCTS)
    if not raw_categories and "categories" not in {p for p, _ in r.problems}:
        r.fail("categories", NO_CATEGORIES)
    total_constructs = 0
    for i, raw in enumerate(raw_categories):
        path = f"categories[{i}]"
        fields = r.fields(raw, path, ("key", "label", "constructs"))
        ckey = r.key(fields, path, category_keys)
        label = r.text(fields, "label", path, limit=MAX_LABEL)
        raw_constructs = fields.get("constructs") or []
        if not isinstance(raw_constructs, list):
            r.fail(f"{path}.constructs", NOT_A_LIST)
            raw_constructs = []
        if not raw_constructs:
            r.fail(path, EMPTY_CATEGORY)
        total_constructs += len(raw_constructs)
        if total_constructs > MAX_CONSTRUCTS:
            r.fail(path, TOO_MANY.format(given=total_constructs, limit=MAX_CONSTRUCTS))
            break
        constructs = []
        for j, raw_construct in enumerate(raw_constructs):
            cpath = f"{path}.constructs[{j}]"
            cfields = r.fields(raw_construct, cpath, ("key", "label"))
            constructs.append(
                Construct(
                    r.key(cfields, cpath, construct_keys),
                    r.text(cfields, "label", cpath, limit=MAX_LABEL),
                )
            )
        categories.append(Category(ckey, label, tuple(constructs)))

    items: list[DefinedItem] = []
    item_keys: set[str] = set()
    raw_items = r.items(top, "items", MAX_ITEMS)
    if not raw_items and "items" not in {p for p, _ in r.problems}:
        r.fail("items", NO_ITEMS)
    for i, raw in enumerate(raw_items):
        path = f"items[{i}]"
        fields = r.fields(raw, path, ITEM_FIELDS)
        ikey = r.key(fields, path, item_keys)
        text = r.text(fields, "text", path, limit=MAX_TEXT)
        construct = r.text(fields, "construct", path, limit=80)
        if construct and construct not in construct_keys:
            r.fail(f"{path}.construct", UNKNOWN_CONSTRUCT.format(value=construct[:80]))
        reverse = fields.get("reverse", False)
        if not isinstance(reverse, bool):
            r.fail(f"{path}.reverse", NOT_A_BOOLEAN)
            reverse = False
        low = r.text(fields, "low_anchor", path, limit=MAX_TEXT, required=False)
        high = r.text(fields, "high_anchor", path, limit=MAX_TEXT, required=False)
        items.append(DefinedItem(ikey, text, construct, reverse, low, high))
    measured = {item.construct for item in items}
    for i, category in enumerate(categories):
        for j, unmeasured in enumerate(category.constructs):
            if raw_items and unmeasured.key and unmeasured.key not in measured:
                r.fail(
                    f"categories[{i}].constructs[{j}]",
                    CONSTRUCT_WITHOUT_ITEMS.format(value=unmeasured.key),
                )

    bands = _bands(r, top, scale)
    if r.problems:
        raise DefinitionError(r.problems)
    assert scale is not None
    return Definition(
        key, name, description, scale, directions, tuple(categories), tuple(items), bands
    )


def _scale(r: _Reader, data: Any) -> Scale | None:
    fields = r.fields(data, "scale", ("points", "labels", "not_applicable"))
    points = fields.get("points")
    if isinstance(points, bool) or not isinstance(points, int):
        r.fail("scale.points", POINTS_OUT_OF_RANGE)
        return None
    if not MIN_POINTS <= points <= MAX_POINTS:
        r.fail("scale.points", POINTS_OUT_OF_RANGE)
        return None
    labels = fields.get("labels")
    if not isinstance(labels, list):
        r.fail("scale.labels", NOT_A_LIST)
        return None
    if len(labels) != points:
        r.fail("scale.labels", LABEL_COUNT.format(given=len(labels), points=points))
    checked = []
    for i, label in enumerate(labels):
        checked.append(r.text({"label": label}, "label", f"scale.labels[{i}]", limit=MAX_LABEL))
    not_applicable = r.text(fields, "not_applicable", "scale", limit=MAX_LABEL, required=False)
    return Scale(points, tuple(checked), not_applicable)


def _directions(r: _Reader, data: Any) -> tuple[str, ...]:
    if not isinstance(data, list) or not data:
        r.fail("directions", NO_DIRECTION)
        return ()
    out: list[str] = []
    for value in data:
        if value not in DIRECTIONS:
            r.fail("directions", UNKNOWN_DIRECTION.format(value=str(value)[:40]))
        elif value in out:
            r.fail("directions", DUPLICATE_KEY.format(value=value))
        else:
            out.append(value)
    return tuple(out)


def _bands(r: _Reader, top: Mapping[str, Any], scale: Scale | None) -> tuple[Band, ...]:
    bands: list[Band] = []
    keys: set[str] = set()
    for i, raw in enumerate(r.items(top, "bands", 10)):
        path = f"bands[{i}]"
        fields = r.fields(raw, path, ("key", "label", "minimum"))
        bkey = r.key(fields, path, keys)
        label = r.text(fields, "label", path, limit=MAX_LABEL)
        minimum = fields.get("minimum")
        if isinstance(minimum, bool) or not isinstance(minimum, int | float):
            r.fail(f"{path}.minimum", NOT_A_NUMBER)
            continue
        minimum = float(minimum)
        if scale is not None and not 1 <= minimum <= scale.points:
            r.fail(f"{path}.minimum", BAND_OFF_SCALE.format(value=minimum, points=scale.points))
        if bands and minimum >= bands[-1].minimum:
            r.fail(f"{path}.minimum", BANDS_NOT_DESCENDING)
        bands.append(Band(bkey, label, minimum))
    return tuple(bands)


def definition_to_data(definition: Definition) -> dict[str, Any]:
    """Plain data (for YAML or JSON) that ``parse_definition`` reads back to an equal value."""
    scale: dict[str, Any] = {
        "points": definition.scale.points,
        "labels": list(definition.scale.labels),
    }
    if definition.scale.not_applicable:
        scale["not_applicable"] = definition.scale.not_applicable
    data: dict[str, Any] = {
        "key": definition.key,
        "name": definition.name,
        "description": definition.description,
        "scale": scale,
        "directions": list(definition.directions),
        "categories": [
            {
                "key": category.key,
                "label": category.label,
                "constructs": [{"key": c.key, "label": c.label} for c in category.constructs],
            }
            for category in definition.categories
        ],
        "bands": [{"key": b.key, "label": b.label, "minimum": b.minimum} for b in definition.bands],
        "items": [_item_data(i) for i in definition.items],
    }
    if not definition.description:
        del data["description"]
    return data


def _item_data(item: DefinedItem) -> dict[str, Any]:
    data: dict[str, Any] = {
        "key": item.key,
        "text": item.text,
        "construct": item.construct,
        "reverse": item.reverse,
    }
    if item.low_anchor:
        data["low_anchor"] = item.low_anchor
    if item.high_anchor:
        data["high_anchor"] = item.high_anchor
    return data
