"""An instrument definition as the rows of one sheet (CSV or XLSX), one record per row, so an
import can name the row of every problem. ``definition_rows`` writes the sheet that
``rows_to_data`` reads back to the same definition."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from accord.domain.instruments.definition import Definition

COLUMNS = ("record", "key", "label", "parent", "value", "reverse", "low_anchor", "high_anchor")
RECORDS = ("instrument", "scale", "point", "direction", "category", "construct", "band", "item")

UNKNOWN_RECORD = "'{value}' is not a record type; use one of: " + ", ".join(RECORDS) + "."
ONE_ONLY = "there must be exactly one '{record}' row."
NOT_WHOLE = "'{value}' is not a whole number."
NOT_NUMBER = "'{value}' is not a number."
POINT_ORDER = "points must be listed 1, 2, 3 … in order; expected {expected}."
UNKNOWN_CATEGORY = "'{value}' is not a category listed in this sheet."
NOT_YES_NO = "'{value}' must be yes or no."


def definition_rows(definition: Definition) -> list[list[str]]:
    """The header and one row per record, in the order ``rows_to_data`` expects."""
    rows = [list(COLUMNS)]

    def add(record: str, key: str = "", label: str = "", parent: str = "", value: str = "",
            reverse: str = "", low: str = "", high: str = "") -> None:  # fmt: skip
        rows.append([record, key, label, parent, value, reverse, low, high])

    add("instrument", definition.key, definition.name, value=definition.description)
    add("scale", label=definition.scale.not_applicable, value=str(definition.scale.points))
    for number, label in enumerate(definition.scale.labels, start=1):
        add("point", str(number), label)
    for direction in definition.directions:
        add("direction", direction)
    for category in definition.categories:
        add("category", category.key, category.label)
    for category in definition.categories:
        for construct in category.constructs:
            add("construct", construct.key, construct.label, category.key)
    for band in definition.bands:
        add("band", band.key, band.label, value=repr(band.minimum))
    for item in definition.items:
        add(
            "item",
            item.key,
            item.text,
            item.construct,
            reverse="yes" if item.reverse else "no",
            low=item.low_anchor,
            high=item.high_anchor,
        )
    return rows


def rows_to_data(
    rows: Iterable[tuple[int, dict[str, str]]],
) -> tuple[dict[str, Any], dict[str, int], list[tuple[int, str, str]]]:
    """Plain data for ``parse_definition`` from numbered rows (column → text), the row number
    of each path in it, and the problems only the sheet form can have (row, column, message)."""
    problems: list[tuple[int, str, str]] = []
    where: dict[str, int] = {}
    data: dict[str, Any] = {"directions": [], "categories": [], "bands": [], "items": []}
    seen: dict[str, int] = {}
    points: list[str] = []
    categories: dict[str, dict[str, Any]] = {}
    pending: list[tuple[int, dict[str, str]]] = []
    for number, row in rows:
        record = (row.get("record") or "").strip().lower()
        if record not in RECORDS:
            problems.append((number, "record", UNKNOWN_RECORD.format(value=record[:40])))
            continue
        if record in ("instrument", "scale"):
            if record in seen:
                problems.append((number, "record", ONE_ONLY.format(record=record)))
                continue
            seen[record] = number
        if record == "instrument":
            data["key"], data["name"] = row.get("key", ""), row.get("label", "")
            if row.get("value"):
                data["description"] = row["value"]
            for path in ("key", "name", "description", ""):
                where[path] = number
        elif record == "scale":
            scale: dict[str, Any] = {"labels": points}
            data["scale"] = scale
            try:
                scale["points"] = int(row.get("value", ""))
            except ValueError:
                problems.append(
                    (number, "value", NOT_WHOLE.format(value=row.get("value", "")[:40]))
                )
            if row.get("label"):
                scale["not_applicable"] = row["label"]
            where["scale"] = number
        elif record == "point":
            if row.get("key") != str(len(points) + 1):
                problems.append((number, "key", POINT_ORDER.format(expected=len(points) + 1)))
            where[f"scale.labels[{len(points)}]"] = number
            points.append(row.get("label", ""))
        elif record == "direction":
            where.setdefault("directions", number)
            data["directions"].append(row.get("key", ""))
        elif record == "category":
            category: dict[str, Any] = {
                "key": row.get("key", ""),
                "label": row.get("label", ""),
                "constructs": [],
            }
            where[f"categories[{len(data['categories'])}]"] = number
            data["categories"].append(category)
            categories.setdefault(category["key"], category)
        elif record == "construct":
            pending.append((number, row))
        elif record == "band":
            band: dict[str, Any] = {"key": row.get("key", ""), "label": row.get("label", "")}
            try:
                band["minimum"] = float(row.get("value", ""))
            except ValueError:
                problems.append(
                    (number, "value", NOT_NUMBER.format(value=row.get("value", "")[:40]))
                )
            where[f"bands[{len(data['bands'])}]"] = number
            data["bands"].append(band)
        else:
            reverse = (row.get("reverse") or "no").strip().lower()
            if reverse not in ("yes", "no"):
                problems.append((number, "reverse", NOT_YES_NO.format(value=reverse[:40])))
            item = {
                "key": row.get("key", ""),
                "text": row.get("label", ""),
                "construct": row.get("parent", ""),
                "reverse": reverse == "yes",
            }
            for anchor in ("low_anchor", "high_anchor"):
                if row.get(anchor):
                    item[anchor] = row[anchor]
            where[f"items[{len(data['items'])}]"] = number
            data["items"].append(item)
    for number, row in pending:
        parent = categories.get(row.get("parent", ""))
        if parent is None:
            problems.append(
                (number, "parent", UNKNOWN_CATEGORY.format(value=row.get("parent", "")[:80]))
            )
            continue
        index = data["categories"].index(parent)
        where[f"categories[{index}].constructs[{len(parent['constructs'])}]"] = number
        parent["constructs"].append({"key": row.get("key", ""), "label": row.get("label", "")})
    for record in ("instrument", "scale"):
        if record not in seen:
            problems.append((1, "record", ONE_ONLY.format(record=record)))
    return data, where, problems


def row_of(path: str, where: dict[str, int]) -> int:
    """The row a problem's path points at: its own record, else the nearest enclosing one."""
    while path:
        if path in where:
            return where[path]
        cut = max(path.rfind("."), path.rfind("["))
        path = path[:cut] if cut > 0 else ""
    return where.get("", 1)
