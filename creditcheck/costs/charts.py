"""Geometry of the server-drawn SVG bar charts (Relatórios > Custos): no chart library needed."""

import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

# Room left of the plot for the value axis' labels.
AXIS_WIDTH = 40.0


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str  # under the bar
    title: str  # tooltip and accessible text


@dataclass(frozen=True)
class Tick:
    """A value axis line: its height and its label (0 at the baseline, the top near the peak)."""

    y: float
    label: str

    @property
    def label_y(self) -> float:
        return round(self.y + 3, 2)  # the text's baseline, centred on the line


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    baseline: float
    bars: list[Bar]
    max_label: str
    ticks: list[Tick]
    axis_x: float = AXIS_WIDTH

    @property
    def axis_label_x(self) -> float:
        return self.axis_x - 6


def _tick_step(peak: Decimal, count: int) -> Decimal:
    """A round step (1, 2 or 5 times a power of ten) giving about `count` ticks up to `peak`."""
    raw = float(peak) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * magnitude:
            return Decimal(str(factor * magnitude))
    return Decimal(str(10 * magnitude))  # pragma: no cover - the loop always returns


def bar_chart(
    points: list[tuple[str, Decimal | int, str]],
    *,
    width: int = 720,
    height: int = 180,
    max_label: str = "",
    axis_label: Callable[[Decimal], str] = lambda value: f"{value.normalize():f}",
    tick_count: int = 4,
    min_step: Decimal = Decimal(1),
) -> BarChart:
    """One bar per (label, value, title) right of a value axis with round ticks; the top tick is
    the first at or above the tallest bar, which sets the plot's scale. Ticks are at least
    `min_step` apart (1: counts have no half query)."""
    top, bottom = 12.0, 20.0
    plot = height - top - bottom
    peak = max((Decimal(value) for _, value, _ in points), default=Decimal(0))
    step = max(_tick_step(peak, tick_count), min_step) if peak > 0 else min_step
    scale_top = step * Decimal(math.ceil(peak / step)) if peak > 0 else step
    ticks = []
    tick_value = Decimal(0)
    while tick_value <= scale_top:
        y = top + plot - float(tick_value / scale_top) * plot
        ticks.append(Tick(round(y, 2), axis_label(tick_value)))
        tick_value += step
    slot = (width - AXIS_WIDTH) / max(len(points), 1)
    bars = []
    for index, (label, value, title) in enumerate(points):
        bar_height = float(Decimal(value) / scale_top) * plot
        bars.append(
            Bar(
                x=round(AXIS_WIDTH + index * slot + slot * 0.15, 2),
                y=round(top + plot - bar_height, 2),
                width=round(slot * 0.7, 2),
                height=round(bar_height, 2),
                label=label,
                title=title,
            )
        )
    return BarChart(width, height, top + plot, bars, max_label, ticks)
