"""Simulate learners' journeys through a programme: events, reviews, sign-offs and hours.

Pure Python and numpy, no database: ``bench.generate`` writes what this produces. Dates are
planned on the programme clock (days not on hold) and mapped to the calendar, so holds,
extensions, withdrawals and completions line up as the services would have written them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from pathways import Definition
from pathways.review_plan import nominal_reviews
from pathways.schedule import duration_end, pick_schedule

SKIPPED_STAGES = {"further_support"}  # a branch most learners never take


@dataclass
class Rows:
    """Plain tuples per table, in the column order of ``bench.generate.COLUMNS``."""

    transition_events: list[tuple] = field(default_factory=list)
    reviews: list[tuple] = field(default_factory=list)
    review_confirmations: list[tuple] = field(default_factory=list)
    sign_off_events: list[tuple] = field(default_factory=list)
    checks: list[tuple] = field(default_factory=list)
    confirmations: list[tuple] = field(default_factory=list)
    # Per enrolment, for the vectorised hours: (enrolment, learner, start, clock days, hold at, hold days, kind)
    hours_spans: list[tuple] = field(default_factory=list)


@dataclass
class Ids:
    """Next free primary key per table (ids are given explicitly so rows can refer to each other)."""

    next: dict[str, int]

    def take(self, table: str) -> int:
        value = self.next[table]
        self.next[table] = value + 1
        return value


def plan(definition: Definition, start: date) -> tuple[int, tuple[tuple[str, int], ...]]:
    """Programme length in days and the nominal review slots (key, day offset) for this start."""
    return _plan(definition.key, definition.version, start, definition)


_PLANS: dict[tuple[str, int, date], tuple[int, tuple[tuple[str, int], ...]]] = {}


def _plan(key: str, version: int, start: date, definition: Definition) -> tuple[int, tuple[tuple[str, int], ...]]:
    if (key, version, start) in _PLANS:
        return _PLANS[(key, version, start)]
    settings = definition.resolve_settings({})
    end = duration_end(definition, start, settings)
    schedule = pick_schedule(definition, start, settings)
    slots = () if schedule is None else nominal_reviews(schedule, start, end)
    result = (end - start).days, tuple((slot, (due - start).days) for slot, _, due in slots)
    _PLANS[(key, version, start)] = result
    return result


def path(definition: Definition) -> list[str]:
    return [s.key for s in definition.stages if s.key not in SKIPPED_STAGES]


def simulate(
    rng: random.Random,
    ids: Ids,
    rows: Rows,
    enrolment: tuple[int, int, int, date],
    definition: Definition,
    competency_ids: list[int],
    today: date,
    in_progress: bool = False,
) -> tuple[str, str, date]:
    """Write one enrolment's history into ``rows``; returns its stage, state and stage-entered date today.

    ``in_progress``: no hold, extension or withdrawal, so an enrolment started within its
    programme's length is active today.
    """
    enrolment_id, learner_id, preceptor_id, start = enrolment
    length, slots = plan(definition, start)
    stages = path(definition)
    hold_at = hold_days = 0
    if rng.random() < 0.12:
        hold_at, hold_days = rng.randint(14, max(15, int(length * 0.7))), rng.randint(14, 150)
    extension = rng.randint(30, 120) if rng.random() < 0.06 else 0
    withdraw_at = rng.randint(20, max(21, length)) if rng.random() < 0.08 else None
    finish_at = length + extension + rng.choice((0, 0, 0, 3, 10, 25, 60))
    if withdraw_at is not None and hold_days and hold_at >= withdraw_at:
        hold_at = hold_days = 0
    if in_progress:
        hold_at = hold_days = extension = 0
        withdraw_at = None

    def cal(offset: int) -> date:
        return start + timedelta(days=offset + (hold_days if hold_days and offset >= hold_at else 0))

    events: list[tuple[date, str, str, str]] = [(start, "enrol", stages[0], "active")]
    last = len(stages) - 1
    for k in range(1, last + 1):
        offset = finish_at if k == last else int(length * k / last)
        if withdraw_at is not None and offset >= withdraw_at:
            break
        events.append((cal(offset), "advance", stages[k], "completed" if k == last else "active"))
    if hold_days:
        events.append((start + timedelta(days=hold_at), "hold", "", "on_hold"))
        events.append((start + timedelta(days=hold_at + hold_days), "resume", "", "active"))
    new_end = None
    if extension and (withdraw_at is None or withdraw_at > int(length * 0.85)):
        new_end = cal(length) + timedelta(days=extension)
        events.append((cal(int(length * 0.85)), "extend", "", ""))
    if withdraw_at is not None:
        events.append((cal(withdraw_at), "withdraw", "", "withdrawn"))
    events.sort(key=lambda e: (e[0], e[1] != "enrol"))
    stage, state, entered = stages[0], "active", start
    for on, action, to_stage, to_state in events:
        if on > today and action != "enrol":
            break
        from_stage, from_state = stage, state
        if to_stage and to_stage != stage:
            stage, entered = to_stage, on
        state = to_state or state
        rows.transition_events.append(
            (
                ids.take("transition_events"),
                enrolment_id,
                action,
                None if action == "enrol" else from_stage,
                stage,
                None if action == "enrol" else from_state,
                state,
                on,
                new_end if action == "extend" else None,
                REASONS.get(action, ""),
                preceptor_id,
            )
        )
    ended = today if state in ("active", "on_hold") else max(e[0] for e in events if e[0] <= today)
    _reviews(rng, ids, rows, enrolment, slots, cal, ended)
    progress = stages.index(stage) / last
    _sign_offs(rng, ids, rows, enrolment, competency_ids, progress, cal)
    rows.checks.append(
        (
            ids.take("checks"),
            enrolment_id,
            "dbs",
            "cleared",
            start - timedelta(days=rng.randint(10, 60)),
            "",
            preceptor_id,
        )
    )
    if state == "completed":
        rows.confirmations.append((ids.take("confirmations"), enrolment_id, "final_signoff", "", preceptor_id))
    held = min(hold_days, max(0, (ended - start).days - hold_at)) if hold_days else 0
    clock_days = max(0, (ended - start).days - held)
    kind = "off_the_job" if "apprenticeship" in definition.key else "protected_learning"
    rows.hours_spans.append((enrolment_id, learner_id, start, clock_days, hold_at, hold_days, kind))
    return stage, state, entered


REASONS = {
    "hold": "Sickness absence",
    "withdraw": "Left the trust",
    "extend": "Agreed extension after time away from practice",
}


def _reviews(rng, ids, rows, enrolment, slots, cal, ended) -> None:
    enrolment_id, learner_id, preceptor_id, _ = enrolment
    for key, offset in slots:
        held = cal(offset) + timedelta(days=rng.randint(-5, 21))
        if held > ended or rng.random() < 0.08:
            continue
        review_id = ids.take("reviews")
        rows.reviews.append((review_id, enrolment_id, key, cal(offset), held, "on_track", "", "", None, preceptor_id))
        if rng.random() < 0.9:
            rows.review_confirmations.append((ids.take("review_confirmations"), review_id, preceptor_id, "preceptor"))
            rows.review_confirmations.append((ids.take("review_confirmations"), review_id, learner_id, "learner"))


def _sign_offs(rng, ids, rows, enrolment, competency_ids, progress, cal) -> None:
    enrolment_id, _, preceptor_id, _ = enrolment
    count = min(len(competency_ids), 10, round(progress * min(len(competency_ids), 10)))
    for n, competency_id in enumerate(competency_ids[:count]):
        rows.sign_off_events.append(
            (
                ids.take("sign_off_events"),
                enrolment_id,
                competency_id,
                1,  # the first step of the competency's sign-off sequence
                "signed",
                "",
                "",
                preceptor_id,
                cal(20 + 15 * n),
            )
        )


def hours(spans: list[tuple], total_rows: int, seed: int) -> dict[str, np.ndarray]:
    """Logged-hours rows for every enrolment at once: about ``total_rows``, spread over each clock."""
    gen = np.random.default_rng(seed)
    enrolment_id, learner_id, start, clock_days, hold_at, hold_days, kind = (
        np.array(c) for c in zip(*spans, strict=True)
    )
    weeks = clock_days / 7
    scale = total_rows / max(1.0, weeks.sum())
    per = np.floor(weeks * scale + gen.random(len(weeks))).astype(np.int64)
    repeat = np.repeat(np.arange(len(per)), per)
    offset = np.floor(gen.random(len(repeat)) * clock_days[repeat]).astype(np.int64)
    offset += np.where((hold_days[repeat] > 0) & (offset >= hold_at[repeat]), hold_days[repeat], 0)
    worked = np.array(start, dtype="datetime64[D]")[repeat] + offset
    return {
        "enrolment_id": enrolment_id[repeat],
        "kind": kind[repeat],
        "worked_on": worked,
        "hours": gen.integers(2, 13, len(repeat)) * 0.25,
        "activity_type": np.array(ACTIVITIES)[gen.integers(0, len(ACTIVITIES), len(repeat))],
        "created_by_id": learner_id[repeat],
        "removed": gen.random(len(repeat)) < 0.005,
    }


ACTIVITIES = ["study_day", "reflective_practice", "e_learning", "shadowing", "clinical_supervision", "simulation"]
