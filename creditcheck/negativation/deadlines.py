"""Business days and the legal deadlines of negativações.

- Removal: 5 business days counted from the first business day after payment (STJ Súmula 548;
  REsp 1.424.792). We count that first business day as day 1, the earlier of the two readings,
  so we never rely on the later one.
- Business days exclude weekends, national holidays, the branch's state holidays and the bank
  holidays of Carnival (Monday and Tuesday) and Corpus Christi, when money paid is not made
  available ("disponibilização do numerário").
- Five-year ceiling: a record must be gone by due date + 5 years (CDC art. 43 §1, Súmula 323);
  bureaus accept debts at most 4 years 11 months after the due date.
"""

import datetime as dt
from functools import lru_cache

import holidays

REMOVAL_BUSINESS_DAYS = 5
BANK_HOLIDAY_NAMES = frozenset({"Carnival", "Corpus Christi"})


@lru_cache(maxsize=256)
def _closed_days(state: str, year: int) -> frozenset[dt.date]:
    subdiv = state.upper() or None
    public = holidays.Brazil(subdiv=subdiv, years=year, language="en_US")
    optional = holidays.Brazil(
        subdiv=subdiv, years=year, language="en_US", categories=("optional",)
    )
    bank = {day for day, name in optional.items() if name in BANK_HOLIDAY_NAMES}
    return frozenset(public.keys()) | frozenset(bank)


def is_business_day(day: dt.date, state: str) -> bool:
    return day.weekday() < 5 and day not in _closed_days(state, day.year)


def next_business_day(day: dt.date, state: str) -> dt.date:
    """The first business day strictly after `day`."""
    day += dt.timedelta(days=1)
    while not is_business_day(day, state):
        day += dt.timedelta(days=1)
    return day


def add_business_days(day: dt.date, count: int, state: str) -> dt.date:
    """The `count`-th business day after `day` (count >= 1)."""
    for _ in range(count):
        day = next_business_day(day, state)
    return day


def business_days_between(start: dt.date, end: dt.date, state: str) -> int:
    """Business days in (start, end]; negative when end is before start."""
    if end < start:
        return -business_days_between(end, start, state)
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        if is_business_day(day, state):
            count += 1
    return count


def removal_deadline(paid_on: dt.date, state: str) -> dt.date:
    """Last day to have the record removed after a payment on `paid_on` in `state`."""
    return add_business_days(paid_on, REMOVAL_BUSINESS_DAYS, state)


def oldest_includable_due_date(today: dt.date) -> dt.date:
    """Debts due before this date are too old to register (4 years 11 months)."""
    months = today.year * 12 + today.month - 1 - (4 * 12 + 11)
    year, month = divmod(months, 12)
    month += 1
    day = min(today.day, _month_length(year, month))
    return dt.date(year, month, day)


def expiry_date(due_date: dt.date) -> dt.date:
    """Day the record must be excluded: due date + 5 years (29 Feb → 28 Feb)."""
    try:
        return due_date.replace(year=due_date.year + 5)
    except ValueError:
        return due_date.replace(year=due_date.year + 5, day=28)


def _month_length(year: int, month: int) -> int:
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    return (nxt - dt.timedelta(days=1)).day
