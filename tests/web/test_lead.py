"""The programme lead's pages: cohorts, enrolling, preceptors, status changes, records, programmes, audit."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import (
    Attendance,
    Check,
    Cohort,
    Confirmation,
    Enrolment,
    PreceptorAssignment,
    TransitionEvent,
)
from app.services import lead_pages, transitions
from app.services.clock import today
from tests.factories import LearnerFactory
from tests.web.conftest import assert_error, audit_actions, count, date_fields, shown


def test_cohorts_list_with_figures(world, as_user):
    transitions.transition(world.lead, world.other_enrolment.id, "withdraw", reason="Left the trust")
    html = as_user(world.lead).get("/lead/").get_data(as_text=True)
    assert world.cohort.name in html and "Preceptorship" in html
    assert "Withdrawn" in html and "Completion" in html


def test_sign_in_takes_a_lead_to_who_needs_attention(world, as_user):
    assert as_user(world.lead).get("/").location.endswith("/lead/home")


@pytest.mark.parametrize("role", ["learner", "preceptor"])
def test_other_roles_cannot_open_lead_pages(world, as_user, role):
    client = as_user(getattr(world, role))
    assert client.get("/lead/").status_code == 403
    assert client.post("/lead/cohorts/new", data={"name": "X"}).status_code == 403
    assert count(Cohort) == 1


def cohort_form(**changes) -> dict[str, str]:
    return {
        "name": "Preceptorship March 2027",
        "pathway_key": "preceptorship",
        **date_fields("start_date", today()),
        **changes,
    }


def test_create_cohort(world, as_user):
    response = as_user(world.lead).post("/lead/cohorts/new", data=cohort_form())
    assert response.status_code == 302
    assert db.session.scalar(select(Cohort).where(Cohort.name == "Preceptorship March 2027")) is not None
    assert "Learners by stage" in as_user(world.lead).get(response.location).get_data(as_text=True)


@pytest.mark.parametrize(
    ("changes", "field", "anchor", "message"),
    [
        ({"name": ""}, "name", "name", "Enter a name for the cohort"),
        ({"name": "x" * 121}, "name", "name", "120 characters or fewer"),
        ({"pathway_key": ""}, "pathway_key", "pathway_key", "Select the programme"),
        ({"pathway_key": "astronaut"}, "pathway_key", "pathway_key", "There is no programme called"),
        (
            {"start_date[day]": "", "start_date[month]": "", "start_date[year]": ""},
            "start_date",
            "start_date-day",
            "Enter the cohort&#39;s start date".replace("&#39;", "'"),
        ),
    ],
)
def test_create_cohort_refuses_bad_input(world, as_user, changes, field, anchor, message):
    response = as_user(world.lead).post("/lead/cohorts/new", data=cohort_form(**changes))
    assert response.status_code == 400
    assert_error(response.get_data(as_text=True), field, message, anchor)
    assert count(Cohort) == 1


def test_duplicate_cohort_name_is_refused(world, as_user):
    response = as_user(world.lead).post("/lead/cohorts/new", data=cohort_form(name=world.cohort.name))
    assert_error(response.get_data(as_text=True), "name", "There is already a cohort called")
    assert count(Cohort) == 1


def stage_count(html: str, stage: str) -> int:
    return int(re.search(rf'id="stage-{stage}">.*?data-count="(\d+)"', html, re.S).group(1))


def test_cohort_page_shows_learners_by_stage(world, as_user):
    transitions.transition(world.lead, world.enrolment.id, "advance", to="supernumerary")
    html = as_user(world.lead).get(f"/lead/cohorts/{world.cohort.id}").get_data(as_text=True)
    assert stage_count(html, "enrolled") == 1 and stage_count(html, "supernumerary") == 1
    assert html.index("<h3>Enrolled</h3>") < html.index(shown(world.other_learner))
    assert html.index(shown(world.other_learner)) < html.index("<h3>Supernumerary period</h3>")
    assert html.index("<h3>Supernumerary period</h3>") < html.rindex(shown(world.learner))


def test_cohort_page_filters_by_stage_and_pages(world, as_user, monkeypatch):
    transitions.transition(world.lead, world.enrolment.id, "advance", to="supernumerary")
    client = as_user(world.lead)
    html = client.get(f"/lead/cohorts/{world.cohort.id}?stage=supernumerary").get_data(as_text=True)
    assert shown(world.learner) in html and shown(world.other_learner) not in html
    monkeypatch.setattr(lead_pages, "PER_PAGE", 1)
    first = client.get(f"/lead/cohorts/{world.cohort.id}").get_data(as_text=True)
    second = client.get(f"/lead/cohorts/{world.cohort.id}?page=2").get_data(as_text=True)
    assert shown(world.other_learner) in first and shown(world.learner) not in first.split("<h2>")[-1]
    assert "Page 2 of 2" in first and shown(world.learner) in second
    assert client.get(f"/lead/cohorts/{world.cohort.id}?page=99").status_code == 200


def test_another_organisations_cohort_is_not_found(world, as_user):
    assert as_user(world.foreign_lead).get(f"/lead/cohorts/{world.cohort.id}").status_code == 404


def test_enrol_a_learner(world, as_user):
    newcomer = LearnerFactory(organisation=world.lead.organisation)
    client = as_user(world.lead)
    assert shown(newcomer) in client.get("/lead/enrol").get_data(as_text=True)
    response = client.post(
        "/lead/enrol",
        data={
            "learner": newcomer.id,
            "pathway_key": "preceptorship",
            "cohort": world.cohort.id,
            "preceptor": world.preceptor.id,
            **date_fields("start_date", today()),
        },
    )
    assert response.status_code == 302
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.learner_id == newcomer.id))
    assert enrolment.cohort_id == world.cohort.id
    assert "enrolment.created" in audit_actions(enrolment.id)


@pytest.mark.parametrize(
    ("changes", "field", "anchor", "message"),
    [
        ({"learner": ""}, "learner", "learner", "Select the learner"),
        ({"pathway_key": ""}, "pathway_key", "pathway_key", "Select the programme"),
        ({"start_date[day]": ""}, "start_date", "start_date-day", "Enter a real date"),
        ({"cohort": "999999"}, "cohort", "cohort", "There is no such cohort in your organisation"),
        ({"cohort": "x'1"}, "cohort", "cohort", "There is no such cohort in your organisation"),
        ({"learner": "abc"}, "learner", "learner", "There is no such learner in your organisation"),
        ({"preceptor": "-3"}, "preceptor", "preceptor", "There is no such preceptor in your organisation"),
        ({"pathway_key": "wecare-support-worker"}, "cohort", "cohort", "is on a different programme"),
    ],
)
def test_enrol_refuses_bad_input(world, as_user, changes, field, anchor, message):
    newcomer = LearnerFactory(organisation=world.lead.organisation)
    data = {
        "learner": newcomer.id,
        "pathway_key": "preceptorship",
        "cohort": world.cohort.id,
        **date_fields("start_date", today()),
        **changes,
    }
    response = as_user(world.lead).post("/lead/enrol", data=data)
    assert response.status_code == 400
    assert_error(response.get_data(as_text=True), field, message, anchor)
    assert count(Enrolment, Enrolment.learner_id == newcomer.id) == 0


def test_enrolling_someone_already_on_the_programme_is_refused(world, as_user):
    data = {"learner": world.learner.id, "pathway_key": "preceptorship", **date_fields("start_date", today())}
    response = as_user(world.lead).post("/lead/enrol", data=data)
    assert_error(response.get_data(as_text=True), "learner", "is already on this programme")
    assert count(Enrolment, Enrolment.learner_id == world.learner.id) == 1


def test_enrolling_another_organisations_learner_is_refused(world, as_user):
    data = {
        "learner": world.foreign_learner.id,
        "pathway_key": "wecare-support-worker",
        **date_fields("start_date", today()),
    }
    response = as_user(world.lead).post("/lead/enrol", data=data)
    assert_error(response.get_data(as_text=True), "learner", "There is no such learner in your organisation")
    assert count(Enrolment, Enrolment.learner_id == world.foreign_learner.id) == 1


def test_reassign_preceptor_keeps_history(world, as_user):
    client = as_user(world.lead)
    url = f"/lead/enrolments/{world.enrolment.id}/preceptor"
    response = client.post(url, data={"preceptor": world.other_preceptor.id, "reason": "Moved ward"})
    assert response.status_code == 302
    rows = db.session.scalars(
        select(PreceptorAssignment)
        .where(PreceptorAssignment.enrolment_id == world.enrolment.id)
        .order_by(PreceptorAssignment.id)
    ).all()
    assert [r.preceptor_id for r in rows] == [world.preceptor.id, world.other_preceptor.id]
    assert rows[0].ended_on == today() and rows[1].ended_on is None
    html = client.get(f"/lead/enrolments/{world.enrolment.id}").get_data(as_text=True)
    assert "Preceptor history" in html and "Moved ward" in html
    assert "preceptor.assigned" in audit_actions(world.enrolment.id)


def test_assign_refuses_bad_input(world, as_user):
    client = as_user(world.lead)
    url = f"/lead/enrolments/{world.enrolment.id}/preceptor"
    assert_error(client.post(url, data={"preceptor": ""}).get_data(as_text=True), "preceptor", "Select the preceptor")
    assert_error(
        client.post(url, data={"preceptor": world.preceptor.id}).get_data(as_text=True),
        "preceptor",
        "is already this learner",
    )
    assert_error(
        client.post(url, data={"preceptor": world.learner.id}).get_data(as_text=True), "preceptor", "is not a preceptor"
    )
    assert count(PreceptorAssignment, PreceptorAssignment.enrolment_id == world.enrolment.id) == 1


@pytest.mark.parametrize(
    ("action", "data", "state"),
    [
        ("hold", {"reason": "Maternity leave"}, "on_hold"),
        ("withdraw", {"reason": "Left the trust"}, "withdrawn"),
        ("extend", {"reason": "Long-term sickness", **date_fields("new_end", today() + timedelta(days=400))}, "active"),
    ],
)
def test_status_changes(world, as_user, action, data, state):
    response = as_user(world.lead).post(f"/lead/enrolments/{world.enrolment.id}/{action}", data=data)
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Enrolment, world.enrolment.id).state == state
    assert f"enrolment.{action}" in audit_actions(world.enrolment.id)


def test_resume_after_hold(world, as_user):
    transitions.transition(world.lead, world.enrolment.id, "hold", reason="Sickness")
    client = as_user(world.lead)
    assert "Resume" in client.get(f"/lead/enrolments/{world.enrolment.id}").get_data(as_text=True)
    assert client.post(f"/lead/enrolments/{world.enrolment.id}/resume", data={"reason": ""}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Enrolment, world.enrolment.id).state == "active"


@pytest.mark.parametrize(
    ("action", "data", "field", "anchor", "message"),
    [
        ("hold", {"reason": ""}, "reason", "reason", "Enter a reason to hold this enrolment"),
        ("withdraw", {"reason": " "}, "reason", "reason", "Enter a reason to withdraw this enrolment"),
        ("extend", {"reason": "Sickness"}, "new_end", "new_end-day", "Enter the new expected end date"),
        ("resume", {"reason": ""}, "reason", "reason", "on hold"),
    ],
)
def test_status_changes_refuse_bad_input(world, as_user, action, data, field, anchor, message):
    response = as_user(world.lead).post(f"/lead/enrolments/{world.enrolment.id}/{action}", data=data)
    assert response.status_code == 400
    assert_error(response.get_data(as_text=True), field, message, anchor)
    assert count(TransitionEvent, TransitionEvent.enrolment_id == world.enrolment.id) == 1


def test_lead_advances_and_cohort_figures_follow(world, as_user):
    client = as_user(world.lead)
    response = client.post(f"/lead/enrolments/{world.enrolment.id}/advance", data={"to": "supernumerary"})
    assert response.status_code == 302
    html = client.get(f"/lead/cohorts/{world.cohort.id}").get_data(as_text=True)
    assert stage_count(html, "supernumerary") == 1 and stage_count(html, "enrolled") == 1


def test_another_organisations_lead_gets_not_found(world, as_user):
    client = as_user(world.foreign_lead)
    for path in ["", "/audit", "/preceptor", "/hold", "/checks/new"]:
        assert client.get(f"/lead/enrolments/{world.enrolment.id}{path}").status_code == 404, path
    assert client.post(f"/lead/enrolments/{world.enrolment.id}/hold", data={"reason": "x"}).status_code == 404
    assert (
        client.post(f"/lead/enrolments/{world.enrolment.id}/advance", data={"to": "supernumerary"}).status_code == 404
    )
    assert count(TransitionEvent, TransitionEvent.enrolment_id == world.enrolment.id) == 1


def test_programme_page_draws_the_pathway_with_counts(world, as_user):
    html = as_user(world.lead).get("/lead/programmes/preceptorship").get_data(as_text=True)
    assert "<svg" in html and 'role="img"' in html and "Enrolled 2" in html
    assert "Preceptorship" in as_user(world.lead).get("/lead/programmes").get_data(as_text=True)
    assert as_user(world.lead).get("/lead/programmes/astronaut").status_code == 404


def test_audit_trail(world, as_user):
    transitions.transition(world.lead, world.enrolment.id, "hold", reason="Maternity leave")
    html = as_user(world.lead).get(f"/lead/enrolments/{world.enrolment.id}/audit").get_data(as_text=True)
    assert "Enrolled on Preceptorship" in html and "Put on hold: Maternity leave" in html
    assert shown(world.lead) in html


def test_record_a_check(world, as_user):
    url = f"/lead/enrolments/{world.enrolment.id}/checks/new"
    data = {"kind": "dbs", "result": "cleared", **date_fields("checked_on", today()), "notes": "Enhanced"}
    assert as_user(world.lead).post(url, data=data).status_code == 302
    assert db.session.scalars(select(Check)).one().result == "cleared"


@pytest.mark.parametrize(
    ("changes", "field", "anchor", "message"),
    [
        ({"kind": ""}, "kind", "kind", "Select the kind of check"),
        ({"result": ""}, "result", "result", "Select the result"),
        ({"result": "ready"}, "result", "result", "Select the result: pending, cleared"),
        (date_fields("checked_on", today() + timedelta(days=3)), "checked_on", "checked_on-day", "in the future"),
    ],
)
def test_record_check_refuses_bad_input(world, as_user, changes, field, anchor, message):
    url = f"/lead/enrolments/{world.enrolment.id}/checks/new"
    data = {"kind": "dbs", "result": "cleared", **date_fields("checked_on", today()), **changes}
    response = as_user(world.lead).post(url, data=data)
    assert response.status_code == 400
    assert_error(response.get_data(as_text=True), field, message, anchor)
    assert count(Check) == 0


def test_the_countersignature_waits_for_the_final_review_and_attendance_is_recorded(world, as_user):
    client = as_user(world.lead)
    base = f"/lead/enrolments/{world.enrolment.id}"
    page = client.get(f"{base}/confirmations/new").get_data(as_text=True)
    assert "lead_countersignature" in page
    response = client.post(f"{base}/confirmations/new", data={"name": "lead_countersignature"})
    assert response.status_code == 400
    assert "This can be recorded only at the Final review stage" in response.get_data(as_text=True)
    assert count(Confirmation) == 0
    data = {**date_fields("attended_on", today()), "title": "Study day 1"}
    assert client.post(f"{base}/attendance/new", data=data).status_code == 302
    assert count(Attendance) == 1


def test_record_confirmation_and_attendance_refuse_bad_input(world, as_user):
    client = as_user(world.lead)
    base = f"/lead/enrolments/{world.enrolment.id}"
    response = client.post(f"{base}/confirmations/new", data={"name": "moon_landing"})
    assert_error(response.get_data(as_text=True), "name", "Select what is being confirmed")
    response = client.post(f"{base}/attendance/new", data={**date_fields("attended_on", today()), "title": ""})
    assert_error(response.get_data(as_text=True), "title", "Enter the name of the day attended")
    assert count(Confirmation) == 0 and count(Attendance) == 0
