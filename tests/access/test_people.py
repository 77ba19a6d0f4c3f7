"""People and sites: admins manage anyone, leads manage learners and preceptors; disabling ends access at once."""

from __future__ import annotations

from datetime import date

import pytest

from app.extensions import db
from app.models import AuditEvent, Site, User
from app.services import tokens
from tests.factories import AdminFactory, LeadFactory, LearnerFactory, SiteFactory
from tests.web.conftest import FreshClient, assert_error, count, date_fields

NEW = {
    "first_name": "Chidi",
    "last_name": "Okafor-Brown",
    "email": "Chidi.Okafor@nhs.uk",
    "employee_number": "E9001",
    "role": "learner",
    "profession": "Registered Nurse",
    "band": "5",
    "contracted_hours_per_week": "37.5",
}


def fresh(app):
    return FreshClient(app, app.response_class)


def test_a_lead_adds_a_learner_with_the_dates_the_rules_read(world, as_user):
    client = as_user(world.lead)
    data = {**NEW, **date_fields("registration_date", date(2026, 8, 1))}
    response = client.post("/admin/users/new", data=data)
    assert response.status_code == 302
    person = db.session.scalar(db.select(User).where(User.employee_number == "E9001"))
    assert person.email == "chidi.okafor@nhs.uk" and person.password_hash is None
    assert person.contracted_hours_per_week == 37.5 and str(person.registration_date) == "2026-08-01"
    page = client.get(response.location).get_data(as_text=True)
    assert "Chidi Okafor-Brown" in page and 'value="37.5"' in page


@pytest.mark.parametrize("role", ["lead", "admin"])
def test_only_an_admin_makes_a_lead_or_an_admin(world, as_user, app, role):
    refused = as_user(world.lead).post("/admin/users/new", data={**NEW, "role": role})
    assert refused.status_code == 403
    admin = AdminFactory(organisation=world.lead.organisation)
    assert as_user(admin).post("/admin/users/new", data={**NEW, "role": role}).status_code == 302


def test_a_lead_cannot_change_or_disable_an_admin(world, as_user):
    admin = AdminFactory(organisation=world.lead.organisation)
    client = as_user(world.lead)
    assert client.post(f"/admin/users/{admin.id}", data={**NEW, "role": "admin"}).status_code == 403
    assert client.post(f"/admin/users/{admin.id}/disable").status_code == 403
    assert db.session.get(User, admin.id).is_enabled


def test_bad_details_are_shown_beside_their_fields_and_nothing_changes(world, as_user, nothing_written):
    data = {**NEW, "email": "not an address", "first_name": "", "contracted_hours_per_week": "nan"}
    with nothing_written():
        response = as_user(world.lead).post("/admin/users/new", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert_error(html, "email", "Enter an email address in the correct format")
    assert_error(html, "first_name", "Enter a first name")
    assert_error(html, "contracted_hours_per_week", "Enter the contracted hours a week")


def test_dates_of_what_has_happened_cannot_be_after_today_but_a_leaving_date_can(world, as_user, nothing_written):
    later = date.today().replace(year=date.today().year + 3)
    data = {**NEW, **date_fields("date_of_birth", later), **date_fields("registration_date", later)}
    with nothing_written():
        response = as_user(world.lead).post("/admin/users/new", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert_error(html, "date_of_birth", "is after today; enter the date it happened", "date_of_birth-day")
    assert_error(html, "registration_date", "is after today; enter the date it happened", "registration_date-day")
    response = as_user(world.lead).post("/admin/users/new", data={**NEW, **date_fields("leaving_date", later)})
    assert response.status_code == 302
    assert db.session.scalar(db.select(User.leaving_date).where(User.employee_number == "E9001")) == later


def test_an_email_already_in_use_is_refused(world, as_user):
    LearnerFactory(organisation=world.foreign_lead.organisation, email="amira.khan@nhs.uk")
    response = as_user(world.lead).post("/admin/users/new", data={**NEW, "email": "Amira.Khan@nhs.uk"})
    assert_error(response.get_data(as_text=True), "email", "Someone already has this email address")


def test_a_lead_records_a_leaving_date_and_promotes_a_learner_to_preceptor(world, as_user):
    person = world.learner
    data = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "employee_number": person.employee_number,
        "role": "preceptor",
        **date_fields("leaving_date", date(2027, 3, 31)),
    }
    assert as_user(world.lead).post(f"/admin/users/{person.id}", data=data).status_code == 302
    db.session.expire_all()
    changed = db.session.get(User, person.id)
    assert changed.role == "preceptor" and str(changed.leaving_date) == "2027-03-31"


def test_disabling_ends_sessions_and_tokens_at_once_and_enabling_lets_them_back(app, world, as_user):
    token = tokens.issue(world.learner)
    learner_browser = as_user(world.learner)
    assert learner_browser.get("/learner/").status_code == 200
    assert as_user(world.lead).post(f"/admin/users/{world.learner.id}/disable").status_code == 302
    assert "/login" in learner_browser.get("/learner/").location
    assert fresh(app).get("/api/v1/pathways", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert as_user(world.lead).post(f"/admin/users/{world.learner.id}/enable").status_code == 302
    db.session.expire_all()
    assert db.session.get(User, world.learner.id).is_enabled
    assert count(AuditEvent, AuditEvent.action == "user.disabled") == 1


def test_another_organisations_people_do_not_exist_here(world, as_user):
    client = as_user(world.lead)
    assert client.get(f"/admin/users/{world.foreign_learner.id}").status_code == 404
    assert client.post(f"/admin/users/{world.foreign_learner.id}/disable").status_code == 404
    assert world.foreign_learner.full_name not in client.get("/admin/users").get_data(as_text=True)


def test_learners_and_preceptors_cannot_open_the_people_pages(world, as_user):
    assert as_user(world.learner).get("/admin/users").status_code == 403
    assert as_user(world.preceptor).get(f"/admin/users/{world.learner.id}").status_code == 403


def test_an_admin_adds_and_renames_sites_and_a_lead_cannot(world, as_user):
    admin = AdminFactory(organisation=world.lead.organisation)
    client = as_user(admin)
    assert client.post("/admin/sites", data={"name": "Riverside Health Centre"}).status_code == 302
    site = db.session.scalar(db.select(Site).where(Site.name == "Riverside Health Centre"))
    assert client.post(f"/admin/sites/{site.id}", data={"name": "Riverside Community Hospital"}).status_code == 302
    duplicate = client.post("/admin/sites", data={"name": "riverside community hospital"})
    assert_error(duplicate.get_data(as_text=True), "name", "already has a site with this name")
    assert as_user(world.lead).post("/admin/sites", data={"name": "Elsewhere"}).status_code == 403


def test_the_navigation_links_to_people(world, as_user):
    assert 'href="/admin/users"' in as_user(world.lead).get("/lead/").get_data(as_text=True)


# The API
def bearer(user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens.issue(user)}"}


def test_api_lists_creates_reads_and_patches_people(app, world):
    header = bearer(world.lead)
    body = {k: v for k, v in NEW.items() if k != "contracted_hours_per_week"} | {"contracted_hours_per_week": 30}
    created = fresh(app).post("/api/v1/people", json=body, headers=header)
    assert created.status_code == 201 and created.json["has_password"] is False
    person_id = created.json["id"]
    listed = fresh(app).get("/api/v1/people?role=learner", headers=header).json
    assert person_id in [p["id"] for p in listed["items"]]
    patched = fresh(app).patch(f"/api/v1/people/{person_id}", json={"band": "6", "enabled": False}, headers=header)
    assert patched.status_code == 200 and patched.json["band"] == "6" and patched.json["enabled"] is False
    assert fresh(app).get(f"/api/v1/people/{person_id}", headers=header).json["enabled"] is False


def test_api_refuses_bad_bodies_and_other_organisations(app, world, nothing_written):
    header = bearer(world.lead)
    with nothing_written():
        bad = fresh(app).post("/api/v1/people", json={**NEW, "email": "nope"}, headers=header)
    assert bad.status_code == 422 and "email" in bad.json["error"]["fields"]
    promote = fresh(app).patch(f"/api/v1/people/{world.learner.id}", json={"role": "admin"}, headers=header)
    assert promote.status_code == 403
    assert fresh(app).get(f"/api/v1/people/{world.foreign_learner.id}", headers=header).status_code == 404
    assert fresh(app).get("/api/v1/people", headers=bearer(world.learner)).status_code == 403


# The command line
def test_cli_disables_and_enables_by_email(app, world):
    token = tokens.issue(world.learner)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "disable", world.learner.email])
    assert result.exit_code == 0 and "Disabled" in result.output
    assert fresh(app).get("/api/v1/pathways", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert runner.invoke(args=["users", "enable", world.learner.email]).exit_code == 0
    db.session.expire_all()
    assert db.session.get(User, world.learner.id).is_enabled
    missing = runner.invoke(args=["users", "disable", "nobody@nhs.test"])
    assert missing.exit_code == 1 and "There is no one with the email address nobody@nhs.test" in missing.output


def test_a_site_of_another_organisation_cannot_be_given(world, as_user):
    elsewhere = SiteFactory(organisation=world.foreign_lead.organisation)
    response = as_user(LeadFactory(organisation=world.lead.organisation)).post(
        f"/admin/users/{world.learner.id}",
        data={
            "first_name": "A",
            "last_name": "B",
            "email": world.learner.email,
            "employee_number": world.learner.employee_number,
            "role": "learner",
            "site_id": str(elsewhere.id),
        },
    )
    assert response.status_code == 400


def test_the_person_page_shows_the_profession_title_and_saves_it_back_as_the_key(world, as_user):
    client = as_user(world.lead)
    page = client.get(f"/admin/users/{world.learner.id}").get_data(as_text=True)
    assert 'value="Registered nurse (adult)"' in page and "adult_nursing" not in page
    form = {"first_name": world.learner.first_name, "last_name": world.learner.last_name,
            "email": world.learner.email, "employee_number": world.learner.employee_number, "role": "learner",
            "profession": "Registered nurse (adult)", "band": "5"}  # fmt: skip
    assert client.post(f"/admin/users/{world.learner.id}", data=form).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, world.learner.id).profession == "adult_nursing"
