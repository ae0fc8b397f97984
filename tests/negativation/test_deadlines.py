"""Business days and legal deadlines, with the real holiday calendar."""

from __future__ import annotations

import datetime as dt

from creditcheck.negativation.deadlines import (
    expiry_date,
    is_business_day,
    oldest_includable_due_date,
    removal_deadline,
)


def test_removal_deadline_friday_before_carnival_skips_carnival() -> None:
    # Paid Fri 5 Feb 2027; Mon 8 and Tue 9 are Carnival; day 1 is Wed 10 (Ash Wednesday).
    assert removal_deadline(dt.date(2027, 2, 5), "SP") == dt.date(2027, 2, 16)


def test_removal_deadline_plain_week() -> None:
    # Paid Mon 23 Nov 2026: Tue 24 (1) … Fri 27 (4), Mon 30 (5).
    assert removal_deadline(dt.date(2026, 11, 23), "MG") == dt.date(2026, 11, 30)


def test_removal_deadline_counts_state_holiday() -> None:
    # 9 Jul is a São Paulo state holiday (Revolução Constitucionalista), not in Minas Gerais.
    assert removal_deadline(dt.date(2027, 7, 7), "SP") == dt.date(2027, 7, 15)
    assert removal_deadline(dt.date(2027, 7, 7), "MG") == dt.date(2027, 7, 14)


def test_business_day_rules() -> None:
    assert is_business_day(dt.date(2026, 11, 27), "SP") is True  # Friday
    assert is_business_day(dt.date(2026, 11, 28), "SP") is False  # Saturday
    assert is_business_day(dt.date(2026, 11, 20), "SP") is False  # Consciência Negra
    assert is_business_day(dt.date(2027, 5, 27), "PR") is False  # Corpus Christi (bank holiday)


def test_five_year_limits() -> None:
    assert oldest_includable_due_date(dt.date(2026, 11, 29)) == dt.date(2021, 12, 29)
    assert oldest_includable_due_date(dt.date(2026, 3, 31)) == dt.date(2021, 4, 30)
    assert expiry_date(dt.date(2024, 2, 29)) == dt.date(2029, 2, 28)
    assert expiry_date(dt.date(2021, 12, 29)) == dt.date(2026, 12, 29)
