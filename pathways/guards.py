"""The registry of named guards a definition may put on a transition.

A guard returns every reason it fails, in plain words (an empty list means it
passes), so a learner sees all that stands in the way rather than the first thing.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from pathways.guard_context import PASSED_RESULTS, Context, GuardSpec
from pathways.model import GuardRef
from pathways.national_guards import (
    care_certificate_done,
    english_maths_met,
    post_appointed,
    supernumerary_done,
)
from pathways.schedule import format_date, plural
from pathways.vocabulary import GUARDED_CHECKS

__all__ = ["GUARDS", "Context", "applies", "run"]

CHECK_TITLES = GUARDED_CHECKS


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
        supernumerary_done, "none", doc="rules.supernumerary_hours logged, or their equivalent in weeks passed"
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
        english_maths_met, "none", doc="English and maths achieved where required by age and date"
    ),
    "post_appointed": GuardSpec(post_appointed, "none", doc="the post appointed recorded (title, band, start)"),
    "care_certificate_done": GuardSpec(
        care_certificate_done, "none", doc="the Care Certificate completed in Waymark or a prior completion recorded"
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
    if ref.when and not applies(ref, ctx.settings):
        return []
    return GUARDS[ref.name].check(ctx, ref.arg)
