"""The engine's memo (``pathways.memo``) never changes an answer: remembered equals worked out afresh.

The memo keeps what a definition gives for a start date and settings (and each plan of reviews for
a clock), so one learner's answer could leak into another's if a key missed an input. Each example
is a group of learners on one of the catalogue's versions, sharing start dates so the memo is used: their
evaluations with the memo warmed by the others must equal each one's with the memo emptied first.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pathways import (
    Catalogue,
    Definition,
    EnrolmentFacts,
    Evaluation,
    Hold,
    ReviewRecord,
    evaluate,
    evaluate_or_explain,
    load_catalogue,
    memo,
)
from pathways.engine import build_context
from pathways.facts import AgreedFrequency
from pathways.model import DateRule, DurationRule
from tests.pathways.conftest import make_facts

# Start dates either side of the national rules' changes, shared so that learners meet in the memo.
STARTS = (date(2022, 7, 31), date(2022, 8, 1), date(2025, 7, 31), date(2025, 8, 1), date(2025, 9, 1), date(2026, 1, 5))
SLOTS = ("review_1", "review_2", "review_3", "initial", "first", "midpoint", "completion", "end")


DEFINITIONS = list(load_catalogue())  # every version (the session fixture cannot feed a strategy)


def _choices(definition: Definition) -> list[dict[str, object]]:
    """No overrides, or one setting at one of its listed choices or at its maximum."""
    found: list[dict[str, object]] = [{}]
    for key, spec in definition.settings.items():
        found += [{key: choice} for choice in spec.choices]
        if spec.maximum is not None:
            found.append({key: spec.maximum if spec.type == "float" else int(spec.maximum)})
    return found


@st.composite
def learner(draw: st.DrawFn, definition: Definition, starts: list[date]) -> EnrolmentFacts:
    start = draw(st.sampled_from(starts))
    day = lambda most: start + timedelta(days=draw(st.integers(0, most)))  # noqa: E731
    holds = tuple(
        Hold(begin, draw(st.one_of(st.none(), st.just(begin + timedelta(days=draw(st.integers(1, 90)))))))
        for begin in sorted({day(500) for _ in range(draw(st.integers(0, 2)))})
    )
    reviews = tuple(
        ReviewRecord(draw(st.sampled_from(SLOTS)), day(600), draw(st.booleans()), draw(st.booleans()))
        for _ in range(draw(st.integers(0, 4)))
    )
    frequency = draw(
        st.one_of(
            st.none(),
            st.builds(lambda weeks, on: AgreedFrequency(every_weeks=weeks, agreed_on=on), st.sampled_from((4, 6, 12)),
                      st.just(day(300))),
            st.builds(lambda months, on: AgreedFrequency(every_months=months, agreed_on=on), st.sampled_from((1, 3)),
                      st.just(day(300))),
        )
    )  # fmt: skip
    entered = start + timedelta(weeks=draw(st.sampled_from((0, 4))))  # a clock stage's start: shared too
    return make_facts(
        definition,
        draw(st.sampled_from([s.key for s in definition.stages])),
        start_date=start,
        as_of=day(700),
        stage_entered_on=entered,
        stage_dates={definition.clock_stage: entered} if definition.clock_stage else {},
        profession=draw(st.sampled_from(["", *definition.profession_groups])),
        holds=holds,
        reviews=reviews,
        review_frequency=frequency,
        contracted_hours_per_week=draw(st.sampled_from((None, 22.5, 37.5))),
        prior_learning_hours=draw(st.sampled_from((0.0, 40.0))),
        hours_logged=float(draw(st.integers(0, 400))),
        settings=draw(st.sampled_from(_choices(definition))),
    )


@st.composite
def groups(draw: st.DrawFn, definition: Definition) -> list[EnrolmentFacts]:
    """Learners with one or two start dates between them: they meet in the version's memo."""
    starts = draw(st.lists(st.sampled_from(STARTS), min_size=1, max_size=2, unique=True))
    return draw(st.lists(learner(definition, starts), min_size=2, max_size=8))


def _fresh(definition: Definition, facts: EnrolmentFacts) -> Evaluation:
    memo.forget()
    return evaluate_or_explain(definition, facts)


@pytest.mark.parametrize("definition", DEFINITIONS, ids=lambda d: f"{d.key}.v{d.version}")
@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(data=st.data())
def test_remembered_answers_equal_fresh_ones(definition: Definition, data: st.DataObject) -> None:
    group = data.draw(groups(definition))
    memo.forget()
    warm = [evaluate_or_explain(definition, facts) for facts in group]
    again = [evaluate_or_explain(definition, facts) for facts in reversed(group)][::-1]  # after the others
    assert warm == again == [_fresh(definition, facts) for facts in group]


def test_a_changed_definition_is_not_answered_from_the_first_ones_memo(catalogue: Catalogue) -> None:
    definition = catalogue.latest("preceptorship")
    facts = make_facts(definition, start_date=date(2025, 9, 1), as_of=date(2026, 9, 1))
    longer = replace(definition, duration_minimums=(DurationRule(DateRule(), 24),))
    first = evaluate(definition, facts)
    assert evaluate(longer, facts).expected_end > first.expected_end
    assert evaluate(longer, facts) == _fresh(longer, facts) and evaluate(definition, facts) == first


def test_changing_a_context_s_settings_does_not_change_the_next_answer(catalogue: Catalogue) -> None:
    definition = catalogue.latest("preceptorship")
    facts = make_facts(definition, start_date=date(2025, 9, 1), as_of=date(2026, 3, 1))
    before = evaluate(definition, facts)
    build_context(definition, facts).settings.clear()
    assert evaluate(definition, facts) == before


@pytest.mark.parametrize("limit", [1, 2])
def test_a_full_table_is_emptied_and_answers_stay_the_same(monkeypatch: pytest.MonkeyPatch, limit: int) -> None:
    monkeypatch.setattr(memo, "LIMIT", limit)
    group = [(d, make_facts(d, start_date=start, as_of=start + timedelta(days=200))) for d in DEFINITIONS[:3]
             for start in STARTS]  # fmt: skip
    memo.forget()
    assert [evaluate_or_explain(d, f) for d, f in group] == [_fresh(d, f) for d, f in group]
