"""Each blocked transition lists every reason, in exact plain words."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from pathways import ReviewRecord, check_action, evaluate


def options(catalogue, facts, key):
    return {o.to: o for o in evaluate(catalogue.latest(key), facts).transitions}


def test_starting_preceptorship_needs_a_named_preceptor(catalogue, facts_for) -> None:
    facts = facts_for("preceptorship", profession="adult_nursing")
    evaluation = evaluate(catalogue.latest("preceptorship"), facts)
    assert evaluation.next_blockers == ("No named preceptor assigned",)
    by_to = {o.to: o for o in evaluation.transitions}
    assert by_to["in_preceptorship"].reasons == (
        "No named preceptor assigned",
        "Not for nursing or midwifery or nursing associate (this learner is nursing)",
    )


def test_profession_must_be_recorded(catalogue, facts_for) -> None:
    facts = facts_for("preceptorship", has_preceptor=True)
    assert options(catalogue, facts, "preceptorship")["supernumerary"].reasons == ("Profession not recorded",)


def test_supernumerary_period_reason_counts_hours_and_names_the_date(catalogue, facts_for) -> None:
    facts = facts_for(
        "preceptorship",
        "supernumerary",
        profession="midwifery",
        has_preceptor=True,
        supernumerary_hours=40,
        as_of=date(2025, 9, 10),
    )
    assert options(catalogue, facts, "preceptorship")["in_preceptorship"].reasons == (
        "Supernumerary period not yet complete: 40 of 75 hours logged, "
        "or 2 weeks (full time: contracted hours not recorded) end on 15 September 2025",
    )


def test_supernumerary_ends_at_75_hours_before_2_weeks(catalogue, facts_for) -> None:
    facts = facts_for(
        "preceptorship",
        "supernumerary",
        profession="midwifery",
        supernumerary_hours=75,
        as_of=date(2025, 9, 5),
    )
    assert options(catalogue, facts, "preceptorship")["in_preceptorship"].allowed


def test_final_review_needs_content_and_hours(catalogue, satisfied_for) -> None:
    facts = satisfied_for("preceptorship", "in_preceptorship", hours_logged=60)
    facts = replace(facts, signed_off=facts.signed_off - {"leadership", "human_factors"})
    assert options(catalogue, facts, "preceptorship")["final_review"].reasons == (
        "2 of 5 programme content items not yet signed off",
        "60 of 90 protected learning hours logged",
    )


def test_gold_completion_lists_every_reason(catalogue, satisfied_for) -> None:
    facts = satisfied_for("preceptorship", "final_review", as_of=date(2026, 8, 1))
    reviews = tuple(r for r in facts.reviews if r.slot != "midpoint")
    reviews = tuple(replace(r, confirmed_by_preceptor=False) if r.slot == "completion" else r for r in reviews)
    facts = replace(
        facts,
        reviews=reviews,
        confirmations=frozenset(),
        signed_off=facts.signed_off - {"mt_fire_safety"},
    )
    assert options(catalogue, facts, "preceptorship")["completed"].reasons == (
        "Programme length not yet reached: 12 months end on 1 September 2026",
        "Midpoint review not yet held",
        "Completion review not yet confirmed by the preceptor",
        "1 of 11 mandatory training subjects not yet signed off",
        "Final sign-off by the preceptor not yet recorded",
        "Countersignature by the preceptorship lead not yet recorded",
    )


def test_core_completion_needs_no_countersignature(catalogue, satisfied_for) -> None:
    facts = satisfied_for(
        "preceptorship",
        "final_review",
        settings={"standard": "core"},
        confirmations=frozenset(),
    )
    facts = replace(facts, reviews=())
    assert options(catalogue, facts, "preceptorship")["completed"].reasons == (
        "Initial review not yet held",
        "Midpoint review not yet held",
        "Completion review not yet held",
        "Final sign-off by the preceptor not yet recorded",
    )


def test_review_not_confirmed_by_either(catalogue, satisfied_for) -> None:
    facts = satisfied_for("preceptorship", "final_review", settings={"standard": "core"})
    facts = replace(
        facts,
        reviews=(
            ReviewRecord("initial", date(2025, 9, 10)),
            ReviewRecord("midpoint", date(2026, 3, 1), True, True),
            ReviewRecord("completion", date(2026, 9, 1), True, True),
        ),
    )
    assert options(catalogue, facts, "preceptorship")["completed"].reasons == (
        "Initial review not yet confirmed by the preceptee and the preceptor",
    )


def test_care_certificate_counts_standards(catalogue, facts_for) -> None:
    signed = frozenset(f"cc{n:02d}" for n in range(1, 13))
    facts = facts_for("wecare-support-worker", "care_certificate", signed_off=signed)
    assert options(catalogue, facts, "wecare-support-worker")["career_development"].reasons == (
        "4 of 16 Care Certificate standards not yet signed off",
    )


def test_career_development_days_counted(catalogue, facts_for) -> None:
    facts = facts_for("wecare-support-worker", "career_development", attendance_days=3)
    assert options(catalogue, facts, "wecare-support-worker")["clinical_skills"].reasons == (
        "3 of 4 career development days attended",
    )


def test_checks_must_be_cleared(catalogue, facts_for) -> None:
    facts = facts_for("healthcare-works-apprenticeship", "pre_employment_checks", checks={"dbs": "pending"})
    assert options(catalogue, facts, "healthcare-works-apprenticeship")["hw_course"].reasons == (
        "DBS check not cleared",
        "Occupational health check not cleared",
    )


def test_assessment_pending_blocks_both_branches(catalogue, facts_for) -> None:
    facts = facts_for("healthcare-works-apprenticeship", "assessment", checks={"maths": "ready"})
    evaluation = evaluate(catalogue.latest("healthcare-works-apprenticeship"), facts)
    assert evaluation.next_blockers == ("English assessment not yet done",)
    by_to = {o.to: o for o in evaluation.transitions}
    assert by_to["further_support"].reasons == ("English and maths assessments not yet done",)


def test_assessment_not_ready_points_to_further_support(catalogue, facts_for) -> None:
    facts = facts_for("healthcare-works-jobs", "assessment", checks={"english": "not_ready", "maths": "ready"})
    evaluation = evaluate(catalogue.latest("healthcare-works-jobs"), facts)
    assert evaluation.next_blockers == ()
    by_to = {o.to: o for o in evaluation.transitions}
    assert by_to["further_support"].allowed
    assert by_to["hw_course"].reasons == ("English assessment: not yet ready",)


def test_course_length_must_pass(catalogue, facts_for) -> None:
    facts = facts_for(
        "healthcare-works-apprenticeship",
        "hw_course",
        start_date=date(2026, 1, 5),
        as_of=date(2026, 1, 10),
    )
    assert options(catalogue, facts, "healthcare-works-apprenticeship")["work_trial"].reasons == (
        "Healthcare Works course not yet finished: 2 weeks end on 19 January 2026",
    )


def test_gateway_lists_every_missing_condition(catalogue, satisfied_for) -> None:
    facts = satisfied_for(
        "healthcare-works-apprenticeship",
        "gateway",
        hours_logged=200,
        confirmations=frozenset({"employer_ready"}),
        english_maths_decided_on=None,
        as_of=date(2026, 2, 2),
    )
    assert options(catalogue, facts, "healthcare-works-apprenticeship")["end_point_assessment"].reasons == (
        "Programme length not yet reached: 12 months end on 3 March 2026",
        "200 of 280 off-the-job training hours logged",
        "Decision on English and maths (optional at 19 or over from 11 February 2025) not yet recorded",
        "Training provider confirmation of readiness for end-point assessment not yet recorded",
    )


def test_end_point_assessment_fail_needs_a_resit(catalogue, satisfied_for) -> None:
    facts = satisfied_for("healthcare-works-apprenticeship", "end_point_assessment", epa_result="fail")
    definition = catalogue.latest("healthcare-works-apprenticeship")
    assert check_action(definition, facts, "advance", to="completed") == (
        "End-point assessment result: fail (a resit is needed)",
    )
    facts = replace(facts, epa_result=None)
    assert check_action(definition, facts, "advance", to="completed") == (
        "End-point assessment result not yet recorded",
    )
    assert check_action(definition, replace(facts, epa_result="merit"), "advance", to="completed") == ()


def test_jobs_route_skips_work_placement_with_experience(catalogue, facts_for) -> None:
    facts = facts_for("healthcare-works-jobs", "hw_course", as_of=date(2025, 9, 20))
    evaluation = evaluate(catalogue.latest("healthcare-works-jobs"), facts)
    by_to = {o.to: o for o in evaluation.transitions}
    assert by_to["talent_pool"].allowed
    assert by_to["work_placement"].reasons == ("Lack of work experience not yet recorded",)
    lacking = replace(facts, confirmations=frozenset({"lacks_work_experience"}))
    by_to = {o.to: o for o in evaluate(catalogue.latest("healthcare-works-jobs"), lacking).transitions}
    assert by_to["work_placement"].allowed
    assert by_to["talent_pool"].reasons == ("Lack of work experience is recorded",)


def test_jobs_completion_needs_the_post(catalogue, facts_for) -> None:
    facts = facts_for("healthcare-works-jobs", "talent_pool")
    assert options(catalogue, facts, "healthcare-works-jobs")["completed"].reasons == (
        "Post appointed not yet recorded (job title, band and start date)",
    )


def test_placement_completion_needs_the_band_2_post(catalogue, satisfied_for) -> None:
    facts = satisfied_for("care-development-placement", "end_review", post=None)
    assert options(catalogue, facts, "care-development-placement")["completed"].reasons == (
        "Post appointed not yet recorded (job title, band and start date)",
    )


def test_pre_employment_completion_needs_the_evaluation(catalogue, facts_for) -> None:
    facts = facts_for("pre-employment-placement", "evaluation")
    assert options(catalogue, facts, "pre-employment-placement")["completed"].reasons == (
        "Evaluation (feedback and intentions) not yet recorded",
    )


def test_hda_enrolment_needs_the_care_certificate(catalogue, facts_for) -> None:
    facts = facts_for("higher-development-award")
    assert options(catalogue, facts, "higher-development-award")["studying"].reasons == (
        "Care Certificate not completed: every standard signed off in Waymark, "
        "or a prior completion recorded with its date and evidence",
    )


def test_hda_completion_needs_edi_and_attendance(catalogue, facts_for) -> None:
    facts = facts_for(
        "higher-development-award",
        "studying",
        attendance_days=6,
        signed_off=frozenset({"working_relationships", "career_development"}),
    )
    assert options(catalogue, facts, "higher-development-award")["completed"].reasons == (
        "Compulsory module not yet signed off: Equality, diversity and inclusion",
        "6 study days attended; 7 of 8 needed",
    )


def test_hda_optional_modules_are_not_required(catalogue, facts_for) -> None:
    facts = facts_for("higher-development-award", "studying", attendance_days=7, signed_off=frozenset({"edi"}))
    assert options(catalogue, facts, "higher-development-award")["completed"].allowed
