"""When each review falls due: fixed meetings (initial, midpoint, completion) and repeating ones.

A repeating review falls due one interval after the one before it. On a ``rolling`` schedule (DfE
apprenticeship funding rules: every 12 weeks; every 3 calendar months for starts from 1 August 2025)
that is the last review held, so a late review moves the next one; otherwise the grid runs from the
start (NHS England gold preceptorship: at least every 2 months). A fixed meeting that falls due
within a quarter of an interval after the next repeating review is brought forward to it and is that
review, so the gap before it is never longer than the interval. An agreed alternative frequency
replaces the interval from the day it was agreed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from pathways.facts import AgreedFrequency, EnrolmentFacts, ReviewRecord
from pathways.model import ReviewSchedule
from pathways.results import ReviewSlot
from pathways.schedule import Clock, add_months

if TYPE_CHECKING:
    from pathways.memo import Memo, Plan


@dataclass(frozen=True)
class Interval:
    weeks: int = 0
    months: int = 0

    def after(self, day: date) -> date:
        return add_months(day, self.months) if self.months else day + timedelta(weeks=self.weeks)

    def days(self) -> int:
        return 7 * self.weeks + 30 * self.months


def _shift_after(clock: Clock, anchor: date, day: date) -> date:
    """Move ``day`` by the days of every hold that began on or after ``anchor`` and before it."""
    moved = day
    for start, days in clock.holds:
        if anchor <= start <= moved:
            moved += timedelta(days=days)
    return moved


def _fixed(schedule: ReviewSchedule, clock: Clock, end: date) -> list[tuple[str, str, date, bool]]:
    """(key, title, due with holds, is the completion) for the schedule's fixed meetings."""
    midpoint = clock.start + timedelta(days=(end - clock.start).days // 2)
    slots = []
    for spec in schedule.slots:
        nominal = {"midpoint": midpoint, "end": end}.get(spec.at, clock.start + timedelta(days=spec.days))
        slots.append((spec.key, spec.title, clock.shift(nominal), spec.at == "end"))
    return sorted(slots, key=lambda slot: slot[2])


def plan_reviews(
    schedule: ReviewSchedule,
    clock: Clock,
    end: date,
    held: Mapping[str, ReviewRecord],
    agreed: AgreedFrequency | None = None,
) -> list[tuple[str, str, date]]:
    """(key, title, due) for every review up to the end of the programme (``end`` before holds)."""
    national = Interval(schedule.every_weeks or 0, schedule.every_months or 0)
    fixed = _fixed(schedule, clock, end)
    if not national.days():
        return [(key, title, due) for key, title, due, _ in fixed]
    other = Interval(agreed.every_weeks or 0, agreed.every_months or 0) if agreed else Interval()
    agreed_on = agreed.agreed_on if agreed and agreed.agreed_on else date.max
    last = clock.shift(end)
    anchor, number, plan = clock.start, 1, []
    while True:
        interval = other if other.days() and other.after(anchor) >= agreed_on else national
        due = _shift_after(clock, anchor, interval.after(anchor))
        near = timedelta(days=interval.days() // 4)
        if fixed and (fixed[0][2] <= due or (not fixed[0][3] and fixed[0][2] - due <= near)):
            key, title, fixed_due, _ = fixed.pop(0)
            plan.append((key, title, min(due, fixed_due)))
            record = held.get(key)
            if schedule.rolling and record is not None:
                anchor = record.held_on
            elif fixed_due >= due:  # brought forward: the grid runs on from it
                anchor = due
            continue
        if due > last or (due == last and fixed):
            plan += [(key, title, fixed_due) for key, title, fixed_due, _ in fixed]
            return plan
        key, title = f"review_{number}", schedule.interval_title.format(n=number)
        number += 1
        plan.append((key, title, due))
        record = held.get(key)
        anchor = record.held_on if schedule.rolling and record is not None else due


def nominal_reviews(schedule: ReviewSchedule, start: date, end: date) -> list[tuple[str, str, date]]:
    """The plan as if nothing were held and no day on hold: what a report expects of a start date."""
    return plan_reviews(schedule, Clock(start, True, (), start), end, {})


def review_slots(
    schedule: ReviewSchedule | None, clock: Clock, end: date, facts: EnrolmentFacts, memo: Memo | None = None
) -> tuple[ReviewSlot, ...]:
    """Each review due, with when it was held and whether both sides confirmed it (none before the clock starts).

    With ``memo`` (the definition's, ``schedule`` one of its own), the plan is remembered by what it
    depends on: the clock's start and holds, the end, the agreed frequency and, on a rolling schedule
    only, the day each review was held.
    """
    if not clock.started or schedule is None:
        return ()
    held = {r.slot: r for r in facts.reviews}
    agreed = facts.review_frequency

    def work() -> list[tuple[str, str, date]]:
        return plan_reviews(schedule, clock, end, held, agreed)

    if memo is None:
        plan: Plan = tuple((key, title, due, ReviewSlot(key, title, due)) for key, title, due in work())
    else:
        rolled = tuple((key, record.held_on) for key, record in held.items()) if schedule.rolling else ()
        plan = memo.plan(schedule, (clock.start, clock.holds, end, agreed, rolled), work)
    if not held:
        return tuple(blank for _key, _title, _due, blank in plan)
    slots = []
    for key, title, due, blank in plan:
        record = held.get(key)
        if record is None:
            slots.append(blank)
            continue
        confirmed = bool(record.confirmed_by_learner and record.confirmed_by_preceptor)
        slots.append(ReviewSlot(key, title, due, record.held_on, confirmed))
    return tuple(slots)
