"""Charts rendered on the server as SVG (pygal), shipped as data-URI images (not base64).

Why images: the page's Content-Security-Policy forbids inline styles and scripts, and an SVG inside
an <img> renders in isolation with its own styles. No JavaScript, no CDN.

Legibility rules (issue 12): every chart is drawn on a 640-unit-wide canvas with 15-unit text and
shown no narrower than 480 px (CSS ``.chart-scroll``; narrower screens scroll the chart inside its
card), so text never renders below ~11 px. Time axes carry labels formatted to the cadence
(:func:`period_label`) and thinned so they never overlap; legends are never truncated (they wrap
to one entry per row when names are long); reference lines are solid and thicker than the dashed
grid, in the colour their name says. Each chart carries a text alternative three ways: the
image's alt text, an SVG ``<title>``/``<desc>``, and a visually hidden table of its numbers.
"""

from __future__ import annotations

import functools
import math
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import cast
from urllib.parse import quote
from xml.sax.saxutils import escape

import pygal
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from pygal.style import Style

PALETTE = ("#1f5fae", "#c0392b", "#2e7d4f", "#b7791f", "#6b46c1", "#0f766e", "#9d174d", "#475569")
# Data lines beside reference lines avoid the reference colours, so "the red line" is never a
# series that happens to be drawn in red.
DATA_PALETTE = ("#1f5fae", "#6b46c1", "#0e7490", "#9d174d", "#475569", "#7c2d12")
TARGET_COLOUR = "#2e7d4f"  # green, like "On target"
AMBER_COLOUR = "#d97706"
RED_COLOUR = "#c0392b"
REFERENCE_COLOUR = "#334155"  # any other reference (e.g. a flag line)
GRID_COLOUR = "#dfe3e8"

WIDTH = 640
FONT = 15
CHAR_WIDTH = 0.52 * FONT  # average advance of a system-ui glyph, in canvas units
PLOT_WIDTH = WIDTH - 110  # the canvas minus the y axis labels and margins
LEGEND_COLUMNS = 3
# Tick steps people count in: every 6th or 12th month, every 2nd week, every 10th review …
NICE_STEPS = (1, 2, 3, 4, 6, 12, 20, 24, 25, 50, 100, 200, 500)
LINE_WIDTH = 2.5
REFERENCE_WIDTH = 4


def _style(colors: Sequence[str], stroke_width: float = 1) -> Style:
    return Style(
        stroke_width=stroke_width,
        background="#ffffff",
        plot_background="#ffffff",
        foreground="#1c2430",
        foreground_strong="#1c2430",
        foreground_subtle=GRID_COLOUR,
        guide_stroke_color=GRID_COLOUR,
        major_guide_stroke_color=GRID_COLOUR,
        colors=tuple(colors),
        font_family="system-ui, sans-serif",
        label_font_size=FONT,
        major_label_font_size=FONT,
        legend_font_size=FONT,
        title_font_size=FONT + 2,
        value_font_size=FONT - 1,
    )


STYLE = _style(PALETTE)

_SCRIPT = re.compile(r"<script.*?</script>", re.DOTALL)
_SVG_OPEN = re.compile(r"<svg\b[^>]*>")
# What an <img> never shows: pygal's comments, its tooltip data (a <desc> per dot and a <title>
# per tick), the empty tooltip box, and its hover and transition rules.
_UNSEEN = re.compile(
    r"<!--.*?-->|<desc class=[^>]*>[^<]*</desc>|(?<=</text>)<title>[^<]*</title>"
    r'|<g transform="[^"]*" class="plot tooltip-overlay">.*?</g></g>',
    re.DOTALL,
)
_CHART_ID = re.compile(r"chart-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_UNSEEN_RULE = re.compile(
    r"[^{}]*(?::hover|\.tooltip)[^{}]*\{[^{}]*\}|[^{}]*\{[^{}]*transition[^{}]*\}"
)
_CLASSES = re.compile(r'class="([^"]*)"')
_STYLE = re.compile(r'(<style type="text/css">)(.*?)(</style>)', re.DOTALL)
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_CLASS_IN = re.compile(r"\.([\w-]+)")
_NOT = re.compile(r":not\([^)]*\)")  # a class an element must not have may well be absent
_LONG_NUMBER = re.compile(r"\d+\.\d{2,}")
_GEOMETRY = re.compile(r'\b(d|x|y|cx|cy|width|height|transform)="([^"]*)"')
_QUARTERS = ("Q1", "Q1", "Q1", "Q2", "Q2", "Q2", "Q3", "Q3", "Q3", "Q4", "Q4", "Q4")


def period_label(day: date, cadence: str, *, year: bool = False) -> str:
    """A period as a person names it: "Mar 2026" (monthly), "Q1 2026" (quarterly), "12 Mar"
    (weekly or daily; "12 Mar 2026" with ``year``). ``day`` is the period's first day."""
    if cadence == "monthly":
        return f"{day:%b %Y}"
    if cadence == "quarterly":
        return f"{_QUARTERS[day.month - 1]} {day.year}"
    return f"{day.day} {day:%b}" + (f" {day.year}" if year else "")


def _render(
    chart: pygal.graph.graph.Graph, title: str, alt: str, *, thick: Sequence[int] = ()
) -> str:
    """pygal embeds a config script for its tooltips; images never run it, so drop it. Put a
    <title> and <desc> first in the SVG for tools that read it, and draw the ``thick`` series
    (reference lines) thicker than data (pygal's own per-series width loses to its ``.reactive``
    rule, hence ``!important``)."""
    svg = _compact(_SCRIPT.sub("", chart.render(is_unicode=True)))
    extra = f"<title>{escape(title)}</title><desc>{escape(alt)}</desc>"
    if thick:
        rules = "".join(
            f".serie-{i} .line{{stroke-width:{REFERENCE_WIDTH} !important}}" for i in thick
        )
        extra += f"<style>{rules}</style>"
    return _SVG_OPEN.sub(lambda m: m.group(0) + extra, svg, count=1)


def _compact(svg: str) -> str:
    """A third of pygal's size, drawn the same: the same SVG without what an image never shows,
    its random 36-character id (repeated in every CSS rule) as "c", and coordinates to a tenth
    of a unit (the canvas is 640 units wide). Pages with seven charts were 200 KB."""
    svg = _CHART_ID.sub("c", _UNSEEN.sub("", svg))
    svg = _UNSEEN_RULE.sub("", svg)
    present = {token for value in _CLASSES.findall(svg) for token in value.split()}
    svg = _STYLE.sub(lambda m: m.group(1) + _used_rules(m.group(2), present) + m.group(3), svg)
    return _GEOMETRY.sub(lambda m: _LONG_NUMBER.sub(_tenth, m.group(0)), svg)


def _used_rules(css: str, present: set[str]) -> str:
    """pygal's stylesheet without the selectors that name a class no element of this chart has
    (value labels, confidence intervals, other chart kinds…)."""
    kept = []
    for selectors, declarations in _RULE.findall(css):
        used = [
            s
            for s in selectors.split(",")
            if present.issuperset(_CLASS_IN.findall(_NOT.sub("", s)))
        ]
        if used:
            kept.append(f"{','.join(used)}{{{declarations}}}")
    return "".join(kept)


def _tenth(number: re.Match[str]) -> str:
    return f"{float(number.group(0)):.1f}"


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:g}"


# Left as they are in the image's address: a quarter shorter than base64, and what browsers
# read in a data URI inside a single-quoted attribute ("Probably don't base64 SVG"). Quotes
# ('), ampersands, %, # and line breaks are encoded, so the attribute and the URI stay whole.
URI_SAFE = ' /:;=,.!~*()-_"<>{}@'


def data_uri(svg: str) -> SafeString:
    """An SVG as a data URI for a single-quoted ``src``."""
    return SafeString("data:image/svg+xml," + quote(svg, safe=URI_SAFE))


@dataclass(frozen=True)
class Chart:
    svg: str
    alt: str
    labels: tuple[str, ...] = ()
    series: tuple[tuple[str, tuple[float | None, ...]], ...] = field(default=())

    def table(self) -> SafeString:
        """The chart's numbers as a table only screen readers announce."""
        if not self.series:
            return SafeString("")
        head = format_html_join("", '<th scope="col">{}</th>', ((label,) for label in self.labels))
        body = format_html_join(
            "",
            '<tr><th scope="row">{}</th>{}</tr>',
            (
                (
                    name,
                    format_html_join("", "<td>{}</td>", ((_number(v),) for v in values)),
                )
                for name, values in self.series
            ),
        )
        return format_html(
            # The wrapper, not the table, is hidden: a table ignores a 1px width and would
            # still widen the page on a phone.
            '<div class="sr-only"><table><caption>{}</caption><thead><tr><td></td>{}</tr></thead>'
            "<tbody>{}</tbody></table></div>",
            self.alt,
            head,
            body,
        )

    def img(self) -> SafeString:
        # Kept on the (immutable, memoized) chart: encoding it and its table each time was a
        # quarter of the health tab's time.
        kept = self.__dict__.get("_img")
        if kept is None:
            kept = format_html(
                '<div class="chart-scroll"><img class="chart" src=\'{}\' alt="{}">{}</div>',
                data_uri(self.svg),
                self.alt,
                self.table(),
            )
            object.__setattr__(self, "_img", kept)
        return cast(SafeString, kept)

    def __html__(self) -> str:
        return str(self.img())


Series = Mapping[str, Sequence[float | None]]


def legend_columns(names: Sequence[str]) -> int:
    """As many columns as the longest name allows without cutting it; one per row at worst."""
    longest = max((len(n) for n in names), default=1)
    per_entry = longest * CHAR_WIDTH + 40  # the swatch and the gap
    return max(1, min(LEGEND_COLUMNS, int((WIDTH - 32) // per_entry)))


def tick_step(labels: Sequence[str]) -> int:
    """Show every n-th x label so that labels of this length never overlap."""
    if not labels:
        return 1
    longest = max(len(label) for label in labels)
    fits = max(2, int(PLOT_WIDTH // (longest * CHAR_WIDTH + 16)))
    needed = max(1, math.ceil(len(labels) / fits))
    return next((s for s in NICE_STEPS if s >= needed), needed)


def reference_colour(name: str) -> str:
    """The colour a reference line's name promises."""
    lowered = name.lower()
    if re.search(r"\bred\b", lowered):
        return RED_COLOUR
    if re.search(r"\bamber\b", lowered):
        return AMBER_COLOUR
    if re.search(r"\btarget\b", lowered):
        return TARGET_COLOUR
    return REFERENCE_COLOUR


def _config(
    title: str, height: int, y_range: tuple[float, float] | None, names: Sequence[str]
) -> dict[str, object]:
    config: dict[str, object] = {
        "title": title,
        "style": STYLE,
        "js": [],
        "width": WIDTH,
        "height": height,
        "legend_at_bottom": True,
        "legend_at_bottom_columns": legend_columns(names),
        "truncate_legend": -1,
        "truncate_label": -1,
        "disable_xml_declaration": True,
        "show_minor_x_labels": True,
        "x_label_rotation": 0,
        "print_values": False,
        "dots_size": 3,
        "margin": 16,
        # pygal places a bottom legend by the margin alone: 16 cut its text's descenders off
        "margin_bottom": 28,
    }
    if y_range is not None:
        config["range"] = y_range
    return config


MEMO_SIZE = 256
_memo: OrderedDict[object, Chart] = OrderedDict()
_memo_lock = threading.Lock()


def _freeze(value: object) -> object:
    """A hashable stand-in for a chart argument (mappings and sequences become tuples)."""
    if isinstance(value, Mapping):
        return tuple((k, _freeze(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return tuple(_freeze(v) for v in value)
    return (type(value).__name__, value)  # 1.5 and Decimal("1.50") print differently


def memoized(draw: Callable[..., Chart]) -> Callable[..., Chart]:
    """Draw each distinct chart once per process. pygal takes ~10 ms a chart and a page draws the
    same one on every request; a chart is a pure function of its arguments, so the key is all of
    them and a changed number is a new chart (least recently used ones are dropped)."""

    @functools.wraps(draw)
    def wrapper(*args: object, **kwargs: object) -> Chart:
        try:
            key = (draw.__name__, _freeze(args), _freeze(sorted(kwargs.items())))
            hash(key)
        except TypeError:  # an unhashable argument: draw it, uncached
            return draw(*args, **kwargs)
        with _memo_lock:
            chart = _memo.get(key)
            if chart is not None:
                _memo.move_to_end(key)
                return chart
        chart = draw(*args, **kwargs)
        with _memo_lock:
            _memo[key] = chart
            if len(_memo) > MEMO_SIZE:
                _memo.popitem(last=False)
        return chart

    return wrapper


def _frozen(
    labels: Sequence[str], series: Mapping[str, Sequence[float | None]]
) -> tuple[tuple[str, ...], tuple[tuple[str, tuple[float | None, ...]], ...]]:
    return tuple(labels), tuple((name, tuple(values)) for name, values in series.items())


@memoized
def line_chart(
    title: str,
    x_labels: Sequence[str],
    series: Series,
    *,
    alt: str,
    y_range: tuple[float, float] | None = None,
    reference_lines: Mapping[str, float] | None = None,
    height: int = 360,
    y_labels: Sequence[float] | None = None,
) -> Chart:
    """A time series per line; reference lines (target, thresholds) are solid, thicker than the
    dashed grid, and coloured as named (see :func:`reference_colour`)."""
    references = dict(reference_lines or {})
    names = [*series, *references]
    config = _config(title, height, y_range, names)
    colours = list(PALETTE)
    if references:
        colours = [DATA_PALETTE[i % len(DATA_PALETTE)] for i in range(len(series))]
        colours += [reference_colour(n) for n in references]
    config["style"] = _style(colours, LINE_WIDTH)
    step = tick_step(x_labels)
    if step > 1:
        config["x_labels_major_every"] = step
        config["show_minor_x_labels"] = False
    if x_labels:  # the last label is centred on the plot's right edge: leave room for its half
        config["margin_right"] = max(16, math.ceil(len(x_labels[-1]) * CHAR_WIDTH / 2) + 4)
    chart = pygal.Line(**config, allow_interruptions=True)
    if y_labels is not None:
        chart.y_labels = list(y_labels)
    chart.x_labels = list(x_labels)
    for name, values in series.items():
        chart.add(name, list(values))
    for name, value in references.items():
        chart.add(name, [value] * len(x_labels), show_dots=False)
    flat = {n: [v] * len(x_labels) for n, v in references.items()}
    labels, frozen = _frozen(x_labels, {**series, **flat})
    thick = range(len(series), len(series) + len(references))
    return Chart(_render(chart, title, alt, thick=thick), alt, labels, frozen)


@memoized
def bar_chart(
    title: str,
    x_labels: Sequence[str],
    series: Series,
    *,
    alt: str,
    y_range: tuple[float, float] | None = None,
    horizontal: bool = False,
    height: int = 360,
) -> Chart:
    kind = pygal.HorizontalBar if horizontal else pygal.Bar
    chart = kind(**_config(title, height, y_range, list(series)))
    chart.x_labels = list(x_labels)
    for name, values in series.items():
        chart.add(name, list(values))
    return Chart(_render(chart, title, alt), alt, *_frozen(x_labels, series))


@memoized
def profile_chart(
    title: str,
    dimensions: Sequence[str],
    profiles: Series,
    *,
    alt: str,
    scale: tuple[float, float] = (1, 7),
    height: int = 420,
) -> Chart:
    """Profiles over the same dimensions, as lines across them (easier to compare than a radar)."""
    config = {**_config(title, height, scale, list(profiles)), "x_label_rotation": 20}
    config["style"] = _style(PALETTE, LINE_WIDTH)
    chart = pygal.Line(**config)
    chart.x_labels = list(dimensions)
    for name, values in profiles.items():
        chart.add(name, list(values))
    return Chart(_render(chart, title, alt), alt, *_frozen(dimensions, profiles))
