"""Due dates: review schedules, holds that stop the clock, extensions and the status."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from pathways import DueItem, Extension, Hold, ReviewRecord, check_action, evaluate
from pathways.schedule import add_months

CORE = {"standard": "core"}


def slots(evaluation) -> dict[str, date]:
    return {s.key: s.due for s in evaluation.review_slots}


@pytest.fixture
def preceptorship(catalogue):
    return catalogue.latest("preceptorship")


@pytest.fixture
def core_facts(facts_for):
    return facts_for(
        "preceptorship",
        "in_preceptorship",
        profession="physiotherapy",
        has_preceptor=True,
        settings=CORE,
        as_of=date(2025, 10, 1),
    )


def test_core_reviews_first_two_weeks_midpoint_and_completion(preceptorship, core_facts) -> None:
    assert slots(evaluate(preceptorship, core_facts)) == {
        "initial": date(2025, 9, 15),
        "midpoint": date(2026, 3, 2),
        "completion": date(2026, 9, 1),
    }


def test_gold_reviews_first_week_then_every_two_months(preceptorship, core_facts) -> None:
    evaluation = evaluate(preceptorship, replace(core_facts, settings={}))
    assert [(s.key, s.title, s.due) for s in evaluation.review_slots] == [
        ("initial", "Initial review", date(2025, 9, 8)),
        ("review_1", "Two-monthly review 1", date(2025, 11, 1)),
        ("review_2", "Two-monthly review 2", date(2026, 1, 1)),
        ("midpoint", "Midpoint review", date(2026, 3, 1)),  # brought forward from 2 March: no gap over 2 months
        ("review_3", "Two-monthly review 3", date(2026, 5, 1)),
        ("review_4", "Two-monthly review 4", date(2026, 7, 1)),
        ("completion", "Completion review", date(2026, 9, 1)),
    ]
    dues = [s.due for s in evaluation.review_slots]
    assert all(b <= add_months(a, 2) for a, b in zip(dues, dues[1:], strict=False))


def test_core_may_run_six_months(preceptorship, core_facts) -> None:
    facts = replace(core_facts, settings={"standard": "core", "duration_months": 6})
    evaluation = evaluate(preceptorship, facts)
    assert evaluation.expected_end == date(2026, 3, 1)
    assert slots(evaluation)["midpoint"] == date(2025, 11, 30)


def test_closed_hold_moves_later_due_dates(preceptorship, core_facts) -> None:
    facts = replace(
        core_facts,
        holds=(Hold(date(2025, 10, 1), date(2025, 10, 11), "sickness"),),
        as_of=date(2025, 12, 1),
    )
    evaluation = evaluate(preceptorship, facts)
    assert slots(evaluation) == {
        "initial": date(2025, 9, 15),  # due before the hold: unchanged
        "midpoint": date(2026, 3, 12),
        "completion": date(2026, 9, 11),
    }
    assert evaluation.expected_end == date(2026, 9, 11)
    assert evaluation.days_on_hold == 10


def test_open_hold_counts_up_to_today(preceptorship, core_facts) -> None:
    facts = replace(
        core_facts,
        state="on_hold",
        holds=(Hold(date(2025, 10, 1)),),
        as_of=date(2025, 10, 21),
        reviews=(ReviewRecord("initial", date(2025, 9, 12), True, True),),
    )
    evaluation = evaluate(preceptorship, facts)
    assert evaluation.days_on_hold == 20
    assert slots(evaluation)["midpoint"] == date(2026, 3, 22)
    assert evaluation.expected_end == date(2026, 9, 21)
    assert evaluation.status.rag == "amber"
    assert evaluation.status.reason == "On hold since 1 October 2025"


def test_open_hold_keeps_an_unheld_review_from_going_overdue(preceptorship, core_facts) -> None:
    facts = replace(core_facts, state="on_hold", holds=(Hold(date(2025, 9, 10)),), as_of=date(2025, 10, 30))
    evaluation = evaluate(preceptorship, facts)
    # 5 days were left on the clock when the hold began on 10 September: still 5 days ahead.
    assert slots(evaluation)["initial"] == date(2025, 11, 4)
    assert evaluation.status.rag == "amber"


def test_each_hold_moves_the_date_it_falls_before(preceptorship, core_facts) -> None:
    holds = (Hold(date(2025, 10, 1), date(2025, 10, 11)), Hold(date(2026, 3, 5), date(2026, 3, 15)))
    evaluation = evaluate(preceptorship, replace(core_facts, holds=holds, as_of=date(2026, 4, 1)))
    # The second hold starts before the midpoint as already moved by the first (12 March).
    assert slots(evaluation)["midpoint"] == date(2026, 3, 22)
    assert evaluation.expected_end == date(2026, 9, 21)
    assert evaluation.days_on_hold == 20


def test_hold_days_reduce_the_hours_expected_by_now(preceptorship, core_facts) -> None:
    facts = replace(core_facts, as_of=date(2025, 12, 1))
    assert evaluate(preceptorship, facts).hours_target_total == 90
    assert evaluate(preceptorship, facts).hours_target_to_date == 22.4  # 90 x 91/365
    held = replace(facts, holds=(Hold(date(2025, 10, 1), date(2025, 10, 11)),))
    assert evaluate(preceptorship, held).hours_target_to_date == 20.0  # 90 x 81/365


def test_duration_reached_ignores_days_on_hold(preceptorship, satisfied_for) -> None:
    facts = satisfied_for(
        "preceptorship",
        "final_review",
        holds=(Hold(date(2025, 10, 1), date(2025, 10, 31)),),
        as_of=date(2026, 9, 15),
    )
    assert check_action(preceptorship, facts, "advance", to="completed") == (
        "Programme length not yet reached: 12 months end on 1 October 2026",
    )


def test_extension_sets_a_later_expected_end(preceptorship, core_facts) -> None:
    facts = replace(core_facts, extensions=(Extension(date(2026, 12, 1), "sickness"),))
    evaluation = evaluate(preceptorship, facts)
    assert evaluation.expected_end == date(2026, 12, 1)
    assert evaluation.due[-1] == DueItem(
        "programme_end", "expected_end", "Expected end of programme", date(2026, 12, 1)
    )


def test_a_hold_after_an_extension_moves_the_new_end(preceptorship, core_facts) -> None:
    facts = replace(
        core_facts,
        extensions=(Extension(date(2026, 12, 1), "redeployment", agreed_on=date(2026, 6, 1)),),
        holds=(Hold(date(2026, 7, 1), date(2026, 7, 11)),),
        as_of=date(2026, 8, 1),
    )
    assert evaluate(preceptorship, facts).expected_end == date(2026, 12, 11)


def test_extend_needs_a_date_after_the_expected_end(preceptorship, core_facts) -> None:
    assert check_action(preceptorship, core_facts, "extend", new_end=date(2026, 8, 1)) == (
        "The new end date must be after the current expected end, 1 September 2026",
    )
    assert check_action(preceptorship, core_facts, "extend") == ("A new end date is needed",)
    assert check_action(preceptorship, core_facts, "extend", new_end=date(2026, 10, 1)) == ()


@pytest.mark.parametrize(
    ("state", "action", "reasons"),
    [
        ("active", "hold", ()),
        ("on_hold", "hold", ("Only an active enrolment can be put on hold",)),
        ("on_hold", "resume", ()),
        ("active", "resume", ("Only an enrolment on hold can be resumed",)),
        ("active", "withdraw", ()),
        ("on_hold", "withdraw", ()),
        ("withdrawn", "withdraw", ("Enrolment has been withdrawn",)),
        ("completed", "withdraw", ("Enrolment is already completed",)),
        ("on_hold", "advance", ("Enrolment is on hold",)),
        ("completed", "extend", ("Enrolment is already completed",)),
        ("withdrawn", "reinstate", ()),
        ("active", "reinstate", ("Only a withdrawn enrolment can be reinstated",)),
        ("on_hold", "reinstate", ("Only a withdrawn enrolment can be reinstated",)),
        ("completed", "reinstate", ("A completed enrolment cannot be reinstated: only a withdrawn one can",)),
    ],
)
def test_actions_by_state(preceptorship, core_facts, state, action, reasons) -> None:
    facts = replace(core_facts, state=state)
    assert check_action(preceptorship, facts, action, to="final_review", new_end=date(2027, 1, 1)) == reasons


def test_advance_needs_a_transition_out_of_this_stage(preceptorship, core_facts) -> None:
    assert check_action(preceptorship, core_facts, "advance", to="completed") == (
        "There is no way from In preceptorship to Completed",
    )
    assert check_action(preceptorship, core_facts, "advance") == ("No stage to move to was given",)
    with pytest.raises(ValueError, match="unknown action"):
        check_action(preceptorship, core_facts, "promote")


def test_on_hold_blocks_every_transition_and_says_why(preceptorship, satisfied_for) -> None:
    facts = satisfied_for("preceptorship", "final_review", state="on_hold", holds=(Hold(date(2026, 9, 1)),))
    (option,) = evaluate(preceptorship, facts).transitions
    assert not option.allowed
    assert option.reasons[0] == "Enrolment is on hold"


def test_withdrawn_is_grey_with_nothing_due(preceptorship, core_facts) -> None:
    evaluation = evaluate(preceptorship, replace(core_facts, state="withdrawn"))
    assert evaluation.status.rag == "grey"
    assert evaluation.status.reason == "Withdrawn"
    assert evaluation.due == () and evaluation.next_due is None
    assert all(o.reasons[0] == "Enrolment has been withdrawn" for o in evaluation.transitions)


def test_completion_is_grey(preceptorship, satisfied_for) -> None:
    facts = satisfied_for("preceptorship", "completed", state="completed")
    evaluation = evaluate(preceptorship, facts)
    assert evaluation.status.rag == "grey" and evaluation.status.reason == "Completed"
    assert evaluation.progress == 1.0


def test_status_red_when_a_review_is_overdue(preceptorship, core_facts) -> None:
    evaluation = evaluate(preceptorship, replace(core_facts, as_of=date(2025, 9, 20)))
    assert (evaluation.status.rag, evaluation.status.reason) == (
        "red",
        "Initial review overdue: due 15 September 2025",
    )
    assert evaluation.next_due == DueItem("review", "initial", "Initial review", date(2025, 9, 15))


def test_status_amber_when_a_review_is_due_within_a_week(preceptorship, core_facts) -> None:
    evaluation = evaluate(preceptorship, replace(core_facts, as_of=date(2025, 9, 10)))
    assert (evaluation.status.rag, evaluation.status.reason) == (
        "amber",
        "Initial review due on 15 September 2025",
    )


def test_status_amber_when_hours_are_behind_plan(preceptorship, core_facts) -> None:
    facts = replace(
        core_facts,
        as_of=date(2025, 12, 1),
        hours_logged=10,
        reviews=(ReviewRecord("initial", date(2025, 9, 12), True, True),),
    )
    assert evaluate(preceptorship, facts).status.reason == (
        "Protected learning hours behind plan: 10 of 22.4 expected by now"
    )
    on_plan = replace(facts, hours_logged=20)
    assert evaluate(preceptorship, on_plan).status.rag == "green"
    assert evaluate(preceptorship, on_plan).status.reason == "On track"


def test_status_red_past_the_expected_end(preceptorship, satisfied_for) -> None:
    facts = satisfied_for("preceptorship", "final_review", as_of=date(2026, 10, 1))
    assert evaluate(preceptorship, facts).status.reason == "Past the expected end of 1 September 2026"


def test_due_items_are_soonest_first(catalogue, facts_for) -> None:
    definition = catalogue.latest("wecare-support-worker")
    evaluation = evaluate(definition, facts_for("wecare-support-worker", "care_certificate"))
    assert [(d.kind, d.key, d.due) for d in evaluation.due] == [
        ("review", "care_certificate_review", date(2025, 11, 24)),
        ("stage_deadline", "care_certificate", date(2025, 11, 24)),
        ("review", "end_review", date(2026, 9, 1)),
        ("programme_end", "expected_end", date(2026, 9, 1)),
    ]


def test_stage_length_is_a_deadline(catalogue, facts_for) -> None:
    definition = catalogue.latest("healthcare-works-apprenticeship")
    facts = facts_for("healthcare-works-apprenticeship", "work_trial", as_of=date(2025, 10, 10))
    evaluation = evaluate(definition, facts)
    assert evaluation.next_due == DueItem("stage_deadline", "work_trial", "Work trial", date(2025, 9, 29))
    assert evaluation.status.reason == "Work trial overdue: due 29 September 2025"


def test_on_hold_says_since_when_rather_than_red_for_a_review_missed_before_the_hold(preceptorship, core_facts) -> None:
    # The initial review fell due on 15 September 2025 and was not held; the hold began on 1 October.
    facts = replace(core_facts, state="on_hold", holds=(Hold(date(2025, 10, 1)),), as_of=date(2025, 11, 20))
    evaluation = evaluate(preceptorship, facts)
    assert evaluation.status.rag == "amber"
    assert evaluation.status.reason == "On hold since 1 October 2025"
    resumed = replace(facts, state="active", holds=(Hold(date(2025, 10, 1), date(2025, 11, 20)),))
    assert evaluate(preceptorship, resumed).status.rag == "red"
