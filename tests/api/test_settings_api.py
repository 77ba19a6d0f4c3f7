"""``GET`` and ``PUT /api/v1/settings/{pathway}``: administrators only, bad values refused with nothing written."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from app.services import tokens
from tests.api.test_schema_fuzz import CHECKS
from tests.factories import UserFactory


@pytest.fixture
def admin_auth(world):
    admin = UserFactory(role="admin", organisation=world.lead.organisation)
    return {"Authorization": f"Bearer {tokens.issue(admin)}"}


def test_an_admin_reads_the_settings_in_force_with_each_settings_checks(client, world, admin_auth):
    body = client.get("/api/v1/settings/preceptorship", headers=admin_auth).json
    assert body["pathway"] == "preceptorship" and body["on"] == "2026-11-25"
    assert body["values"] == {
        "standard": "gold", "duration_months": 12, "protected_hours_per_month": 7.5, "preceptor_caseload": 3,
        "preceptor_protected_hours_core": 8, "preceptor_protected_hours_gold": 12,
    }  # fmt: skip
    assert body["settings"][0] == {
        "key": "standard", "title": "Preceptorship standard", "type": "str", "value": "gold", "default": "gold",
        "minimum": None, "maximum": None, "choices": ["core", "gold"],
    }  # fmt: skip
    assert body["versions"] == []


def test_an_admin_puts_new_settings_from_a_date_and_reads_each_side_of_it(client, world, admin_auth):
    change = {"effective_from": "2027-01-01", "values": {"standard": "core", "duration_months": 6}}
    put = client.put("/api/v1/settings/preceptorship", json=change, headers=admin_auth)
    assert put.status_code == 200, put.json
    assert put.json["effective_from"] == "2027-01-01"
    assert put.json["values"]["standard"] == "core" and put.json["values"]["duration_months"] == 6
    day_before = client.get("/api/v1/settings/preceptorship?on=2026-12-31", headers=admin_auth).json
    assert day_before["values"]["standard"] == "gold"
    day_of = client.get("/api/v1/settings/preceptorship?on=2027-01-01", headers=admin_auth).json
    assert day_of["values"]["standard"] == "core"
    assert [v["effective_from"] for v in day_of["versions"]][-1] == "2027-01-01"


@pytest.mark.parametrize("who", ["lead", "preceptor", "learner", "foreign_lead"])
def test_anyone_but_an_admin_is_refused_403(client, world, auth, who, nothing_written):
    headers = auth(getattr(world, who))
    assert client.get("/api/v1/settings/preceptorship", headers=headers).status_code == 403
    change = {"effective_from": "2027-01-01", "values": {"standard": "core"}}
    with nothing_written():
        response = client.put("/api/v1/settings/preceptorship", json=change, headers=headers)
    assert response.status_code == 403
    assert response.json["error"]["code"] == "forbidden"


@pytest.mark.parametrize(
    ("values", "fields"),
    [
        ({"duration_months": 3}, {"duration_months": "Programme length in months must be at least 6"}),
        ({"duration_months": "12"}, {"duration_months": "Programme length in months must be a whole number"}),
        ({"protected_hours_per_month": 40},
         {"protected_hours_per_month": "Protected learning hours a month must be at most 37.5"}),
        ({"standard": ["gold"]}, {"standard": "Preceptorship standard must be text"}),
        ({"duration_months": 6}, {"duration_months": "A gold standard preceptorship lasts at least 12 months"}),
        ({"standrd": "core"}, {"standrd": "Preceptorship has no setting called 'standrd'"}),
    ],
)  # fmt: skip
def test_a_bad_value_is_422_naming_the_setting_with_nothing_written(client, world, admin_auth, values, fields,
                                                                     nothing_written):  # fmt: skip
    with nothing_written():
        response = client.put(
            "/api/v1/settings/preceptorship", json={"effective_from": "2027-01-01", "values": values},
            headers=admin_auth,
        )  # fmt: skip
    assert response.status_code == 422
    assert response.json["error"]["fields"] == fields


def test_not_a_number_is_refused(client, world, admin_auth, nothing_written):
    body = '{"effective_from": "2027-01-01", "values": {"protected_hours_per_month": NaN}}'
    with nothing_written():
        response = client.put("/api/v1/settings/preceptorship", data=body, headers={
            **admin_auth, "Content-Type": "application/json"})  # fmt: skip
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {
        "protected_hours_per_month": "Protected learning hours a month must be a number"
    }


def test_a_missing_date_and_an_unknown_programme(client, world, admin_auth):
    missing = client.put("/api/v1/settings/preceptorship", json={"values": {"standard": "core"}}, headers=admin_auth)
    assert missing.status_code == 422 and "effective_from" in missing.json["error"]["fields"]
    unknown = client.get("/api/v1/settings/nursing", headers=admin_auth)
    assert unknown.status_code == 404


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=lambda m: m.value)
@pytest.mark.parametrize("method", ["GET", "PUT"])
def test_an_admins_requests_never_fail_or_break_the_schema(app, world, admin_auth, method, mode):
    """schemathesis as an administrator, past the permission check (the shared fuzz test calls as a lead)."""
    operation = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)["/api/v1/settings/{pathway}"][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=12, derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    def run(case):
        case.call_and_validate(headers=admin_auth, checks=CHECKS)

    run()
