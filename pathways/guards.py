"""The registry of named guards a definition may put on a transition.

A guard returns every reason it fails, in plain words (an empty list means it
passes), so a learner sees all that stands in the way rather than the first thing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from pathways.facts import EnrolmentFacts
from pathways.model import Competency, Definition, GuardRef
from pathways.results import ReviewSlot
from pathways.schedule import Clock, age_on, format_date, plural
from pathways.vocabulary import GUARDED_CHECKS

CHECK_TITLES = GUARDED_CHECKS
PASSED_RESULTS = {"cleared", "exempt"}
# From this date learners aged 19 or over may opt out of English and maths (decision recorded).
ENGLISH_MATHS_OPTIONAL_FROM = date(2025, 2, 11)


@dataclass(frozen=True)
class Context:
    """Everything a guard may look at, worked out once per evaluation."""

    definition: Definition
    facts: EnrolmentFacts
    settings: dict[str, Any]
    clock: Clock
    competencies: tuple[Competency, ...]
    review_slots: tuple[ReviewSlot, ...]
    duration_end: date  # minimum length reached on this day (holds added)
    duration_label: str
    hours_target: float


Check = Callable[[Context, "str | None"], list[str]]


@dataclass(frozen=True)
class GuardSpec:
    check: Check
    arg: str  # none | group | confirmation | check | profession_groups
    route: bool = False  # chooses a branch rather than measuring progress
    doc: str = ""


def _has_preceptor(ctx: Context, arg: str | None) -> list[str]:
    return [] if ctx.facts.has_preceptor else [f"No named {ctx.definition.preceptor_title} assigned"]


def _profession(ctx: Context, arg: str | None, wanted: bool) -> list[str]:
    groups = (arg or "").split("|")
    names = " or ".join(g.replace("_", " ") for g in groups)
    if not ctx.facts.profession:
        return ["Profession not recorded"]
    group = ctx.definition.profession_group(ctx.facts.profession)
    if group is None:
        return [f"Profession '{ctx.facts.profession}' is not known to this programme"]
    if (group in groups) == wanted:
        return []
    if wanted:
        return [f"Only for {names} (this learner is {group.replace('_', ' ')})"]
    return [f"Not for {names} (this learner is {group.replace('_', ' ')})"]


def _supernumerary_done(ctx: Context, arg: str | None) -> list[str]:
    hours = float(ctx.definition.rules.get("supernumerary_hours", 75))
    weeks = int(ctx.definition.rules.get("supernumerary_weeks", 2))
    done_on = ctx.clock.shift(ctx.facts.stage_entered_on + timedelta(weeks=weeks))
    if ctx.facts.supernumerary_hours >= hours or ctx.facts.as_of >= done_on:
        return []
    return [
        f"Supernumerary period not yet complete: {ctx.facts.supernumerary_hours:g} of "
        f"{hours:g} hours logged, or {plural(weeks, 'week')} end on {format_date(done_on)}"
    ]


def _missing(ctx: Context, group_key: str) -> list[str]:
    group = ctx.definition.group(group_key)
    items = [c for c in ctx.competencies if c.group == group_key]
    missing = [c for c in items if c.key not in ctx.facts.signed_off]
    if not missing:
        return []
    return [f"{len(missing)} of {len(items)} {group.noun} not yet signed off"]


def _group_signed(ctx: Context, arg: str | None) -> list[str]:
    return _missing(ctx, arg or "")


def _all_signed(ctx: Context, arg: str | None) -> list[str]:
    reasons: list[str] = []
    for group in ctx.definition.competency_groups:
        reasons += _missing(ctx, group.key)
    return reasons


def _compulsory_signed(ctx: Context, arg: str | None) -> list[str]:
    noun = ctx.definition.group(arg or "").noun.rstrip("s")
    return [
        f"Compulsory {noun} not yet signed off: {c.title}"
        for c in ctx.competencies
        if c.group == arg and c.compulsory and c.key not in ctx.facts.signed_off
    ]


def _reviews_held(ctx: Context, arg: str | None) -> list[str]:
    learner, reviewer = ctx.definition.review_roles
    by_slot = {r.slot: r for r in ctx.facts.reviews}
    reasons: list[str] = []
    for slot in ctx.review_slots:
        record = by_slot.get(slot.key)
        if record is None:
            reasons.append(f"{slot.title} not yet held")
            continue
        missing = [
            role
            for role, done in (
                (learner, record.confirmed_by_learner),
                (reviewer, record.confirmed_by_preceptor),
            )
            if not done
        ]
        if missing:
            reasons.append(f"{slot.title} not yet confirmed by the " + " and the ".join(missing))
    return reasons


def _duration_reached(ctx: Context, arg: str | None) -> list[str]:
    if ctx.clock.started and ctx.facts.as_of >= ctx.duration_end:
        return []
    if not ctx.clock.started:
        stage = ctx.definition.stage(ctx.definition.clock_stage or "").title
        return [f"Programme length not yet reached: {ctx.duration_label} from the start of {stage}"]
    return [f"Programme length not yet reached: {ctx.duration_label} end on {format_date(ctx.duration_end)}"]


def _hours_met(ctx: Context, arg: str | None) -> list[str]:
    if ctx.facts.hours_logged >= ctx.hours_target:
        return []
    return [f"{ctx.facts.hours_logged:g} of {ctx.hours_target:g} {ctx.definition.hours_label} logged"]


def _check_cleared(ctx: Context, arg: str | None) -> list[str]:
    result = ctx.facts.checks.get(arg or "")
    return [] if result in PASSED_RESULTS else [f"{CHECK_TITLES[arg or '']} not cleared"]


def _assessment_reasons(ctx: Context) -> list[str]:
    reasons = []
    for kind in ("english", "maths"):
        result = ctx.facts.checks.get(kind)
        title = CHECK_TITLES[kind]
        if result in (None, "pending"):
            reasons.append(f"{title} assessment not yet done")
        elif result not in ("ready", "exempt", "cleared"):
            reasons.append(f"{title} assessment: not yet ready")
    return reasons


def _assessment_ready(ctx: Context, arg: str | None) -> list[str]:
    return _assessment_reasons(ctx)


def _assessment_not_ready(ctx: Context, arg: str | None) -> list[str]:
    results = [ctx.facts.checks.get(k) for k in ("english", "maths")]
    if "not_ready" in results:
        return []
    if any(r in (None, "pending") for r in results):
        return ["English and maths assessments not yet done"]
    return ["English and maths assessments show the learner is ready"]


def _english_maths_met(ctx: Context, arg: str | None) -> list[str]:
    start = ctx.clock.start
    born = ctx.facts.date_of_birth
    if born is None:
        return ["Date of birth not recorded"]
    age = age_on(born, start)
    if age >= 19 and start >= ENGLISH_MATHS_OPTIONAL_FROM:
        if "english_maths_decision" in ctx.facts.confirmations:
            return []
        return ["Decision on English and maths (optional at 19 or over) not yet recorded"]
    why = "aged 16 to 18 at start" if age < 19 else "who started before 11 February 2025"
    return [
        f"{CHECK_TITLES[kind]} not yet achieved (required for apprentices {why})"
        for kind in ("english", "maths")
        if ctx.facts.checks.get(kind) not in PASSED_RESULTS
    ]


def _confirmed(ctx: Context, arg: str | None) -> list[str]:
    if arg in ctx.facts.confirmations:
        return []
    return [f"{ctx.definition.confirmations[arg or '']} not yet recorded"]


def _not_confirmed(ctx: Context, arg: str | None) -> list[str]:
    if arg not in ctx.facts.confirmations:
        return []
    return [f"{ctx.definition.confirmations[arg or '']} is recorded"]


def _epa_passed(ctx: Context, arg: str | None) -> list[str]:
    result = ctx.facts.epa_result
    if result in ("pass", "merit", "distinction"):
        return []
    if result is None:
        return ["End-point assessment result not yet recorded"]
    return [f"End-point assessment result: {result} (a resit is needed)"]


def _attendance_met(ctx: Context, arg: str | None) -> list[str]:
    required = int(ctx.settings[ctx.definition.attendance_required_setting or ""])
    if ctx.facts.attendance_days >= required:
        return []
    unit = ctx.definition.attendance_unit
    planned_key = ctx.definition.attendance_planned_setting
    if planned_key and int(ctx.settings[planned_key]) != required:
        planned = ctx.settings[planned_key]
        return [f"{ctx.facts.attendance_days} {unit} attended; {required} of {planned} needed"]
    return [f"{ctx.facts.attendance_days} of {required} {unit} attended"]


def _stage_time_reached(ctx: Context, arg: str | None) -> list[str]:
    stage = ctx.definition.stage(ctx.facts.stage)
    if not stage.length_weeks:
        return []
    ends = ctx.clock.shift(ctx.facts.stage_entered_on + timedelta(weeks=stage.length_weeks))
    if ctx.facts.as_of >= ends:
        return []
    return [f"{stage.title} not yet finished: {plural(stage.length_weeks, 'week')} end on {format_date(ends)}"]


GUARDS: dict[str, GuardSpec] = {
    "has_preceptor": GuardSpec(_has_preceptor, "none", doc="a named preceptor is assigned"),
    "profession_group": GuardSpec(
        lambda c, a: _profession(c, a, True),
        "profession_groups",
        route=True,
        doc="the learner's profession is in one of the groups (a|b)",
    ),
    "not_profession_group": GuardSpec(
        lambda c, a: _profession(c, a, False),
        "profession_groups",
        route=True,
        doc="the learner's profession is in none of the groups (a|b)",
    ),
    "supernumerary_done": GuardSpec(
        _supernumerary_done, "none", doc="rules.supernumerary_hours logged or weeks passed"
    ),
    "competencies_signed": GuardSpec(_group_signed, "group", doc="every item of a group signed off"),
    "all_competencies_signed": GuardSpec(_all_signed, "none", doc="every group signed off"),
    "compulsory_signed": GuardSpec(_compulsory_signed, "group", doc="the compulsory items of a group signed off"),
    "reviews_held": GuardSpec(_reviews_held, "none", doc="every review held and confirmed by both"),
    "duration_reached": GuardSpec(_duration_reached, "none", doc="minimum programme length reached, holds not counted"),
    "hours_met": GuardSpec(_hours_met, "none", doc="hours target reached"),
    "check_cleared": GuardSpec(_check_cleared, "check", doc="a check (dbs, occupational_health) cleared"),
    "assessment_ready": GuardSpec(_assessment_ready, "none", route=True, doc="English and maths assessments ready"),
    "assessment_not_ready": GuardSpec(
        _assessment_not_ready, "none", route=True, doc="English or maths assessment not ready"
    ),
    "english_maths_met": GuardSpec(
        _english_maths_met, "none", doc="English and maths achieved where required by age and date"
    ),
    "confirmed": GuardSpec(_confirmed, "confirmation", doc="a named confirmation recorded"),
    "not_confirmed": GuardSpec(_not_confirmed, "confirmation", route=True, doc="a named confirmation not recorded"),
    "epa_passed": GuardSpec(_epa_passed, "none", doc="end-point assessment pass, merit or distinction"),
    "attendance_met": GuardSpec(_attendance_met, "none", doc="attendance days reach the threshold"),
    "stage_time_reached": GuardSpec(_stage_time_reached, "none", doc="the current stage's length_weeks have passed"),
}


def applies(ref: GuardRef, settings: dict[str, Any]) -> bool:
    return all(settings.get(k) == v for k, v in ref.when.items())


def run(ref: GuardRef, ctx: Context) -> list[str]:
    """Reasons this guard fails (empty when it passes or does not apply)."""
    if not applies(ref, ctx.settings):
        return []
    return GUARDS[ref.name].check(ctx, ref.arg)
