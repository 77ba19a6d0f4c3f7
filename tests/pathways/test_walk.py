"""Walk every programme from its first stage to completed with facts that meet each guard."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from pathways import check_action, evaluate
from tests.pathways.conftest import PROGRAMMES

NOT_READY = {"english": "not_ready", "maths": "ready"}

# (from, to, fact changes for that step) in the order a learner travels.
ROUTES: dict[str, list[tuple[str, str, dict[str, Any]]]] = {
    "preceptorship": [
        ("enrolled", "supernumerary", {}),
        ("supernumerary", "in_preceptorship", {}),
        ("in_preceptorship", "final_review", {}),
        ("final_review", "completed", {}),
    ],
    "wecare-support-worker": [
        ("induction", "care_certificate", {}),
        ("care_certificate", "career_development", {}),
        ("career_development", "clinical_skills", {}),
        ("clinical_skills", "completed", {}),
    ],
    "healthcare-works-apprenticeship": [
        ("information_day", "assessment", {}),
        ("assessment", "further_support", {"checks": NOT_READY}),
        ("further_support", "assessment", {"checks": NOT_READY}),
        ("assessment", "pre_employment_checks", {}),
        ("pre_employment_checks", "hw_course", {}),
        ("hw_course", "work_trial", {}),
        ("work_trial", "apprenticeship", {}),
        ("apprenticeship", "gateway", {}),
        ("gateway", "end_point_assessment", {}),
        ("end_point_assessment", "completed", {}),
    ],
    "healthcare-works-jobs": [
        ("information_day", "assessment", {}),
        ("assessment", "further_support", {"checks": NOT_READY}),
        ("further_support", "assessment", {}),
        ("assessment", "hw_course", {}),
        ("hw_course", "work_placement", {}),
        ("work_placement", "talent_pool", {}),
        ("talent_pool", "completed", {}),
    ],
    "care-development-placement": [
        ("placement", "end_review", {}),
        ("end_review", "completed", {}),
    ],
    "pre-employment-placement": [
        ("referred", "checks", {}),
        ("checks", "placement", {}),
        ("placement", "evaluation", {}),
        ("evaluation", "completed", {}),
    ],
    "higher-development-award": [
        ("enrolled", "studying", {}),
        ("studying", "completed", {}),
    ],
}


def test_catalogue_holds_the_seven_programmes(catalogue) -> None:
    assert catalogue.keys() == sorted(PROGRAMMES) == sorted(ROUTES)


@pytest.mark.parametrize("key", PROGRAMMES)
def test_walk_from_first_stage_to_completed(catalogue, satisfied_for, key: str) -> None:
    definition = catalogue.latest(key)
    route = ROUTES[key]
    assert route[0][0] == definition.stages[0].key
    assert route[-1][1] == "completed"
    base = satisfied_for(key)
    for source, to, changes in route:
        facts = replace(base, stage=source, **changes)
        assert check_action(definition, facts, "advance", to=to) == (), (source, to)
        options = {o.to: o for o in evaluate(definition, facts).transitions}
        assert options[to].allowed, (source, to, options[to].reasons)
    done = evaluate(definition, replace(base, stage="completed", state="completed"))
    assert done.status.rag == "grey"
    assert done.progress == 1.0
    assert done.transitions == ()
    assert done.due == ()


@pytest.mark.parametrize("key", PROGRAMMES)
def test_first_stage_is_blocked_with_bare_facts(catalogue, facts_for, key: str) -> None:
    evaluation = evaluate(catalogue.latest(key), facts_for(key))
    assert evaluation.next_blockers
    assert not any(o.allowed for o in evaluation.transitions)
    assert evaluation.progress == 0.0


@pytest.mark.parametrize("key", PROGRAMMES)
def test_every_stage_but_completed_has_a_way_out(catalogue, key: str) -> None:
    definition = catalogue.latest(key)
    for stage in definition.stages[:-1]:
        assert definition.transitions_from(stage.key), stage.key
    assert definition.stages[-1].key == "completed"
