"""Charts read as SVG: the tick labels, line colours, legends and text alternatives a person
(or a screen reader) actually gets."""

import re
from datetime import date
from urllib.parse import unquote

import pytest
from defusedxml import ElementTree as ET

from accord.charts import (
    AMBER_COLOUR,
    FONT,
    RED_COLOUR,
    TARGET_COLOUR,
    WIDTH,
    bar_chart,
    line_chart,
    period_label,
    profile_chart,
)

SVG = "{http://www.w3.org/2000/svg}"


def parse(chart):
    return ET.fromstring(chart.svg)


def texts(root, group_class):
    return [
        "".join(t.itertext())
        for g in root.iter(f"{SVG}g")
        if group_class in g.get("class", "").split()
        for t in g.iter(f"{SVG}text")
    ]


def x_ticks(root):
    for g in root.iter(f"{SVG}g"):
        if g.get("class", "").split()[:2] == ["axis", "x"]:
            return [
                "".join(t.itertext())
                for tick in g.iter(f"{SVG}g")
                if "guides" in tick.get("class", "")
                for t in tick.iter(f"{SVG}text")
            ]
    return []


def series_colour(chart, name):
    """The stroke colour pygal gives the series whose legend reads ``name``."""
    root = parse(chart)
    legends = texts(root, "legends")
    index = legends.index(name)
    css = "".join(s.text or "" for s in root.iter(f"{SVG}style"))
    match = re.search(rf"\.color-{index}[^{{]*{{stroke:(#[0-9a-f]+)", css)
    return match.group(1)


MONTHS = [date(2024 + m // 12, m % 12 + 1, 1) for m in range(30)]


def metric_chart():
    return line_chart(
        "Budget variance (%)",
        [period_label(d, "monthly") for d in MONTHS],
        {"Budget variance": [5 + i * 0.05 for i in range(30)]},
        alt="Budget variance rises from 5% to 6.45%.",
        reference_lines={"Target 5": 5, "Amber threshold 6": 6, "Red threshold 8": 8},
    )


@pytest.mark.parametrize(
    ("day", "cadence", "label"),
    [
        (date(2026, 3, 1), "monthly", "Mar 2026"),
        (date(2026, 1, 1), "quarterly", "Q1 2026"),
        (date(2026, 10, 1), "quarterly", "Q4 2026"),
        (date(2026, 3, 12), "weekly", "12 Mar"),
        (date(2026, 3, 2), "daily", "2 Mar"),
    ],
)
def test_period_labels_follow_the_cadence(day, cadence, label):
    assert period_label(day, cadence) == label


def test_a_long_monthly_axis_shows_thinned_whole_month_labels():
    ticks = x_ticks(parse(metric_chart()))
    assert ticks == ["Jan 2024", "Jul 2024", "Jan 2025", "Jul 2025", "Jan 2026"]


def test_a_short_axis_shows_every_label_untruncated():
    chart = line_chart("Trust", ["R1 Mar 26", "R2 Jun 26", "R3 Sep 26"], {"A": [1, 2, 3]}, alt="x")
    assert x_ticks(parse(chart)) == ["R1 Mar 26", "R2 Jun 26", "R3 Sep 26"]


def test_threshold_lines_are_drawn_in_the_colour_their_name_says():
    chart = metric_chart()
    assert series_colour(chart, "Target 5") == TARGET_COLOUR
    assert series_colour(chart, "Amber threshold 6") == AMBER_COLOUR
    assert series_colour(chart, "Red threshold 8") == RED_COLOUR
    assert series_colour(chart, "Budget variance") not in {AMBER_COLOUR, RED_COLOUR, TARGET_COLOUR}


def test_threshold_lines_are_solid_and_thicker_than_the_dashed_grid():
    root = parse(metric_chart())
    css = "".join(s.text or "" for s in root.iter(f"{SVG}style"))
    for i in (1, 2, 3):  # the three reference series follow the one data series
        assert f".serie-{i} .line{{stroke-width:4 !important}}" in css
    lines = [
        p
        for g in root.iter(f"{SVG}g")
        if re.search(r"\bserie-[123]\b", g.get("class", ""))
        for p in g.iter(f"{SVG}path")
    ]
    assert lines
    assert all("dasharray" not in (p.get("style") or "") for p in lines)


def test_long_legend_names_wrap_instead_of_being_cut():
    names = {
        "Competence trust: Helix Biologics − Cobalt Pharma": [0.5, 0.2],
        "Goodwill trust: Helix Biologics − Cobalt Pharma": [0.1, -0.4],
        "Contractual trust: Helix Biologics − Cobalt Pharma": [0.0, 0.3],
    }
    chart = line_chart("Asymmetry", ["R1", "R2"], names, alt="x")
    legends = texts(parse(chart), "legends")
    assert [n for n in names if n in legends] == list(names)
    assert not any("…" in text for text in legends)


def test_every_chart_has_a_title_a_description_and_a_hidden_table():
    chart = metric_chart()
    root = parse(chart)
    assert (root[0].tag, root[0].text) == (f"{SVG}title", "Budget variance (%)")
    assert (root[1].tag, root[1].text) == (f"{SVG}desc", "Budget variance rises from 5% to 6.45%.")
    html = str(chart.img())
    assert html.startswith('<div class="chart-scroll"><img class="chart" src=\'data:image/svg+xml,')
    src = html[html.index("src='") + 5 : html.index("' alt=")]
    assert unquote(src.removeprefix("data:image/svg+xml,")) == chart.svg
    assert 'alt="Budget variance rises from 5% to 6.45%."' in html
    hidden = ET.fromstring(html[html.index('<div class="sr-only">') : html.rindex("</div>")])
    assert hidden.get("class") == "sr-only"
    table = hidden.find("table")
    head = [th.text for th in table.iter("th") if th.get("scope") == "col"]
    assert head == [period_label(d, "monthly") for d in MONTHS]
    rows = {tr.find("th").text: [td.text for td in tr.findall("td")] for tr in table.iter("tr")}
    assert rows["Budget variance"][:2] == ["5", "5.05"]
    assert rows["Red threshold 8"] == ["8"] * 30
    assert "<script" not in chart.svg


def test_text_stays_readable_at_the_narrowest_width_a_chart_is_shown():
    """CSS shows a chart no narrower than 480 px (.chart-scroll scrolls below that)."""
    root = parse(metric_chart())
    assert root.get("viewBox") == f"0 0 {WIDTH} 360"
    assert FONT * 480 / WIDTH >= 11


def test_bar_and_profile_charts_render_with_titles():
    bar = parse(bar_chart("Shares", ["A", "B"], {"value": [0.6, 0.4]}, alt="x"))
    assert bar[0].text == "Shares"
    profile = profile_chart("Culture", ["Risk", "Time"], {"A": [2, 5], "B": [6, 3]}, alt="y")
    assert x_ticks(parse(profile)) == ["Risk", "Time"]


def test_a_chart_ships_without_what_an_image_never_shows():
    """pygal's tooltip data, comments, hover rules and random id are dropped, so the same chart
    is the same bytes in every process and a page of charts stays small."""
    chart = metric_chart()
    root = parse(chart)
    assert root.get("id") == "c"
    assert not re.search(r"chart-[0-9a-f]{8}-", chart.svg)
    assert "<!--" not in chart.svg
    assert ":hover" not in chart.svg
    assert [d for d in root.iter(f"{SVG}desc") if d.get("class")] == []
    assert "tooltip-overlay" not in chart.svg
    # Coordinates keep a tenth of a unit on the 640-unit canvas.
    numbers = re.findall(r'\b(?:d|cx|cy|x|y)="([^"]*)"', chart.svg)
    assert numbers
    assert not any(re.search(r"\d\.\d\d", n) for n in numbers)
    # Every series and its legend are still drawn.
    assert texts(root, "legends") == [
        "Budget variance",
        "Target 5",
        "Amber threshold 6",
        "Red threshold 8",
    ]
    assert len(root.findall(f".//{SVG}circle")) == 30


def test_the_same_chart_is_the_same_bytes_when_drawn_again():
    from accord.charts import _memo

    first = metric_chart().svg
    _memo.clear()
    assert metric_chart().svg == first
