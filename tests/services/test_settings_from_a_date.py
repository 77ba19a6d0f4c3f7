"""Programme settings from a date: the day before and the day of a change, enrolments keeping theirs, moves."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Enrolment, EnrolmentSettings
from app.services import enrolments
from app.services.catalogue import latest_definition
from app.services.errors import PermissionDenied, StateConflict, ValidationFailed
from app.services.facts import assess_one
from app.services.settings_changes import move_to_current_settings, set_settings
from app.services.settings_reads import enrolment_settings_view, organisation_settings
from tests.factories import LearnerFactory, UserFactory

CORE_SIX = {"standard": "core", "duration_months": 6}


@pytest.fixture
def admin(world):
    return UserFactory(role="admin", organisation=world.lead.organisation)


def _settings(enrolment: Enrolment) -> dict:
    return dict(assess_one(db.session.get(Enrolment, enrolment.id), date(2026, 11, 25)).facts.settings)


def _enrol(world, start: date) -> Enrolment:
    learner = LearnerFactory(organisation=world.lead.organisation)
    return enrolments.enrol(world.lead, learner_id=learner.id, pathway_key="preceptorship", start_date=start)


def test_an_enrolment_starting_the_day_before_a_change_keeps_the_old_settings_and_the_day_of_takes_the_new(
    world, admin
):
    set_settings(admin, admin.organisation_id, "preceptorship", effective_from=date(2027, 1, 1), values=CORE_SIX)
    day_before, day_of = _enrol(world, date(2026, 12, 31)), _enrol(world, date(2027, 1, 1))
    assert (_settings(day_before)["standard"], _settings(day_before)["duration_months"]) == ("gold", 12)
    assert (_settings(day_of)["standard"], _settings(day_of)["duration_months"]) == ("core", 6)
    definition = latest_definition("preceptorship")
    assert organisation_settings(admin.organisation_id, definition, date(2026, 12, 31))["standard"] == "gold"
    assert organisation_settings(admin.organisation_id, definition, date(2027, 1, 1))["standard"] == "core"


def test_an_enrolment_already_started_keeps_its_settings_even_when_a_change_is_back_dated(world, admin):
    set_settings(admin, admin.organisation_id, "preceptorship", effective_from=date(2026, 6, 1), values=CORE_SIX)
    assert _settings(world.enrolment)["standard"] == "gold"  # started 1 September 2026, before the change was made
    assert _settings(world.enrolment)["duration_months"] == 12
    assert _settings(_enrol(world, date(2026, 12, 1)))["standard"] == "core"
    kept = db.session.scalars(select(EnrolmentSettings).where(EnrolmentSettings.enrolment_id == world.enrolment.id))
    assert [row.reason for row in kept] == ["Started before the settings changed"]


def test_a_second_change_keeps_what_the_first_chose(world, admin):
    org = admin.organisation_id
    set_settings(admin, org, "preceptorship", effective_from=date(2027, 1, 1), values={"duration_months": 18})
    set_settings(admin, org, "preceptorship", effective_from=date(2027, 6, 1), values={"preceptor_caseload": 2})
    later = organisation_settings(org, latest_definition("preceptorship"), date(2027, 7, 1))
    assert (later["duration_months"], later["preceptor_caseload"], later["standard"]) == (18, 2, "gold")


def test_another_organisations_enrolments_are_untouched(world, admin):
    set_settings(admin, admin.organisation_id, "preceptorship", effective_from=date(2026, 1, 1), values=CORE_SIX)
    assert _settings(world.foreign_enrolment)["standard"] == "gold"


def test_the_command_line_acts_as_the_system_and_is_audited(world):
    version = set_settings(
        None, world.lead.organisation_id, "preceptorship", effective_from=date(2027, 1, 1),
        values={"standard": "core", "duration_months": "6"}, as_text=True,
    )  # fmt: skip
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "settings.set"))
    assert event.object_id == version.id and event.organisation_id == world.lead.organisation_id
    assert '"changed": {"duration_months": 6, "standard": "core"}' in event.detail


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"duration_months": 5}, "duration_months", "Programme length in months must be at least 6"),
        ({"standard": "platinum"}, "standard", "Preceptorship standard must be one of: core, gold"),
        ({"duration_months": 6}, "duration_months", "A gold standard preceptorship lasts at least 12 months"),
        ({"duration_months": "12"}, "duration_months", "Programme length in months must be a whole number"),
        ({"caseload": 3}, "caseload", "Preceptorship has no setting called 'caseload'"),
        ({}, "values", "Give at least one setting and its new value"),
    ],
)
def test_a_bad_value_is_refused_naming_the_setting_and_nothing_is_written(
    world, admin, nothing_written, values, field, message
):
    with nothing_written(), pytest.raises(ValidationFailed) as refused:
        set_settings(admin, admin.organisation_id, "preceptorship", effective_from=date(2027, 1, 1), values=values)
    assert refused.value.fields == {field: message}


def test_text_that_is_not_a_number_is_refused_naming_the_setting(world, admin, nothing_written):
    with nothing_written(), pytest.raises(ValidationFailed) as refused:
        set_settings(
            admin, admin.organisation_id, "preceptorship", effective_from="",
            values={"protected_hours_per_month": "lots"}, as_text=True,
        )  # fmt: skip
    assert refused.value.fields == {
        "effective_from": "Enter the date the settings take effect",
        "protected_hours_per_month": "Protected learning hours a month must be a number",
    }


@pytest.mark.parametrize("who", ["lead", "learner", "foreign_admin"])
def test_only_an_administrator_of_the_organisation_changes_settings(world, who, nothing_written):
    actor = {
        "lead": world.lead,
        "learner": world.learner,
        "foreign_admin": UserFactory(role="admin", organisation=world.foreign_lead.organisation),
    }[who]
    with nothing_written(), pytest.raises(PermissionDenied):
        set_settings(actor, world.lead.organisation_id, "preceptorship", effective_from=date(2027, 1, 1), values={})


def test_a_lead_moves_one_enrolment_to_the_current_settings_with_a_reason(world, admin):
    set_settings(admin, admin.organisation_id, "preceptorship", effective_from=date(2026, 11, 1), values=CORE_SIX)
    assert not enrolment_settings_view(world.enrolment, latest_definition("preceptorship")).is_current
    move_to_current_settings(world.lead, world.enrolment.id, reason="Changed to the core programme at her request")
    assert (_settings(world.enrolment)["standard"], _settings(world.enrolment)["duration_months"]) == ("core", 6)
    view = enrolment_settings_view(world.enrolment, latest_definition("preceptorship"))
    assert view.is_current and view.effective_from == date(2026, 11, 1)
    assert [(m.reason, m.actor_id) for m in view.moves] == [
        ("Changed to the core programme at her request", world.lead.id)
    ]
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.enrolment_id == world.enrolment.id))
    assert "enrolment.settings_moved" in list(actions)


def test_moving_needs_a_reason_and_a_difference(world, admin, nothing_written):
    with nothing_written(), pytest.raises(StateConflict) as same:
        move_to_current_settings(world.lead, world.enrolment.id, reason="Just in case")
    assert same.value.fields == {"reason": "This learner already follows the current settings"}
    set_settings(admin, admin.organisation_id, "preceptorship", effective_from=date(2026, 11, 1), values=CORE_SIX)
    with nothing_written(), pytest.raises(ValidationFailed) as no_reason:
        move_to_current_settings(world.lead, world.enrolment.id, reason="  ")
    assert no_reason.value.fields == {"reason": "Enter why this learner moves to the current settings"}


def test_a_preceptor_cannot_move_an_enrolment(world, admin, nothing_written):
    set_settings(admin, admin.organisation_id, "preceptorship", effective_from=date(2026, 11, 1), values=CORE_SIX)
    with nothing_written(), pytest.raises(PermissionDenied):
        move_to_current_settings(world.preceptor, world.enrolment.id, reason="Asked to")
