"""Preceptor protected time: a preceptor logs their own, used and left add up, and who is short of time."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.services.errors import NotFound, PermissionDenied, StateConflict, ValidationFailed
from app.services.protected_time import (
    log_protected_time,
    preceptor_time,
    preceptors_short_of_time,
    protected_time_overview,
    remove_protected_time,
)
from app.services.settings_changes import set_settings
from tests.factories import PreceptorFactory, UserFactory

TODAY = date(2026, 11, 25)  # April to October over: 7 twelfths of the year's allowance are due


def _log(preceptor, hours, on=date(2026, 10, 1), activity="meeting"):
    return log_protected_time(preceptor, used_on=on, hours=hours, activity=activity, note="")


def test_used_and_left_over_the_year_not_counting_last_year_or_removed_time(world):
    _log(world.preceptor, "3")
    _log(world.preceptor, 2.5, on=date(2026, 4, 1))
    _log(world.preceptor, 4, on=date(2026, 3, 31))  # last financial year
    mistake = _log(world.preceptor, 1)
    remove_protected_time(world.preceptor, mistake.id)
    own = preceptor_time(world.preceptor)
    assert (own.ledger.allowance, own.ledger.used, own.ledger.left) == (12.0, 5.5, 6.5)
    assert (own.ledger.expected, own.ledger.short_by) == (7.0, 1.5)
    assert [float(e.hours) for e in own.entries] == [3.0, 2.5]


def test_who_is_short_of_time(world):
    plenty = PreceptorFactory(organisation=world.lead.organisation)
    _log(plenty, 8)
    _log(world.preceptor, 1)
    short = preceptors_short_of_time(world.lead.organisation_id, TODAY)
    assert [(row.preceptor.id, row.ledger.short_by) for row in short] == [(world.preceptor.id, 6.0)]
    everyone = {row.preceptor.id for row in protected_time_overview(world.lead)}
    assert everyone == {world.preceptor.id, plenty.id}  # other_preceptor supports no preceptee


@pytest.mark.parametrize(("effective_from", "hours"), [(date(2026, 4, 1), 8.0), (date(2026, 4, 2), 12.0)])
def test_the_allowance_is_the_standard_in_force_on_the_years_first_day(world, effective_from, hours):
    admin = UserFactory(role="admin", organisation=world.lead.organisation)
    set_settings(admin, admin.organisation_id, "preceptorship", effective_from=effective_from,
                 values={"standard": "core", "duration_months": 6})  # fmt: skip
    assert preceptor_time(world.preceptor).ledger.allowance == hours


def test_the_organisation_sets_the_allowance_above_the_national_minimum_and_not_below(world, nothing_written):
    admin = UserFactory(role="admin", organisation=world.lead.organisation)
    set_settings(admin, admin.organisation_id, "preceptorship", effective_from=date(2026, 4, 1),
                 values={"preceptor_protected_hours_gold": 18})  # fmt: skip
    ledger = preceptor_time(world.preceptor).ledger
    assert (ledger.allowance, ledger.expected) == (18.0, 10.5)
    with nothing_written(), pytest.raises(ValidationFailed) as refused:
        set_settings(admin, admin.organisation_id, "preceptorship", effective_from=date(2027, 4, 1),
                     values={"preceptor_protected_hours_gold": 6})  # fmt: skip
    assert "at least 12" in refused.value.fields["preceptor_protected_hours_gold"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"used_on": date(2026, 11, 26)}, "used_on", "The date cannot be in the future"),
        ({"used_on": None}, "used_on", "Enter the date of the protected time"),
        ({"hours": 0}, "hours", "Hours must be more than 0 and no more than 24"),
        ({"hours": "two"}, "hours", "Enter the hours as a number, like 1.5"),
        ({"activity": "lunch"}, "activity", "Select what the time was for"),
    ],
)
def test_bad_entries_are_refused_with_nothing_written(world, nothing_written, changes, field, message):
    entry = {"used_on": date(2026, 11, 1), "hours": 1, "activity": "meeting", "note": "", **changes}
    with nothing_written(), pytest.raises(ValidationFailed) as refused:
        log_protected_time(world.preceptor, **entry)
    assert refused.value.fields == {field: message}


def test_no_more_than_24_hours_a_day(world, nothing_written):
    _log(world.preceptor, 20)
    with nothing_written(), pytest.raises(StateConflict):
        _log(world.preceptor, 5)


@pytest.mark.parametrize("who", ["lead", "learner"])
def test_only_a_preceptor_logs_their_own_time(world, nothing_written, who):
    with nothing_written(), pytest.raises(PermissionDenied):
        _log(getattr(world, who), 1)


def test_a_lead_sees_a_preceptors_time_and_other_preceptors_do_not(world, nothing_written):
    _log(world.preceptor, 2)
    assert preceptor_time(world.lead, world.preceptor.id).ledger.used == 2.0
    with pytest.raises(PermissionDenied):
        preceptor_time(world.other_preceptor, world.preceptor.id)
    with pytest.raises(NotFound):
        preceptor_time(world.foreign_lead, world.preceptor.id)
    with nothing_written(), pytest.raises(NotFound):
        remove_protected_time(world.other_preceptor, preceptor_time(world.preceptor).entries[0].id)


def test_an_entry_can_be_removed_only_in_the_first_fortnight(world, time_machine, nothing_written):
    entry = _log(world.preceptor, 1)
    time_machine.shift(timedelta(days=15))
    with nothing_written(), pytest.raises(PermissionDenied) as refused:
        remove_protected_time(world.preceptor, entry.id)
    assert refused.value.message == "Entries can be removed for 14 days after they were logged"
