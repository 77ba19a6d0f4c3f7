"""Guards for national rules that read the learner's hours, age and records, by date.

Sources are in pathways/README.md ("National rules and where they are encoded").
"""

from __future__ import annotations

import math
from datetime import date, timedelta

from pathways.guard_context import PASSED_RESULTS, Context
from pathways.schedule import age_on, format_date, plural
from pathways.targets import weekly_hours
from pathways.vocabulary import GUARDED_CHECKS

# DfE, 11 February 2025: English and maths became optional for apprentices aged 19 or over at start,
# new and existing alike; the apprentice and employer decide, and the decision is recorded.
ENGLISH_MATHS_OPTIONAL_FROM = date(2025, 2, 11)
ADULT_AGE = 19


def supernumerary_days(hours: float, weeks: int, contracted_hours: float | None) -> int:
    """Days of supernumerary practice that equal ``hours`` at the learner's contracted hours a week,
    never fewer than ``weeks`` (full time: 75 hours at 37.5 a week are the 2 weeks)."""
    equivalent = hours / weekly_hours(contracted_hours) if weekly_hours(contracted_hours) > 0 else weeks
    return math.ceil(round(max(weeks, equivalent) * 7, 6))


def _span(days: int) -> str:
    return plural(days // 7, "week") if days % 7 == 0 else plural(days, "day")


def supernumerary_done(ctx: Context, arg: str | None) -> list[str]:
    hours = float(ctx.definition.rules.get("supernumerary_hours", 75))
    weeks = int(ctx.definition.rules.get("supernumerary_weeks", 2))
    contracted = ctx.facts.contracted_hours_per_week
    days = supernumerary_days(hours, weeks, contracted)
    done_on = ctx.clock.shift(ctx.facts.stage_entered_on + timedelta(days=days))
    if ctx.facts.supernumerary_hours >= hours or ctx.facts.as_of >= done_on:
        return []
    at = "full time: contracted hours not recorded" if contracted is None else f"{contracted:g} hours a week"
    return [
        f"Supernumerary period not yet complete: {ctx.facts.supernumerary_hours:g} of {hours:g} hours logged, "
        f"or {_span(days)} ({at}) end on {format_date(done_on)}"
    ]


def english_maths_met(ctx: Context, arg: str | None) -> list[str]:
    born = ctx.facts.date_of_birth
    if born is None:
        return ["Date of birth not recorded"]
    missing = [kind for kind in ("english", "maths") if ctx.facts.checks.get(kind) not in PASSED_RESULTS]
    if not missing:
        return []
    adult = age_on(born, ctx.clock.start) >= ADULT_AGE
    if adult and ctx.facts.as_of >= ENGLISH_MATHS_OPTIONAL_FROM:
        # version 1 of the apprenticeship recorded the decision as a confirmation, without its date
        if ctx.facts.english_maths_decided_on is not None or "english_maths_decision" in ctx.facts.confirmations:
            return []
        return ["Decision on English and maths (optional at 19 or over from 11 February 2025) not yet recorded"]
    why = "aged 19 or over at start, before 11 February 2025" if adult else "aged 16 to 18 at start"
    return [f"{GUARDED_CHECKS[kind]} not yet achieved (required for apprentices {why})" for kind in missing]


POST_NOT_RECORDED = "Post appointed not yet recorded (job title, band and start date)"


def post_appointed(ctx: Context, arg: str | None) -> list[str]:
    return [] if ctx.facts.post is not None else [POST_NOT_RECORDED]


def care_certificate_done(ctx: Context, arg: str | None) -> list[str]:
    done = ctx.facts.care_certificate_completed_on
    if done is not None and done <= ctx.facts.as_of:
        return []
    return [
        "Care Certificate not completed: every standard signed off in Waymark, "
        "or a prior completion recorded with its date and evidence"
    ]
