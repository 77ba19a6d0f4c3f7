"""The administrator's settings pages: in force today, a change from a date, refusals next to the field."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import SettingsVersion
from app.services.clock import today
from app.services.settings_changes import set_settings
from tests.factories import UserFactory
from tests.web.conftest import assert_error, audit_actions, date_fields


@pytest.fixture
def admin(world):
    return UserFactory(role="admin", organisation=world.lead.organisation)


def _form(**changes) -> dict[str, str]:
    form = {"standard": "gold", "duration_months": "12", "protected_hours_per_month": "7.5", "preceptor_caseload": "3",
            "preceptor_protected_hours_core": "8", "preceptor_protected_hours_gold": "12",
            **date_fields("effective_from", date(2027, 1, 1))}  # fmt: skip
    form.update(changes)
    return form


def test_the_navigation_takes_an_admin_to_every_programmes_settings(world, admin, as_user):
    client = as_user(admin)
    assert 'href="/settings/"' in client.get("/lead/").get_data(as_text=True)
    html = client.get("/settings/").get_data(as_text=True)
    assert "Preceptorship" in html and "Preceptees per preceptor" in html and "Study days to attend" in html


def test_an_admin_changes_settings_from_a_date_and_sees_them_to_come(world, admin, as_user):
    client = as_user(admin)
    form_page = client.get("/settings/preceptorship/change").get_data(as_text=True)
    assert 'name="standard"' in form_page and 'name="effective_from[day]"' in form_page
    response = client.post("/settings/preceptorship/change", data=_form(standard="core", duration_months="6"))
    assert response.status_code == 302 and response.location.endswith("/settings/preceptorship")
    html = client.get("/settings/preceptorship").get_data(as_text=True)
    assert "New preceptorship settings from 1 January 2027 saved" in html
    assert "Changes to come" in html and "From 1 January 2027" in html
    version = db.session.scalars(select(SettingsVersion).order_by(SettingsVersion.id.desc())).first()
    assert version.choices["standard"] == "core" and version.choices["duration_months"] == 6
    assert version.set_by_id == admin.id


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"duration_months": "6"}, "duration_months", "A gold standard preceptorship lasts at least 12 months"),
        ({"preceptor_caseload": "three"}, "preceptor_caseload", "Preceptees per preceptor must be a whole number"),
        ({"effective_from[day]": "", "effective_from[month]": "", "effective_from[year]": ""}, "effective_from",
         "Enter the date the settings take effect"),
    ],
)  # fmt: skip
def test_a_bad_value_is_shown_next_to_its_field_and_nothing_is_saved(world, admin, as_user, changes, field, message):
    response = as_user(admin).post("/settings/preceptorship/change", data=_form(**changes))
    assert response.status_code == 400
    anchor = f"{field}-day" if field == "effective_from" else None
    assert_error(response.get_data(as_text=True), field, message, anchor)
    assert db.session.scalar(select(SettingsVersion.id)) is None


@pytest.mark.parametrize("role", ["lead", "preceptor", "learner"])
def test_only_an_admin_opens_the_settings_pages(world, as_user, role):
    client = as_user(getattr(world, role))
    assert client.get("/settings/").status_code == 403
    assert client.post("/settings/preceptorship/change", data=_form()).status_code == 403


def test_an_unknown_programme_is_not_found(world, admin, as_user):
    assert as_user(admin).get("/settings/nursing").status_code == 404


def test_the_record_shows_kept_settings_and_a_lead_moves_the_learner_with_a_reason(world, admin, as_user):
    set_settings(admin, admin.organisation_id, "preceptorship", effective_from=today(),
                 values={"standard": "core", "duration_months": 6})  # fmt: skip
    client = as_user(world.lead)
    record = client.get(f"/lead/enrolments/{world.enrolment.id}").get_data(as_text=True)
    assert "the organisation's settings have changed since" in record
    assert "Move this learner to the current settings" in record
    refused = client.post(f"/lead/enrolments/{world.enrolment.id}/settings", data={"reason": ""})
    assert refused.status_code == 400
    assert_error(refused.get_data(as_text=True), "reason", "Enter why this learner moves to the current settings")
    moved = client.post(f"/lead/enrolments/{world.enrolment.id}/settings", data={"reason": "Moved to core at review"})
    assert moved.status_code == 302
    record = client.get(f"/lead/enrolments/{world.enrolment.id}").get_data(as_text=True)
    assert "This learner follows the current settings" in record
    assert f"by {world.lead.full_name}: Moved to core at review" in record.replace("&#39;", "'")
    assert "enrolment.settings_moved" in audit_actions(world.enrolment.id)


def test_a_preceptor_cannot_move_a_learner(world, as_user):
    response = as_user(world.preceptor).post(f"/lead/enrolments/{world.enrolment.id}/settings", data={"reason": "x"})
    assert response.status_code == 403
