"""Preceptor protected time: the hours a preceptor is given each year for the role, and who is short of them.

National preceptorship framework for nursing (NHS England, 2022): a preceptor has 8 hours of protected
time a year at the core standard and 12 at the gold standard. The year is the NHS financial year,
1 April to 31 March. A preceptor is short of time when the hours used fall below a twelfth of the
year's allowance for each month of the year already over (8 hours by 1 December at gold).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

YEAR_STARTS_MONTH = 4


def year_of(on: date) -> tuple[date, date]:
    """The financial year holding ``on``: its first and last day."""
    first = on.year if on.month >= YEAR_STARTS_MONTH else on.year - 1
    return date(first, YEAR_STARTS_MONTH, 1), date(first + 1, YEAR_STARTS_MONTH - 1, 31)


def allowance(settings: Mapping[str, Any]) -> float:
    """Hours a year at the organisation's standard, as the organisation set them (never below national)."""
    return float(settings[f"preceptor_protected_hours_{settings['standard']}"])


@dataclass(frozen=True)
class Ledger:
    """One preceptor's year: the allowance, the hours used by ``on``, and what follows from them."""

    year_start: date
    year_end: date
    on: date
    allowance: float
    used: float

    @property
    def left(self) -> float:
        return max(round(self.allowance - self.used, 2), 0.0)

    @property
    def months_over(self) -> int:
        """Whole months of the year before the month of ``on``."""
        return (self.on.year - self.year_start.year) * 12 + self.on.month - self.year_start.month

    @property
    def expected(self) -> float:
        """The share of the allowance due by now: a twelfth for each month over."""
        return round(self.allowance * self.months_over / 12, 2)

    @property
    def short_by(self) -> float:
        return max(round(self.expected - self.used, 2), 0.0)
