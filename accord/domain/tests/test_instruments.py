"""Instruments as data: definitions are validated with clear errors, round-trip through their
plain-data and sheet forms, and score to hand-computed construct and category means and bands."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.domain.instruments.definition import (
    BAD_KEY,
    DUPLICATE_KEY,
    EMPTY_CATEGORY,
    HTML,
    POINTS_OUT_OF_RANGE,
    TOO_MANY,
    UNKNOWN_CONSTRUCT,
    DefinitionError,
    definition_to_data,
    parse_definition,
)
from accord.domain.instruments.rows import definition_rows, rows_to_data
from accord.domain.instruments.scoring import (
    InstrumentAnswers,
    InstrumentGroups,
    ScoringError,
    compile_definitions,
    score_instruments,
)

# 12 constructs in 4 categories (3 each); constructs 0–5 have 3 items, 6–11 have 2: 30 items.
CONSTRUCT_ITEMS = [3] * 6 + [2] * 6
REVERSED = {"c01-1", "c07-1"}  # first item of constructs 1 and 7 is worded the other way


def thirty_items() -> dict:
    return {
        "key": "collaboration-factors",
        "name": "Collaboration factors",
        "scale": {"points": 4, "labels": ["Disagree", "Rather not", "Rather so", "Agree"]},
        "directions": ["other"],
        "categories": [
            {
                "key": f"cat{c}",
                "label": f"Category {c}",
                "constructs": [
                    {"key": f"c{j:02d}", "label": f"Construct {j}"} for j in range(3 * c, 3 * c + 3)
                ],
            }
            for c in range(4)
        ],
        "bands": [
            {"key": "strength", "label": "Strength", "minimum": 3.0},
            {"key": "borderline", "label": "Borderline", "minimum": 2.5},
            {"key": "concern", "label": "Concern", "minimum": 1.0},
        ],
        "items": [
            {
                "key": f"c{j:02d}-{i}",
                "text": f"Statement {i} on construct {j} about {{partner}}.",
                "construct": f"c{j:02d}",
                "reverse": f"c{j:02d}-{i}" in REVERSED,
            }
            for j, count in enumerate(CONSTRUCT_ITEMS)
            for i in range(count)
        ],
    }


# Party B's four respondents about A, per construct pattern (j % 3): the person's score on
# every item of the construct. Party A's respondents answer item i as 1 + (i + r) % 4.
PATTERNS = [[4, 4, 3, 3], [3, 3, 2, 2], [1, 2, 2, 2]]


def answered(k: int = 3):
    definition = parse_definition(thirty_items())
    compiled = compile_definitions([definition])
    groups = InstrumentGroups([7, 7], [1, 1], [1, 2], [2, 1], [0, 0])
    response, group, item, value = [], [], [], []
    keys = [i.key for i in definition.items]
    for r in range(4):  # party A (group 0) about B
        for i in range(len(keys)):
            response.append(r)
            group.append(0)
            item.append(i)
            value.append(1 + (i + r) % 4)
    for r in range(4):  # party B (group 1) about A
        for i, key in enumerate(keys):
            j = int(key[1:3])
            score = PATTERNS[j % 3][r]
            if j == 0 and r == 0:
                score = [4, 3, 2][int(key[-1])]  # one person's items differ: mean 3
            response.append(10 + r)
            group.append(1)
            item.append(i)
            value.append(5 - score if key in REVERSED else score)
    answers = InstrumentAnswers(response, group, item, value)
    return definition, compiled, score_instruments(answers, groups, compiled, [k, k])


def test_thirty_items_over_twelve_constructs_give_the_hand_computed_means_and_bands():
    definition, _compiled, scores = answered()
    order = [c.key for c in definition.constructs()]
    assert order == [f"c{j:02d}" for j in range(12)]
    # A about B: over four respondents each item cycles through 1..4 (reversed: 4..1), so every
    # person-mean averages to 2.5 over the group.
    assert scores.mean[0].tolist() == [2.5] * 12
    # B about A: patterns give 3.5, 2.5, 1.75; construct 0 has one person at (4+3+2)/3 = 3.
    expected = [3.25, 2.5, 1.75] + [3.5, 2.5, 1.75] * 3
    assert scores.mean[1].tolist() == expected
    assert scores.n.tolist() == [[4] * 12, [4] * 12]
    bands = [b.key for b in definition.bands]
    assert [bands[b] for b in scores.band[1]] == ["strength", "borderline", "concern"] * 4
    assert [bands[b] for b in scores.band[0]] == ["borderline"] * 12
    # Categories: the mean of their three published construct means.
    assert scores.category_mean[1].tolist() == pytest.approx([2.5, 7.75 / 3, 7.75 / 3, 7.75 / 3])
    assert [bands[b] for b in scores.category_band[1]] == ["borderline"] * 4
    assert scores.category_constructs.tolist() == [[3] * 4, [3] * 4]


def test_cells_below_k_are_withheld_with_no_mean_band_or_count():
    _definition, _compiled, scores = answered(k=5)
    assert not scores.visible.any()
    assert scores.n.tolist() == [[0] * 12, [0] * 12]
    assert all(math.isnan(m) for m in scores.mean.ravel())
    assert set(scores.band.ravel().tolist()) == {-1}
    assert all(math.isnan(m) for m in scores.category_mean.ravel())


def test_not_applicable_answers_leave_the_item_out_of_the_persons_mean():
    data = thirty_items()
    data["scale"]["not_applicable"] = "Does not apply"
    compiled = compile_definitions([parse_definition(data)])
    groups = InstrumentGroups([1], [1], [1], [2], [0])
    # Three people answer the 3 items of construct 0: one says "not applicable" to two of them.
    answers = InstrumentAnswers(
        [1, 1, 1, 2, 2, 2, 3, 3, 3], [0] * 9, [0, 1, 2] * 3, [4, 0, 0, 2, 2, 2, 1, 3, 2]
    )
    scores = score_instruments(answers, groups, compiled, [3])
    assert scores.mean[0, 0] == pytest.approx((4 + 2 + 2) / 3)


def test_a_direction_the_instrument_does_not_ask_for_is_refused():
    compiled = compile_definitions([parse_definition(thirty_items())])
    groups = InstrumentGroups([1], [1], [1], [1], [0])  # a self-rating on an "other" instrument
    with pytest.raises(ScoringError, match="rates self"):
        score_instruments(InstrumentAnswers([], [], [], []), groups, compiled, [3])


def problems(data: dict) -> dict[str, str]:
    with pytest.raises(DefinitionError) as caught:
        parse_definition(data)
    return dict(caught.value.problems)


def test_an_item_on_an_unknown_construct_is_named():
    data = thirty_items()
    data["items"][4]["construct"] = "nope"
    assert problems(data)["items[4].construct"] == UNKNOWN_CONSTRUCT.format(value="nope")


def test_duplicate_keys_are_named_where_the_second_occurs():
    data = thirty_items()
    data["items"][3]["key"] = data["items"][2]["key"]
    data["categories"][1]["constructs"][0]["key"] = "c00"
    found = problems(data)
    assert found["items[3].key"] == DUPLICATE_KEY.format(value="c00-2")
    assert found["categories[1].constructs[0].key"] == DUPLICATE_KEY.format(value="c00")


@pytest.mark.parametrize("points", [1, 12, 0, "seven"])
def test_a_scale_outside_two_to_eleven_points_is_refused(points):
    data = thirty_items()
    data["scale"]["points"] = points
    assert problems(data)["scale.points"] == POINTS_OUT_OF_RANGE


def test_an_empty_category_is_refused():
    data = thirty_items()
    data["categories"].append({"key": "empty", "label": "Empty", "constructs": []})
    assert problems(data)["categories[4]"] == EMPTY_CATEGORY


def test_ten_thousand_items_are_refused_without_reading_them():
    data = thirty_items()
    data["items"] = [dict(data["items"][0], key=f"i{n}") for n in range(10_000)]
    assert problems(data)["items"] == TOO_MANY.format(given=10_000, limit=300)


@pytest.mark.parametrize(
    "wording", ["<b>bold</b> {partner}", "{partner} &amp; us", "<script>alert(1)</script>"]
)
def test_html_in_wording_is_refused(wording):
    data = thirty_items()
    data["items"][0]["text"] = wording
    assert problems(data)["items[0].text"] == HTML


def test_a_key_with_spaces_is_refused():
    data = thirty_items()
    data["key"] = "Not A Key"
    assert problems(data)["key"] == BAD_KEY.format(value="Not A Key")


# ---------------------------------------------------------------------------- round trip

words = (
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    .filter(lambda s: s and "<" not in s and "&" not in s and "{" not in s)
)
keys = st.from_regex(r"[a-z0-9][a-z0-9_.-]{0,15}", fullmatch=True)


@st.composite
def definitions(draw):
    points = draw(st.integers(2, 11))
    construct_keys = draw(st.lists(keys, min_size=1, max_size=6, unique=True))
    split = draw(st.integers(1, len(construct_keys)))
    groups = (
        [construct_keys[:split], construct_keys[split:]]
        if split < len(construct_keys)
        else [construct_keys]
    )
    category_keys = draw(st.lists(keys, min_size=len(groups), max_size=len(groups), unique=True))
    item_keys = draw(st.lists(keys, min_size=len(construct_keys), max_size=12, unique=True))
    minimums = sorted(
        draw(st.lists(st.floats(1, points, allow_nan=False), max_size=3, unique=True)),
        reverse=True,
    )
    data = {
        "key": draw(keys),
        "name": draw(words),
        "description": draw(st.one_of(st.just(""), words)),
        "scale": {
            "points": points,
            "labels": draw(st.lists(words, min_size=points, max_size=points)),
            "not_applicable": draw(st.one_of(st.just(""), words)),
        },
        "directions": draw(
            st.lists(st.sampled_from(["other", "self", "partnership"]), min_size=1, unique=True)
        ),
        "categories": [
            {
                "key": ck,
                "label": draw(words),
                "constructs": [{"key": k, "label": draw(words)} for k in group],
            }
            for ck, group in zip(category_keys, groups, strict=True)
        ],
        "bands": [
            {"key": f"b{i}", "label": draw(words), "minimum": m} for i, m in enumerate(minimums)
        ],
        "items": [
            {
                "key": key,
                "text": draw(words),
                "construct": construct_keys[i]
                if i < len(construct_keys)
                else draw(st.sampled_from(construct_keys)),
                "reverse": draw(st.booleans()),
                "low_anchor": draw(st.one_of(st.just(""), words)),
                "high_anchor": draw(st.one_of(st.just(""), words)),
            }
            for i, key in enumerate(item_keys)
        ],
    }
    return parse_definition(data)


@settings(max_examples=60, deadline=None)
@given(definitions())
def test_any_definition_round_trips_through_its_data_and_its_sheet(definition):
    assert parse_definition(definition_to_data(definition)) == definition
    rows = definition_rows(definition)
    header = rows[0]
    numbered = [(n, dict(zip(header, row, strict=True))) for n, row in enumerate(rows[1:], 2)]
    data, _where, sheet_problems = rows_to_data(numbered)
    assert sheet_problems == []
    assert parse_definition(data) == definition


def test_scoring_refuses_a_k_below_three():
    compiled = compile_definitions([parse_definition(thirty_items())])
    groups = InstrumentGroups([1], [1], [1], [2], [0])
    with pytest.raises(ScoringError):
        score_instruments(InstrumentAnswers([], [], [], []), groups, compiled, np.array([2]))
