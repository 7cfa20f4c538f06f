"""Charts rendered on the server as SVG (pygal), shipped as data-URI images.

Why images: the page's Content-Security-Policy forbids inline styles and scripts, and an SVG inside
an <img> renders in isolation with its own styles. No JavaScript, no CDN; each chart carries
alt text, and pages show the numbers in a table beside it for screen readers and copying.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pygal
from django.utils.html import format_html
from django.utils.safestring import SafeString
from pygal.style import Style

PALETTE = ("#1f5fae", "#c0392b", "#2e7d4f", "#b7791f", "#6b46c1", "#0f766e", "#9d174d", "#475569")

STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1c2430",
    foreground_strong="#1c2430",
    foreground_subtle="#dfe3e8",
    colors=PALETTE,
    font_family="system-ui, sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=13,
    title_font_size=16,
    value_font_size=12,
)


_SCRIPT = re.compile(r"<script.*?</script>", re.DOTALL)


def _render(chart: pygal.graph.graph.Graph) -> str:
    """pygal embeds a config script for its tooltips; images never run it, so drop it."""
    return _SCRIPT.sub("", chart.render(is_unicode=True))


@dataclass(frozen=True)
class Chart:
    svg: str
    alt: str

    def img(self) -> SafeString:
        encoded = base64.b64encode(self.svg.encode()).decode()
        return format_html(
            '<img class="chart" src="data:image/svg+xml;base64,{}" alt="{}">', encoded, self.alt
        )

    def __html__(self) -> str:
        return str(self.img())


Series = Mapping[str, Sequence[float | None]]


def _config(title: str, height: int, y_range: tuple[float, float] | None) -> dict[str, object]:
    config: dict[str, object] = {
        "title": title,
        "style": STYLE,
        "js": [],
        "width": 800,
        "height": height,
        "legend_at_bottom": True,
        "legend_at_bottom_columns": 3,
        "disable_xml_declaration": True,
        "show_minor_x_labels": True,
        "x_label_rotation": 0,
        "print_values": False,
        "dots_size": 3,
        "stroke_style": {"width": 2},
        "margin": 16,
        # pygal places a bottom legend by the margin alone: 16 cut its text's descenders off
        "margin_bottom": 28,
    }
    if y_range is not None:
        config["range"] = y_range
    return config


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
    """A time series per line; reference lines (target, thresholds) are drawn dashed."""
    chart = pygal.Line(**_config(title, height, y_range), allow_interruptions=True)
    if y_labels is not None:
        chart.y_labels = list(y_labels)
    chart.x_labels = list(x_labels)
    for name, values in series.items():
        chart.add(name, list(values))
    for name, value in (reference_lines or {}).items():
        chart.add(
            name,
            [value] * len(x_labels),
            show_dots=False,
            stroke_style={"width": 1.5, "dasharray": "6, 4"},
        )
    return Chart(_render(chart), alt)


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
    chart = kind(**_config(title, height, y_range))
    chart.x_labels = list(x_labels)
    for name, values in series.items():
        chart.add(name, list(values))
    return Chart(_render(chart), alt)


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
    chart = pygal.Line(**{**_config(title, height, scale), "x_label_rotation": 20})
    chart.x_labels = list(dimensions)
    for name, values in profiles.items():
        chart.add(name, list(values))
    return Chart(_render(chart), alt)
