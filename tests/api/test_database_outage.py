"""The API while the database cannot be reached: 503 in the error shape, with Retry-After."""

from __future__ import annotations

import pytest

from tests.web.test_database_outage import UNREACHABLE, app_on


@pytest.mark.parametrize("backend", list(UNREACHABLE))
@pytest.mark.parametrize("method, path", [("GET", "/api/v1/enrolments"), ("POST", "/api/v1/cohorts")])
def test_the_api_answers_unavailable_with_retry_after_when_the_database_is_down(tmp_path, backend, method, path):
    application = app_on(UNREACHABLE[backend].format(tmp=tmp_path))
    token = {"Authorization": "Bearer wm_a-token-only-the-database-could-check"}
    response = application.test_client().open(path, method=method, json={"name": "March"}, headers=token)
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    error = response.json["error"]
    assert error["code"] == "unavailable" and "try again" in error["message"]
