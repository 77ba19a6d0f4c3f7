"""The national rules of issue 10 at their date boundaries: the day before and the day of each change."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from pathways import ReviewRecord, SettingsError, check_action, evaluate
from pathways.facts import AgreedFrequency, PostAppointed
from pathways.off_the_job import off_the_job_problems
from pathways.schedule import add_months

APPRENTICESHIP = "healthcare-works-apprenticeship"


@pytest.fixture
def apprenticeship(catalogue):
    return catalogue.latest(APPRENTICESHIP)


def apprentice(facts_for, start: date, **changes):
    """An apprentice whose apprenticeship (the programme clock) began on ``start``."""
    return facts_for(APPRENTICESHIP, "apprenticeship", start_date=start, **changes)


# Off-the-job targets (DfE apprenticeship funding rules), 12-month apprenticeship, no prior learning.
@pytest.mark.parametrize(
    ("start", "contracted", "target"),
    [
        (date(2022, 7, 31), 37.5, 349),  # 20% of 37.5 h over 52.1 weeks less 5.6 weeks' leave
        (date(2022, 8, 1), 37.5, 280),  # 6 hours a week over the same working weeks
        (date(2022, 8, 1), 30, 280),  # 30 contracted hours: still 6 a week
        (date(2022, 8, 1), 29.5, 275),  # below 30: 20% of 29.5 = 5.9 a week
        (date(2022, 8, 1), 22.5, 210),  # 20% of 22.5 = 4.5 a week
        (date(2025, 7, 31), 37.5, 280),
        (date(2025, 7, 31), None, 280),  # not recorded: read as full time
        (date(2025, 8, 1), 37.5, 187),  # the standard's published minimum, 187 by default
        (date(2025, 8, 1), 22.5, 187),  # no longer pro-rated by contracted hours
    ],
)
def test_off_the_job_target_by_start_date(apprenticeship, facts_for, start, contracted, target) -> None:
    facts = apprentice(facts_for, start, contracted_hours_per_week=contracted)
    assert evaluate(apprenticeship, facts).hours_target_total == target


def test_published_minimum_is_a_setting_reduced_only_by_prior_learning(apprenticeship, facts_for) -> None:
    facts = apprentice(facts_for, date(2025, 8, 1), settings={"standard_off_the_job_hours": 400})
    assert evaluate(apprenticeship, facts).hours_target_total == 400
    assert evaluate(apprenticeship, replace(facts, prior_learning_hours=50)).hours_target_total == 350
    # never below 187, whatever the prior learning recorded
    assert evaluate(apprenticeship, replace(facts, prior_learning_hours=300)).hours_target_total == 187
    # before August 2025 prior learning shortens the programme instead; the weekly target stands
    before = apprentice(facts_for, date(2025, 7, 31), prior_learning_hours=50)
    assert evaluate(apprenticeship, before).hours_target_total == 280


def test_published_minimum_setting_cannot_go_below_187(apprenticeship) -> None:
    with pytest.raises(
        SettingsError, match="Published minimum off-the-job hours for the standard must be at least 187"
    ):
        apprenticeship.resolve_settings({"standard_off_the_job_hours": 186})


def test_hours_reason_names_the_target(apprenticeship, facts_for) -> None:
    facts = facts_for(
        APPRENTICESHIP, "gateway", start_date=date(2025, 7, 31), stage_dates={"apprenticeship": date(2025, 7, 31)},
        hours_logged=18.5, contracted_hours_per_week=22.5, as_of=date(2026, 9, 1),
    )  # fmt: skip
    reasons = check_action(apprenticeship, facts, "advance", to="end_point_assessment")
    assert "18.5 of 210 off-the-job training hours logged" in reasons


# Minimum duration: 12 months for starts before 1 August 2025, 8 months from then.
@pytest.mark.parametrize(
    ("day", "problem"),
    [
        (date(2025, 7, 31), "Apprenticeship length in months cannot be less than the national minimum of 12 "
                            "for starts before 1 August 2025"),
        (date(2025, 8, 1), None),
    ],
)  # fmt: skip
def test_local_length_cannot_go_below_the_national_minimum(apprenticeship, day, problem) -> None:
    if problem is None:
        assert apprenticeship.resolve_settings({"duration_months": 8}, starting_on=day)["duration_months"] == 8
        with pytest.raises(SettingsError, match="must be at least 8"):
            apprenticeship.resolve_settings({"duration_months": 7}, starting_on=day)
        return
    with pytest.raises(SettingsError) as refused:
        apprenticeship.resolve_settings({"duration_months": 8}, starting_on=day)
    assert str(refused.value) == problem
    assert apprenticeship.resolve_settings({"duration_months": 12}, starting_on=day)["duration_months"] == 12


# What never counts as off-the-job training, and only inside the apprenticeship.
@pytest.mark.parametrize(
    ("activity", "reason"),
    [
        ("english_maths", "English and maths (functional skills) never count as off-the-job training"),
        ("progress_review", "Progress reviews never count as off-the-job training"),
        ("outside_paid_hours", "Time outside paid working hours never counts as off-the-job training"),
    ],
)
def test_activities_that_never_count(apprenticeship, facts_for, activity, reason) -> None:
    facts = apprentice(facts_for, date(2026, 3, 2), as_of=date(2026, 4, 1))
    assert off_the_job_problems(apprenticeship, facts, activity, date(2026, 3, 10)) == {"activity_type": reason}
    assert off_the_job_problems(apprenticeship, facts, "teaching", date(2026, 3, 10)) == {}


def test_off_the_job_only_inside_the_apprenticeship(apprenticeship, facts_for) -> None:
    during = apprentice(facts_for, date(2026, 3, 2), as_of=date(2026, 4, 1))
    assert off_the_job_problems(apprenticeship, during, "study", date(2026, 3, 1)) == {
        "worked_on": "Off-the-job training counts only during the apprenticeship, which started on 2 March 2026"
    }
    assert off_the_job_problems(apprenticeship, during, "study", date(2026, 3, 2)) == {}
    after = facts_for(
        APPRENTICESHIP, "gateway", start_date=date(2026, 3, 2), stage_entered_on=date(2027, 3, 2),
        stage_dates={"apprenticeship": date(2026, 3, 2), "gateway": date(2027, 3, 2)},
    )  # fmt: skip
    assert off_the_job_problems(apprenticeship, after, "study", date(2027, 3, 1)) == {}
    assert off_the_job_problems(apprenticeship, after, "study", date(2027, 3, 2)) == {
        "worked_on": "Off-the-job training counts only during the apprenticeship, which ended on 2 March 2027"
    }
    before = facts_for(APPRENTICESHIP, "work_trial", start_date=date(2026, 1, 5))
    assert off_the_job_problems(apprenticeship, before, "study", date(2026, 1, 6)) == {
        "worked_on": "Off-the-job training counts only during the apprenticeship, which has not started yet"
    }


# Progress reviews: within 12 weeks of the last review held; 3 calendar months from August 2025.
def test_progress_reviews_12_weeks_the_day_before_august_2025(apprenticeship, facts_for) -> None:
    slots = evaluate(apprenticeship, apprentice(facts_for, date(2025, 7, 31))).review_slots
    assert [s.due for s in slots[:2]] == [date(2025, 10, 23), date(2026, 1, 15)]


def test_progress_reviews_3_months_from_august_2025(apprenticeship, facts_for) -> None:
    slots = evaluate(apprenticeship, apprentice(facts_for, date(2025, 8, 1))).review_slots
    assert [s.due for s in slots[:2]] == [date(2025, 11, 1), date(2026, 2, 1)]


def test_next_review_rolls_from_the_last_review_held(apprenticeship, facts_for) -> None:
    facts = apprentice(facts_for, date(2025, 8, 1), as_of=date(2025, 11, 20))
    held_late = replace(facts, reviews=(ReviewRecord("review_1", date(2025, 11, 19), True, True),))
    slots = evaluate(apprenticeship, held_late).review_slots
    assert [(s.key, s.due) for s in slots[:2]] == [("review_1", date(2025, 11, 1)), ("review_2", date(2026, 2, 19))]
    held_early = replace(facts, reviews=(ReviewRecord("review_1", date(2025, 10, 6), True, True),))
    assert evaluate(apprenticeship, held_early).review_slots[1].due == date(2026, 1, 6)


def test_agreed_alternative_frequency_from_the_day_agreed(apprenticeship, facts_for) -> None:
    agreed = AgreedFrequency(every_weeks=6, reason="Returning from long-term sickness", agreed_on=date(2025, 11, 1))
    facts = apprentice(
        facts_for, date(2025, 8, 1), as_of=date(2025, 11, 2), review_frequency=agreed,
        reviews=(ReviewRecord("review_1", date(2025, 11, 1), True, True),),
    )  # fmt: skip
    dues = [s.due for s in evaluate(apprenticeship, facts).review_slots]
    assert dues[:3] == [date(2025, 11, 1), date(2025, 12, 13), date(2026, 1, 24)]


def test_gold_preceptorship_never_leaves_a_gap_over_two_months(catalogue, facts_for) -> None:
    """The issue's case: a start on 1 January 2026 put the midpoint 2 months and a day after the review before."""
    facts = facts_for("preceptorship", "in_preceptorship", start_date=date(2026, 1, 1), profession="physiotherapy")
    slots = evaluate(catalogue.latest("preceptorship"), facts).review_slots
    dues = [s.due for s in slots]
    assert ("midpoint", date(2026, 7, 1)) in [(s.key, s.due) for s in slots]
    assert all(later <= add_months(earlier, 2) for earlier, later in zip(dues, dues[1:], strict=False))


# English and maths: required at 16-18 at start; optional at 19+ for anyone in learning from 11 February 2025.
def gateway(facts_for, born, start, as_of, **changes):
    return facts_for(
        APPRENTICESHIP, "gateway", start_date=start, date_of_birth=born, stage_dates={"apprenticeship": start},
        as_of=as_of, **changes,
    )  # fmt: skip


def english_maths(catalogue, facts) -> list[str]:
    reasons = check_action(catalogue.latest(APPRENTICESHIP), facts, "advance", to="end_point_assessment")
    return [r for r in reasons if "English" in r or "Maths" in r]


def test_english_and_maths_required_at_19_the_day_before_11_february_2025(catalogue, facts_for) -> None:
    facts = gateway(facts_for, date(2000, 1, 1), date(2024, 1, 8), date(2025, 2, 10), checks={"english": "cleared"})
    assert english_maths(catalogue, facts) == [
        "Maths not yet achieved (required for apprentices aged 19 or over at start, before 11 February 2025)"
    ]


def test_english_and_maths_a_decision_at_19_from_11_february_2025_existing_apprentices_too(catalogue, facts_for):
    facts = gateway(facts_for, date(2000, 1, 1), date(2024, 1, 8), date(2025, 2, 11), checks={"english": "cleared"})
    assert english_maths(catalogue, facts) == [
        "Decision on English and maths (optional at 19 or over from 11 February 2025) not yet recorded"
    ]
    assert english_maths(catalogue, replace(facts, english_maths_decided_on=date(2025, 2, 11))) == []


@pytest.mark.parametrize(("born", "required"), [(date(2006, 9, 2), True), (date(2006, 9, 1), False)])
def test_english_and_maths_age_at_start(catalogue, facts_for, born, required) -> None:
    """Born 2 September 2006: 18 on a 1 September 2025 start; born a day earlier: 19."""
    facts = gateway(facts_for, born, date(2025, 9, 1), date(2026, 9, 1), english_maths_decided_on=date(2025, 9, 1))
    expected = [
        "English not yet achieved (required for apprentices aged 16 to 18 at start)",
        "Maths not yet achieved (required for apprentices aged 16 to 18 at start)",
    ]
    assert english_maths(catalogue, facts) == (expected if required else [])


# Care Certificate: supernumerary at 75 hours or their equivalent in weeks; 12 weeks pro-rated.
@pytest.mark.parametrize(
    ("contracted", "done_on", "span"),
    [
        (37.5, date(2025, 9, 15), "2 weeks (37.5 hours a week)"),
        (40, date(2025, 9, 15), "2 weeks (40 hours a week)"),  # never under the 2 weeks
        (22.5, date(2025, 9, 25), "24 days (22.5 hours a week)"),  # 75 / 22.5 = 3.33 weeks
    ],
)
def test_supernumerary_equivalent_of_75_hours(catalogue, facts_for, contracted, done_on, span) -> None:
    definition = catalogue.latest("preceptorship")
    facts = facts_for(
        "preceptorship", "supernumerary", profession="adult_nursing", has_preceptor=True,
        contracted_hours_per_week=contracted, supernumerary_hours=40,
    )  # fmt: skip
    day_before = replace(facts, as_of=done_on.replace(day=done_on.day - 1))
    assert check_action(definition, day_before, "advance", to="in_preceptorship") == (
        f"Supernumerary period not yet complete: 40 of 75 hours logged, or {span} end on {done_on.day} September 2025",
    )
    assert check_action(definition, replace(facts, as_of=done_on), "advance", to="in_preceptorship") == ()
    assert check_action(definition, replace(day_before, supernumerary_hours=75), "advance", to="in_preceptorship") == ()


@pytest.mark.parametrize(("contracted", "due"), [(None, date(2025, 11, 24)), (22.5, date(2026, 1, 19))])
def test_care_certificate_expectation_pro_rated(catalogue, facts_for, contracted, due) -> None:
    facts = facts_for("wecare-support-worker", "care_certificate", contracted_hours_per_week=contracted)
    items = {d.key: d.due for d in evaluate(catalogue.latest("wecare-support-worker"), facts).due}
    assert items["care_certificate"] == due  # 12 weeks full time; 20 weeks at 22.5 hours


def test_care_certificate_version_by_start_date(catalogue) -> None:
    definition = catalogue.latest("wecare-support-worker")
    before = [c for c in definition.competencies_for(date(2025, 2, 28)) if c.group == "care_certificate"]
    after = [c for c in definition.competencies_for(date(2025, 3, 1)) if c.group == "care_certificate"]
    assert (len(before), len(after)) == (15, 16)
    assert "cc16" not in {c.key for c in before}


def test_hda_needs_a_completed_care_certificate(catalogue, facts_for) -> None:
    definition = catalogue.latest("higher-development-award")
    facts = facts_for("higher-development-award", as_of=date(2025, 9, 10))
    reason = (
        "Care Certificate not completed: every standard signed off in Waymark, "
        "or a prior completion recorded with its date and evidence"
    )
    assert check_action(definition, facts, "advance", to="studying") == (reason,)
    later = replace(facts, care_certificate_completed_on=date(2025, 9, 11))
    assert check_action(definition, later, "advance", to="studying") == (reason,)
    done = replace(facts, care_certificate_completed_on=date(2025, 9, 10))
    assert check_action(definition, done, "advance", to="studying") == ()


@pytest.mark.parametrize("key", ["healthcare-works-jobs", APPRENTICESHIP, "care-development-placement"])
def test_routes_into_work_complete_only_with_the_post(catalogue, satisfied_for, key) -> None:
    stage = {"healthcare-works-jobs": "talent_pool", APPRENTICESHIP: "end_point_assessment"}.get(key, "end_review")
    facts = satisfied_for(key, stage, post=None)
    definition = catalogue.latest(key)
    assert check_action(definition, facts, "advance", to="completed") == (
        "Post appointed not yet recorded (job title, band and start date)",
    )
    post = PostAppointed("Healthcare support worker", "Band 2", date(2026, 4, 1))
    assert check_action(definition, replace(facts, post=post), "advance", to="completed") == ()
