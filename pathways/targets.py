"""Hours targets by the rules of a start date: weekly, a share of contracted hours, or a total.

The apprenticeship rules are the reason for most of this (DfE apprenticeship funding rules): 20% of
contracted hours before August 2022; 6 hours a week from 30 contracted hours (20% below) over the
planned length less statutory leave from August 2022; the standard's published minimum, never below
187 hours and reduced only by recorded prior learning, from August 2025.
"""

from __future__ import annotations

import math
from typing import Any

from pathways.model import HoursRule

# Agenda for Change full time; the figure the rules read when contracted hours are not recorded.
FULL_TIME_HOURS = 37.5
WEEKS_A_YEAR = 52


def weekly_hours(contracted_hours: float | None) -> float:
    """The learner's contracted hours a week, full time when not recorded."""
    return FULL_TIME_HOURS if contracted_hours is None else contracted_hours


def pro_rated_days(full_time_weeks: int, contracted_hours: float | None) -> int:
    """A full-time expectation in weeks, in days at the learner's contracted hours (longer part time,
    never shorter than full time): 12 weeks at 22.5 hours a week are 20 weeks."""
    share = min(1.0, weekly_hours(contracted_hours) / FULL_TIME_HOURS) if weekly_hours(contracted_hours) > 0 else 1.0
    return math.ceil(round(full_time_weeks * 7 / share, 6))


def _whole(hours: float) -> float:
    """Round a target up to whole hours (after a cent's tolerance, so 280.0000001 stays 280)."""
    return float(math.ceil(round(hours, 2)))


def weekly_target(rule: HoursRule, contracted_hours: float | None) -> float | None:
    """Hours a week this rule asks for at these contracted hours (None: the rule is not weekly)."""
    hours = weekly_hours(contracted_hours)
    threshold = rule.per_week_from_contracted
    if rule.per_week is not None and (threshold is None or hours >= threshold):
        return rule.per_week
    if rule.percent_of_contracted is not None:
        return hours * rule.percent_of_contracted / 100
    return None


def rule_target(
    rule: HoursRule,
    *,
    weeks: float,
    months: int,
    settings: dict[str, Any],
    contracted_hours: float | None,
    prior_learning_hours: float,
) -> float:
    """One rule's target over a planned length of ``weeks`` (``months`` for monthly rules)."""
    best = 0.0
    weekly = weekly_target(rule, contracted_hours)
    if weekly is not None:
        working_weeks = weeks - rule.less_leave_weeks_a_year * weeks / WEEKS_A_YEAR
        best = max(best, _whole(weekly * working_weeks))
    per_month = rule.per_month
    if rule.per_month_setting is not None:
        per_month = float(settings[rule.per_month_setting])
    if per_month is not None:
        best = max(best, per_month * months)
    published = float(settings[rule.total_setting]) if rule.total_setting is not None else None
    if published is not None:
        reduced = published - (prior_learning_hours if rule.less_prior_learning else 0.0)
        best = max(best, reduced, rule.total or 0.0)
    elif rule.total is not None:
        best = max(best, rule.total)
    return best
