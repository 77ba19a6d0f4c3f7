"""Preceptor protected time: the financial year, the allowance by standard, used, left and short by."""

from __future__ import annotations

from datetime import date

import pytest

from pathways import SettingsError, load_catalogue
from pathways.protected_time import Ledger, allowance, year_of

PRECEPTORSHIP = load_catalogue().latest("preceptorship")


@pytest.mark.parametrize(
    ("on", "year"),
    [
        (date(2026, 3, 31), (date(2025, 4, 1), date(2026, 3, 31))),
        (date(2026, 4, 1), (date(2026, 4, 1), date(2027, 3, 31))),
        (date(2027, 1, 15), (date(2026, 4, 1), date(2027, 3, 31))),
    ],
)
def test_the_year_is_the_nhs_financial_year(on, year):
    assert year_of(on) == year


@pytest.mark.parametrize(("standard", "hours"), [("core", 8.0), ("gold", 12.0)])
def test_the_allowance_follows_the_standard(standard, hours):
    assert allowance(PRECEPTORSHIP.resolve_settings({"standard": standard})) == hours


def test_an_organisation_may_give_more_protected_time_but_not_less_than_the_national_minimum():
    more = PRECEPTORSHIP.resolve_settings({"standard": "gold", "preceptor_protected_hours_gold": 15})
    assert allowance(more) == 15.0
    with pytest.raises(SettingsError, match="at least 12"):
        PRECEPTORSHIP.resolve_settings({"preceptor_protected_hours_gold": 10})


def _ledger(on: date, used: float, hours: float = 12.0) -> Ledger:
    return Ledger(date(2026, 4, 1), date(2027, 3, 31), on, hours, used)


def test_used_and_left_and_the_share_due_by_now():
    ledger = _ledger(date(2026, 12, 1), 5.0)  # April to November over: 8 twelfths of 12 hours are due
    assert (ledger.left, ledger.months_over, ledger.expected, ledger.short_by) == (7.0, 8, 8.0, 3.0)


@pytest.mark.parametrize(
    ("on", "expected"),
    [(date(2026, 4, 30), 0.0), (date(2026, 5, 1), 1.0), (date(2027, 3, 31), 11.0)],
)
def test_a_twelfth_falls_due_as_each_month_ends(on, expected):
    assert _ledger(on, 0.0).expected == expected


def test_core_shares_are_rounded_to_hundredths_of_an_hour_and_nothing_is_left_once_used_up():
    assert _ledger(date(2026, 11, 25), 0.0, hours=8.0).expected == 4.67
    over = _ledger(date(2026, 11, 25), 13.5)
    assert (over.left, over.short_by) == (0.0, 0.0)
