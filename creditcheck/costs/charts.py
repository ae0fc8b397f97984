"""Geometry of the server-drawn SVG bar charts (Relatórios > Custos): no chart library needed."""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str  # under the bar
    title: str  # tooltip and accessible text


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    baseline: float
    bars: list[Bar]
    max_label: str


def bar_chart(
    points: list[tuple[str, Decimal | int, str]],
    *,
    width: int = 720,
    height: int = 180,
    max_label: str = "",
) -> BarChart:
    """One bar per (label, value, title); the tallest bar fills the plot's height."""
    top, bottom = 12.0, 20.0
    plot = height - top - bottom
    peak = max((Decimal(value) for _, value, _ in points), default=Decimal(0))
    slot = width / max(len(points), 1)
    bars = []
    for index, (label, value, title) in enumerate(points):
        bar_height = float(Decimal(value) / peak) * plot if peak > 0 else 0.0
        bars.append(
            Bar(
                x=round(index * slot + slot * 0.15, 2),
                y=round(top + plot - bar_height, 2),
                width=round(slot * 0.7, 2),
                height=round(bar_height, 2),
                label=label,
                title=title,
            )
        )
    return BarChart(width, height, top + plot, bars, max_label)
