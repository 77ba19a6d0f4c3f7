"""National rules that change with the start date, age or profession, and local settings."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from pathways import SettingsError, check_action, evaluate

APPRENTICESHIP = "healthcare-works-apprenticeship"


@pytest.mark.parametrize("key", ["wecare-support-worker", "care-development-placement"])
@pytest.mark.parametrize(
    ("start", "count", "standard_9"),
    [
        (date(2025, 2, 28), 15, "9 Awareness of mental health, dementia and learning disability"),
        (date(2025, 3, 1), 16, "9 Awareness of mental health and dementia"),
    ],
)
def test_care_certificate_standards_by_start_date(catalogue, key, start, count, standard_9) -> None:
    items = [c for c in catalogue.latest(key).competencies_for(start, "") if c.group == "care_certificate"]
    assert len(items) == count
    assert items[8].title == standard_9
    assert ("cc16" in {c.key for c in items}) == (count == 16)


def test_fifteen_standards_in_the_reason_for_an_early_start(catalogue, facts_for) -> None:
    facts = facts_for("wecare-support-worker", "care_certificate", start_date=date(2025, 1, 6))
    evaluation = evaluate(catalogue.latest("wecare-support-worker"), facts)
    assert evaluation.next_blockers == ("15 of 15 Care Certificate standards not yet signed off",)


def test_line_of_sight_supervision_until_care_certificate_done(catalogue, facts_for) -> None:
    definition = catalogue.latest("wecare-support-worker")
    facts = facts_for("wecare-support-worker", "care_certificate")
    notice = "Works under line-of-sight supervision until the Care Certificate is complete"
    assert evaluate(definition, facts).notices == (notice,)
    done = replace(facts, signed_off=frozenset(f"cc{n:02d}" for n in range(1, 17)))
    assert evaluate(definition, done).notices == ()


def test_ahp_skips_supernumerary(catalogue, facts_for) -> None:
    facts = facts_for("preceptorship", profession="physiotherapy", has_preceptor=True)
    evaluation = evaluate(catalogue.latest("preceptorship"), facts)
    by_to = {o.to: o for o in evaluation.transitions}
    assert by_to["in_preceptorship"].allowed
    assert by_to["supernumerary"].reasons == (
        "Only for nursing or midwifery or nursing associate (this learner is ahp)",
    )
    assert evaluation.next_blockers == ()


@pytest.mark.parametrize(
    ("profession", "group"),
    [
        ("adult_nursing", "nursing"),
        ("midwifery", "midwifery"),
        ("nursing_associate", "nursing_associate"),
        ("paramedic", "ahp"),
        ("operating_department_practice", "ahp"),
    ],
)
def test_profession_groups_choose_the_clinical_skills(catalogue, profession, group) -> None:
    definition = catalogue.latest("preceptorship")
    assert definition.profession_group(profession) == group
    skills = [c for c in definition.competencies_for(date(2025, 9, 1), profession) if c.group == "clinical_skills"]
    assert len(skills) >= 6


def apprentice(facts_for, start: date, **changes):
    return facts_for(APPRENTICESHIP, "apprenticeship", start_date=start, **changes)


@pytest.mark.parametrize(
    ("start", "setting", "end"),
    [
        (date(2025, 7, 1), 8, date(2026, 7, 1)),  # before August 2025: national minimum 12 months
        (date(2025, 8, 1), 8, date(2026, 4, 1)),  # from August 2025: 8 months
        (date(2025, 8, 1), 12, date(2026, 8, 1)),  # the local default wins when longer
    ],
)
def test_apprenticeship_minimum_length_by_start_date(catalogue, facts_for, start, setting, end) -> None:
    facts = apprentice(facts_for, start, settings={"duration_months": setting})
    assert evaluate(catalogue.latest(APPRENTICESHIP), facts).expected_end == end


@pytest.mark.parametrize(
    ("start", "setting", "hours"),
    [
        (date(2025, 3, 3), 12, 280),  # 6 hours a week over 52.1 weeks less 5.6 weeks' statutory leave
        (date(2025, 9, 1), 8, 187),  # the standard's published minimum (default: the 187-hour floor)
    ],
)
def test_off_the_job_hours_by_start_date(catalogue, facts_for, start, setting, hours) -> None:
    facts = apprentice(facts_for, start, settings={"duration_months": setting})
    assert evaluate(catalogue.latest(APPRENTICESHIP), facts).hours_target_total == hours


def test_progress_reviews_every_12_weeks_before_august_2025(catalogue, facts_for) -> None:
    evaluation = evaluate(catalogue.latest(APPRENTICESHIP), apprentice(facts_for, date(2025, 3, 3)))
    dues = [s.due for s in evaluation.review_slots]
    assert dues[:2] == [date(2025, 5, 26), date(2025, 8, 18)]
    assert all((b - a).days == 84 for a, b in zip(dues, dues[1:], strict=False))


def test_progress_reviews_every_3_months_from_august_2025(catalogue, facts_for) -> None:
    evaluation = evaluate(catalogue.latest(APPRENTICESHIP), apprentice(facts_for, date(2025, 9, 1)))
    assert [(s.title, s.due) for s in evaluation.review_slots] == [
        ("Progress review 1", date(2025, 12, 1)),
        ("Progress review 2", date(2026, 3, 1)),
        ("Progress review 3", date(2026, 6, 1)),
        ("Progress review 4", date(2026, 9, 1)),
    ]


def test_apprenticeship_clock_starts_with_the_apprenticeship(catalogue, facts_for) -> None:
    facts = facts_for(APPRENTICESHIP, "work_trial", start_date=date(2025, 9, 1), as_of=date(2025, 9, 20))
    evaluation = evaluate(catalogue.latest(APPRENTICESHIP), facts)
    assert evaluation.review_slots == ()
    assert evaluation.hours_target_to_date == 0
    later = replace(facts, stage="gateway", stage_dates={"apprenticeship": date(2025, 10, 6)})
    assert evaluate(catalogue.latest(APPRENTICESHIP), later).expected_end == date(2026, 10, 6)


def gateway(facts_for, born: date | None, start: date, **changes):
    return facts_for(
        APPRENTICESHIP,
        "gateway",
        start_date=start,
        date_of_birth=born,
        hours_logged=400,
        stage_dates={"apprenticeship": start},
        as_of=date(2027, 1, 1),
        confirmations=frozenset({"employer_ready", "provider_ready"}),
        **changes,
    )


def test_english_and_maths_required_at_16_to_18(catalogue, facts_for) -> None:
    facts = gateway(facts_for, date(2008, 5, 1), date(2025, 9, 1))  # 17 at start
    assert check_action(catalogue.latest(APPRENTICESHIP), facts, "advance", to="end_point_assessment") == (
        "English not yet achieved (required for apprentices aged 16 to 18 at start)",
        "Maths not yet achieved (required for apprentices aged 16 to 18 at start)",
    )
    passed = replace(facts, checks={"english": "cleared", "maths": "exempt"})
    assert check_action(catalogue.latest(APPRENTICESHIP), passed, "advance", to="end_point_assessment") == ()


def test_english_and_maths_a_recorded_decision_at_19_from_february_2025(catalogue, facts_for) -> None:
    facts = gateway(facts_for, date(2000, 1, 1), date(2025, 2, 11))
    definition = catalogue.latest(APPRENTICESHIP)
    assert check_action(definition, facts, "advance", to="end_point_assessment") == (
        "Decision on English and maths (optional at 19 or over from 11 February 2025) not yet recorded",
    )
    decided = replace(facts, english_maths_decided_on=date(2025, 2, 11))
    assert check_action(definition, decided, "advance", to="end_point_assessment") == ()


def test_english_and_maths_optional_at_19_for_existing_apprentices_too(catalogue, facts_for) -> None:
    """An apprentice who started before 11 February 2025 is in learning after it: the choice is theirs too."""
    facts = gateway(facts_for, date(2000, 1, 1), date(2024, 2, 5), checks={"english": "cleared"})
    assert check_action(catalogue.latest(APPRENTICESHIP), facts, "advance", to="end_point_assessment") == (
        "Decision on English and maths (optional at 19 or over from 11 February 2025) not yet recorded",
    )


def test_date_of_birth_needed_for_the_english_and_maths_rule(catalogue, facts_for) -> None:
    facts = gateway(facts_for, None, date(2025, 9, 1))
    assert check_action(catalogue.latest(APPRENTICESHIP), facts, "advance", to="end_point_assessment") == (
        "Date of birth not recorded",
    )


def test_settings_defaults(catalogue) -> None:
    assert catalogue.latest("preceptorship").resolve_settings({}) == {
        "standard": "gold",
        "duration_months": 12,
        "protected_hours_per_month": 7.5,
        "preceptor_protected_hours_core": 8,
        "preceptor_protected_hours_gold": 12,
        "preceptor_caseload": 3,
    }
    assert catalogue.latest("wecare-support-worker").resolve_settings({})["career_development_days"] == 4
    assert catalogue.latest(APPRENTICESHIP).resolve_settings({})["duration_months"] == 12
    assert catalogue.latest("care-development-placement").resolve_settings({})["duration_months"] == 6
    hda = catalogue.latest("higher-development-award").resolve_settings({})
    assert (hda["study_days"], hda["attendance_threshold"]) == (8, 7)


def test_settings_overrides_are_checked(catalogue) -> None:
    definition = catalogue.latest("preceptorship")
    assert definition.resolve_settings({"standard": "core", "duration_months": 6})["duration_months"] == 6
    assert definition.resolve_settings({"protected_hours_per_month": 8})["protected_hours_per_month"] == 8.0


@pytest.mark.parametrize(
    ("key", "overrides", "message"),
    [
        ("preceptorship", {"standard": "silver"}, "Preceptorship standard must be one of: core, gold"),
        ("preceptorship", {"duration_months": 3}, "Programme length in months must be at least 6"),
        ("preceptorship", {"duration_months": 6}, "A gold standard preceptorship lasts at least 12 months"),
        ("preceptorship", {"duration_months": "12"}, "Programme length in months must be a whole number"),
        ("preceptorship", {"protected_hours_per_month": 40}, "Protected learning hours a month must be at most 37.5"),
        ("preceptorship", {"colour": "blue"}, "Preceptorship has no setting called 'colour'"),
        (
            "higher-development-award",
            {"attendance_threshold": 9},
            "Study days to attend cannot be more than the study days",
        ),
    ],
)
def test_bad_settings_are_refused_with_the_setting_named(catalogue, key, overrides, message) -> None:
    with pytest.raises(SettingsError) as caught:
        catalogue.latest(key).resolve_settings(overrides)
    assert str(caught.value) == message


def test_a_lower_hda_threshold_changes_the_reason(catalogue, facts_for) -> None:
    facts = facts_for(
        "higher-development-award",
        "studying",
        attendance_days=5,
        signed_off=frozenset({"edi"}),
        settings={"attendance_threshold": 6},
    )
    assert check_action(catalogue.latest("higher-development-award"), facts, "advance", to="completed") == (
        "5 study days attended; 6 of 8 needed",
    )


def test_protected_hours_follow_the_setting(catalogue, facts_for) -> None:
    facts = facts_for("preceptorship", settings={"protected_hours_per_month": 10})
    assert evaluate(catalogue.latest("preceptorship"), facts).hours_target_total == 120


def test_progress_follows_the_stage(catalogue, facts_for) -> None:
    facts = facts_for("preceptorship", "in_preceptorship")
    assert evaluate(catalogue.latest("preceptorship"), facts).progress == 0.5


def test_unknown_stage_or_state_is_a_programming_error(catalogue, facts_for) -> None:
    definition = catalogue.latest("preceptorship")
    with pytest.raises(KeyError):
        evaluate(definition, facts_for("preceptorship", "nowhere"))
    with pytest.raises(ValueError, match="unknown state"):
        evaluate(definition, facts_for("preceptorship", state="paused"))
    with pytest.raises(ValueError, match="stage_dates"):
        evaluate(catalogue.latest(APPRENTICESHIP), facts_for(APPRENTICESHIP, "gateway"))
