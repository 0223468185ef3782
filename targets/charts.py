"""A target's values over the years as a small bar chart, drawn on the server as inline SVG
(no script, no third-party file): one bar per year coloured by met or not, the threshold as
a dashed line, each bar labelled with its year and its value, and a text summary for
screen readers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from targets.models import Unit
from targets.tracking import Tracking, decimal_vi

WIDTH, HEIGHT = 300, 120
TOP, BOTTOM, LEFT, RIGHT = 14, 20, 6, 6  # room for the value above a bar and the year below
GREEN, RED, GREY = "#2fb344", "#d63939", "#adb5bd"  # Tabler's colours; each bar also shows its value


@dataclass(frozen=True)
class Bar:
    year: int
    x: float
    y: float
    width: float
    height: float
    colour: str  # the fill: Tabler's green (met), red (missed), grey (not measured)
    value_text: str
    label_x: float

    @property
    def value_y(self) -> float:
        return round(self.y - 3, 1)


@dataclass
class Chart:
    width: int = WIDTH
    height: int = HEIGHT
    bars: list[Bar] = field(default_factory=list)
    threshold_y: float | None = None
    threshold_text: str = ""
    baseline_y: float = HEIGHT - BOTTOM
    year_y: float = HEIGHT - 5
    summary: str = ""


def _text(value: Decimal | None, unit: str) -> str:
    """A bar's value as the cards write it: one decimal at most (25/29 → "86,2%")."""
    if value is None:
        return "–"
    return decimal_vi(value) + ("%" if unit == Unit.PERCENT else "")


def year_chart(tracking: Tracking) -> Chart:
    target = tracking.target
    unit = target.unit
    values = [y.value for y in tracking.years if y.value is not None]
    top_value = max([*values, Decimal(target.threshold)], default=Decimal(0))
    if unit == Unit.PERCENT:
        top_value = max(top_value, Decimal(100)) if top_value > 90 else top_value
    top_value = top_value or Decimal(1)
    plot = HEIGHT - TOP - BOTTOM
    chart = Chart()
    count = max(len(tracking.years), 1)
    slot = (WIDTH - LEFT - RIGHT) / count
    width = min(slot * 0.6, 40)

    def y_of(value: Decimal) -> float:
        return round(TOP + plot - float(value / top_value) * plot, 1)

    for i, year in enumerate(tracking.years):
        x = LEFT + slot * i + (slot - width) / 2
        colour = GREY if year.met is None else (GREEN if year.met else RED)
        y = y_of(year.value) if year.value is not None else chart.baseline_y
        chart.bars.append(
            Bar(
                year.year,
                round(x, 1),
                y,
                round(width, 1),
                round(chart.baseline_y - y, 1),
                colour,
                _text(year.value, unit),
                round(x + width / 2, 1),
            )
        )
    chart.threshold_y = y_of(Decimal(target.threshold))
    chart.threshold_text = _text(Decimal(target.threshold), unit)
    chart.summary = _("Chỉ tiêu %(comparison)s %(threshold)s; %(years)s") % {
        "comparison": target.get_comparison_display(),
        "threshold": chart.threshold_text,
        "years": "; ".join(f"{bar.year}: {bar.value_text}" for bar in chart.bars),
    }
    return chart
