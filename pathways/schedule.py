"""Date maths: the programme clock, holds that stop it, review slots and targets.

Dates are computed "as if never held" first (nominal), then moved by the days held
before them, so that one rule explains every due date.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from pathways.facts import EnrolmentFacts
from pathways.model import Definition, ReviewSchedule
from pathways.targets import rule_target
from pathways.wording import format_date as format_date  # re-exported: callers import it from here
from pathways.wording import plural


def add_months(day: date, months: int) -> date:
    """Same day of the month ``months`` later, clamped to the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Clock:
    """The programme clock for one enrolment on ``as_of``."""

    start: date
    started: bool
    holds: tuple[tuple[date, int], ...]  # (start, days) with open holds counted to as_of
    as_of: date

    def shift(self, nominal: date) -> date:
        """Move a nominal date by every day held before it (an open hold counts to as_of)."""
        moved = nominal
        for start, days in self.holds:
            if start <= moved:
                moved += timedelta(days=days)
        return moved

    def days_on_hold(self, until: date | None = None) -> int:
        """Days held from the clock start up to ``until`` (default as_of)."""
        limit = until or self.as_of
        total = 0
        for start, days in self.holds:
            end = min(start + timedelta(days=days), limit)
            total += max(0, (end - start).days)
        return total

    def clock_days(self) -> int:
        """Days the clock has run: elapsed since start, less the days held."""
        if not self.started or self.as_of <= self.start:
            return 0
        return (self.as_of - self.start).days - self.days_on_hold()


def clock_start(definition: Definition, facts: EnrolmentFacts) -> tuple[date, bool]:
    """When the programme clock started, and whether it has (an apprenticeship starts later)."""
    key = definition.clock_stage
    if key is None:
        return facts.start_date, True
    if facts.stage == key:
        return facts.stage_entered_on, True
    if key in facts.stage_dates:
        return facts.stage_dates[key], True
    if definition.stage_index(facts.stage) > definition.stage_index(key):
        raise ValueError(f"facts.stage_dates must give the day {key!r} was entered")
    # Not there yet: plan as if it started today, so targets can still be shown.
    return max(facts.as_of, facts.start_date), False


def make_clock(definition: Definition, facts: EnrolmentFacts) -> Clock:
    start, started = clock_start(definition, facts)
    holds: list[tuple[date, int]] = []
    for hold in sorted(facts.holds, key=lambda h: h.start):
        end = hold.end if hold.end is not None else max(facts.as_of, hold.start)
        begin = max(hold.start, start)
        if end > begin:
            holds.append((begin, (end - begin).days))
        elif hold.end is None:
            holds.append((begin, 0))
    return Clock(start, started, tuple(holds), facts.as_of)


def duration_months(definition: Definition, start: date, settings: dict[str, Any]) -> int:
    """The local setting, unless a national minimum for this start date is longer."""
    value = int(settings.get(definition.duration_setting, 0))
    for rule in definition.duration_minimums:
        if rule.rule.applies(start):
            value = max(value, rule.months)
    return value


def duration_end(definition: Definition, start: date, settings: dict[str, Any]) -> date:
    """Nominal end of the minimum programme length, before holds."""
    amount = duration_months(definition, start, settings)
    if definition.duration_unit == "weeks":
        return start + timedelta(weeks=amount)
    return add_months(start, amount)


def duration_label(definition: Definition, start: date, settings: dict[str, Any]) -> str:
    unit = "week" if definition.duration_unit == "weeks" else "month"
    return plural(duration_months(definition, start, settings), unit)


def hours_target(
    definition: Definition,
    start: date,
    settings: dict[str, Any],
    contracted_hours: float | None = None,
    prior_learning_hours: float = 0.0,
) -> float:
    """The largest of the hours rules that apply to this start date (0 when none)."""
    end = duration_end(definition, start, settings)
    weeks = (end - start).days / 7
    months = duration_months(definition, start, settings)
    if definition.duration_unit == "weeks":
        months = round(weeks * 12 / 52)
    targets = [
        rule_target(
            rule,
            weeks=weeks,
            months=months,
            settings=settings,
            contracted_hours=contracted_hours,
            prior_learning_hours=prior_learning_hours,
        )
        for rule in definition.hours_rules
        if rule.rule.applies(start)
    ]
    return float(max(targets, default=0.0))


def pick_schedule(definition: Definition, start: date, settings: dict[str, Any]) -> ReviewSchedule | None:
    for schedule in definition.review_schedules:
        if not schedule.rule.applies(start):
            continue
        if all(settings.get(k) == v for k, v in schedule.when.items()):
            return schedule
    return None


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
