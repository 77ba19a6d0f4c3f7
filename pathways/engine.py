"""Evaluate one enrolment's facts against its definition: a pure function, no mutation.

The app gathers ``EnrolmentFacts`` and asks; the engine answers what is allowed,
every reason something is not, what is due, and a red/amber/green status.
"""

from __future__ import annotations

from datetime import date, timedelta

from pathways import guards
from pathways.facts import EnrolmentFacts
from pathways.guards import Context
from pathways.memo import memo_for
from pathways.model import Definition, Transition
from pathways.results import DueItem, Evaluation, Status, TransitionOption
from pathways.review_plan import review_slots
from pathways.schedule import Clock, format_date, make_clock
from pathways.targets import pro_rated_days
from pathways.vocabulary import ACTIONS, STATES

SOON = timedelta(days=7)
BEHIND = 0.8  # amber when fewer than 80% of the hours expected by now are logged
DUE_ORDER = {"review": 0, "stage_deadline": 1, "programme_end": 2}  # on the same day, in this order


def _state_reason(facts: EnrolmentFacts) -> str | None:
    return {
        "on_hold": "Enrolment is on hold",
        "withdrawn": "Enrolment has been withdrawn",
        "completed": "Enrolment is already completed",
    }.get(facts.state)


def build_context(definition: Definition, facts: EnrolmentFacts) -> Context:
    """Work out once what several guards and the evaluation share (what depends only on the version,
    the start date and the settings is remembered per definition: ``pathways.memo``)."""
    if facts.state not in STATES:
        raise ValueError(f"unknown state {facts.state!r}; expected one of {', '.join(STATES)}")
    memo = memo_for(definition)
    memo.stage(facts.stage)  # raises KeyError for a stage this version lacks
    settings, key = memo.settings(facts.settings)
    clock = make_clock(definition, facts)
    start = clock.start
    end = memo.duration_end(start, settings, key)
    slots = review_slots(memo.schedule(start, settings, key), clock, end, facts, memo)
    return Context(
        definition=definition,
        facts=facts,
        settings=settings,
        clock=clock,
        competencies=memo.competencies(facts.start_date, facts.profession),
        review_slots=slots,
        duration_end=clock.shift(end),
        duration_label=memo.duration_label(start, settings, key),
        hours_target=memo.hours_target(
            start, settings, key, facts.contracted_hours_per_week, facts.prior_learning_hours
        ),
        nominal_end=end,
    )


def _guard_reasons(transition: Transition, ctx: Context) -> list[str]:
    reasons: list[str] = []
    for ref in transition.guards:
        for reason in guards.run(ref, ctx):
            if reason not in reasons:
                reasons.append(reason)
    return reasons


def _route_open(transition: Transition, ctx: Context) -> bool:
    return all(not guards.run(ref, ctx) for ref in transition.guards if guards.GUARDS[ref.name].route)


def primary_transition(transitions: tuple[Transition, ...], ctx: Context) -> Transition | None:
    """The way forward for this learner: the first whose branch-choosing guards pass."""
    for transition in transitions:
        if _route_open(transition, ctx):
            return transition
    return transitions[0] if transitions else None


def _expected_end(ctx: Context) -> date:
    end = ctx.duration_end
    for ext in ctx.facts.extensions:
        new_end = ext.new_end
        if ext.agreed_on is not None:
            for start, days in ctx.clock.holds:
                if start >= ext.agreed_on and start <= new_end:
                    new_end += timedelta(days=days)
        end = max(end, new_end)
    return end


def _due_items(ctx: Context, expected_end: date) -> list[DueItem]:
    facts, definition = ctx.facts, ctx.definition
    items = [DueItem("review", s.key, s.title, s.due) for s in ctx.review_slots if s.held_on is None]
    stage = memo_for(definition).stage(facts.stage)
    if stage.length_weeks:
        ends = ctx.clock.shift(facts.stage_entered_on + timedelta(weeks=stage.length_weeks))
        items.append(DueItem("stage_deadline", stage.key, stage.title, ends))
    for group in definition.competency_groups:
        if group.due_weeks_from_start is None:
            continue
        keys = [c.key for c in ctx.competencies if c.group == group.key]
        if keys and not set(keys) <= facts.signed_off:
            days = pro_rated_days(group.due_weeks_from_start, facts.contracted_hours_per_week)
            due = ctx.clock.shift(facts.start_date + timedelta(days=days))
            items.append(DueItem("stage_deadline", group.key, group.title, due))
    items.append(DueItem("programme_end", "expected_end", "Expected end of programme", expected_end))
    return sorted(items, key=lambda item: (item.due, DUE_ORDER[item.kind]))


def _hours_to_date(ctx: Context, clock: Clock) -> float:
    total_days = (ctx.nominal_end - clock.start).days
    if not ctx.hours_target or total_days <= 0:
        return 0.0
    share = min(1.0, clock.clock_days() / total_days)
    return round(ctx.hours_target * share, 1)


def _status(ctx: Context, due: list[DueItem], expected_end: date, to_date: float) -> Status:
    facts = ctx.facts
    if facts.state == "completed" or facts.stage == "completed":
        return Status("grey", "Completed")
    if facts.state == "withdrawn":
        return Status("grey", "Withdrawn")
    if facts.state == "on_hold":  # the clock is stopped: what fell overdue before the hold waits for the return
        open_holds = [h.start for h in facts.holds if h.end is None]
        since = f" since {format_date(max(open_holds))}" if open_holds else ""
        return Status("amber", f"On hold{since}")
    today = facts.as_of
    for item in due:
        if item.due < today and item.kind != "programme_end":
            return Status("red", f"{item.title} overdue: due {format_date(item.due)}")
    if today > expected_end:
        return Status("red", f"Past the expected end of {format_date(expected_end)}")
    for item in due:
        if item.kind != "programme_end" and item.due <= today + SOON:
            return Status("amber", f"{item.title} due on {format_date(item.due)}")
    if to_date and facts.hours_logged < BEHIND * to_date:
        label = ctx.definition.hours_label
        return Status(
            "amber",
            f"{label[:1].upper()}{label[1:]} behind plan: {facts.hours_logged:g} of {to_date:g} expected by now",
        )
    return Status("green", "On track")


def evaluate(definition: Definition, facts: EnrolmentFacts) -> Evaluation:
    """Everything the app shows about one enrolment on ``facts.as_of``."""
    ctx = build_context(definition, facts)
    blocked = _state_reason(facts)
    memo = memo_for(definition)
    outgoing = memo.transitions_from(facts.stage)
    options = []
    for transition in outgoing:
        reasons = _guard_reasons(transition, ctx)
        if blocked:
            reasons.insert(0, blocked)
        options.append(TransitionOption(transition.to, transition.label, not reasons, tuple(reasons)))
    primary = primary_transition(outgoing, ctx)
    next_blockers: tuple[str, ...] = ()
    if primary is not None:
        next_blockers = next(o.reasons for o in options if o.to == primary.to)
    expected_end = _expected_end(ctx)
    finished = facts.state in ("completed", "withdrawn") or facts.stage == "completed"
    due = [] if finished else _due_items(ctx, expected_end)
    to_date = _hours_to_date(ctx, ctx.clock)
    last = len(definition.stages) - 1
    progress = 1.0 if facts.stage == "completed" else memo.stage_index(facts.stage) / last
    return Evaluation(
        stage=facts.stage,
        state=facts.state,
        transitions=tuple(options),
        next_blockers=next_blockers,
        review_slots=ctx.review_slots,
        due=tuple(due),
        next_due=due[0] if due else None,
        expected_end=expected_end,
        days_on_hold=ctx.clock.days_on_hold(),
        hours_target_total=ctx.hours_target,
        hours_target_to_date=to_date,
        status=_status(ctx, due, expected_end, to_date),
        progress=round(progress, 3),
        notices=tuple(n.text for n in definition.notices if not finished and guards.run(n.unless, ctx)),
        competencies=ctx.competencies,
    )


def check_action(
    definition: Definition,
    facts: EnrolmentFacts,
    action: str,
    *,
    to: str | None = None,
    new_end: date | None = None,
) -> tuple[str, ...]:
    """Why ``action`` may not be taken now (an empty tuple means it may)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}; expected one of {', '.join(ACTIONS)}")
    state = facts.state
    if action == "hold":
        return () if state == "active" else ("Only an active enrolment can be put on hold",)
    if action == "resume":
        return () if state == "on_hold" else ("Only an enrolment on hold can be resumed",)
    if action == "withdraw":
        if state in ("active", "on_hold"):
            return ()
        return (_state_reason(facts) or "",)
    if action == "reinstate":
        if state == "withdrawn":
            return ()
        if state == "completed":
            return ("A completed enrolment cannot be reinstated: only a withdrawn one can",)
        return ("Only a withdrawn enrolment can be reinstated",)
    if action == "extend":
        if state not in ("active", "on_hold"):
            return (_state_reason(facts) or "",)
        current = _expected_end(build_context(definition, facts))
        if new_end is None:
            return ("A new end date is needed",)
        if new_end <= current:
            return (f"The new end date must be after the current expected end, {format_date(current)}",)
        return ()
    if state != "active":
        return (_state_reason(facts) or "",)
    if to is None:
        return ("No stage to move to was given",)
    for transition in definition.transitions_from(facts.stage):
        if transition.to == to:
            return tuple(_guard_reasons(transition, build_context(definition, facts)))
    here = definition.stage(facts.stage).title
    there = definition.stage(to).title if to in {s.key for s in definition.stages} else to
    return (f"There is no way from {here} to {there}",)


def confirmation_blockers(definition: Definition, facts: EnrolmentFacts, name: str) -> tuple[str, ...]:
    """Why a confirmation may not be recorded yet: it closes the conditions listed before it.

    A final sign-off belongs to the transition that needs it: it is refused at any other stage, and
    while the conditions listed before it on that transition (reviews held, competencies signed off)
    are not met. A confirmation no transition asks for may be recorded at any time.
    """
    ctx = build_context(definition, facts)
    stages_needing: list[str] = []
    for transition in definition.transitions:
        for index, ref in enumerate(transition.guards):
            if ref.name != "confirmed" or ref.arg != name:
                continue
            if transition.source != facts.stage:
                stages_needing.append(definition.stage(transition.source).title)
                continue
            reasons: list[str] = []
            for earlier in transition.guards[:index]:
                reasons += [reason for reason in guards.run(earlier, ctx) if reason not in reasons]
            return tuple(reasons)
    if stages_needing:
        return (f"This can be recorded only at the {' or '.join(dict.fromkeys(stages_needing))} stage",)
    return ()


def evaluate_or_explain(definition: Definition, facts: EnrolmentFacts) -> Evaluation:
    """``evaluate``, or, when the enrolment's dates cannot be worked out (a start in year 9999 stored
    before dates were checked), an evaluation that says so: one broken row never stops a page or a
    report for everyone else, and the enrolment can still be corrected or withdrawn."""
    try:
        return evaluate(definition, facts)
    except (OverflowError, ValueError) as error:
        problem = f"{type(error).__name__}: {error}"
        reason = (
            f"This enrolment's dates cannot be worked out ({error}): withdraw it and enrol the learner again "
            "with the right start date"
        )
    return Evaluation(
        stage=facts.stage,
        state=facts.state,
        transitions=(),
        next_blockers=(reason,),
        review_slots=(),
        due=(),
        next_due=None,
        expected_end=facts.start_date,
        days_on_hold=0,
        hours_target_total=0.0,
        hours_target_to_date=0.0,
        status=Status("red", reason),
        progress=0.0,
        notices=(reason,),
        competencies=(),
        problem=problem,
    )
