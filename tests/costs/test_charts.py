"""The daily chart of Relatórios > Custos: bars on a value axis with round ticks."""

from __future__ import annotations

from decimal import Decimal

from creditcheck.costs.charts import AXIS_WIDTH, bar_chart


def test_axis_ticks_are_round_and_reach_the_peak() -> None:
    chart = bar_chart([("1", 3, "a"), ("2", 7, "b"), ("3", 0, "c")], height=180)

    assert [tick.label for tick in chart.ticks] == ["0", "2", "4", "6", "8"]
    # 0 on the baseline, 8 at the plot's top (12 px from the top, 20 px above the bottom)
    assert (chart.ticks[0].y, chart.ticks[-1].y) == (chart.baseline, 12.0)
    tallest = chart.bars[1]
    assert (tallest.y, tallest.height) == (30.5, 129.5)  # 7/8 of the 148 px plot
    assert chart.bars[0].x >= AXIS_WIDTH


def test_axis_of_an_empty_month_is_zero_to_one() -> None:
    chart = bar_chart([("1", 0, "a"), ("2", 0, "b")])

    assert [tick.label for tick in chart.ticks] == ["0", "1"]
    assert [bar.height for bar in chart.bars] == [0.0, 0.0]


def test_axis_labels_use_the_given_format() -> None:
    chart = bar_chart([("1", Decimal("25"), "a")], axis_label=lambda v: f"{v:.0f} un.")

    assert [tick.label for tick in chart.ticks] == ["0 un.", "10 un.", "20 un.", "30 un."]


def test_axis_of_small_counts_steps_by_whole_queries() -> None:
    chart = bar_chart([("1", 1, "a"), ("2", 2, "b")])

    assert [tick.label for tick in chart.ticks] == ["0", "1", "2"]
