"""The property suite's profile, callers and the check every example ends with.

The world is built once per test function, not per example, so Hypothesis's function-scoped-fixture
health check is switched off on purpose: each example compares the database just before and just
after its own request, so what an earlier accepted example wrote cannot hide or fake a write.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from hypothesis import HealthCheck, Phase, settings
from werkzeug.test import TestResponse

from app.extensions import db
from app.models import Competency
from app.services import hours, reviews, tokens
from tests.web.conftest import signed_in

settings.register_profile(
    "property",
    max_examples=25,
    deadline=None,
    derandomize=True,  # the same examples on every run, so a failure here is a failure everywhere
    database=None,
    # No shrinking: a failing example is already made of named hostile values, and shrinking each
    # failure (dozens of requests apiece) would turn a red run into a long one.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
PROFILE = settings.get_profile("property")

# Columns a request may touch without it counting as a write: when a token was last used is a hint.
IGNORED_COLUMNS = {("api_tokens", "last_used_at")}
# Audit events a refused request may leave: why a write was refused, and a failed sign-in.
REFUSAL_ACTIONS = ("%.refused", "auth.login_failed")


@pytest.fixture(autouse=True)
def _frozen(frozen_today):
    """Rules read today's date: the same day on every run (the world's enrolments started in September)."""
    return frozen_today


@pytest.fixture
def as_user(app):
    """``as_user(user)`` -> a signed-in web client, freshly signed in, so sign-off pages do not ask again."""
    return lambda user: signed_in(app, user)


@pytest.fixture
def auth(world):
    """``auth(user)`` -> the Authorization header with that user's token, issued before anything is measured."""
    issued: dict[int, dict[str, str]] = {}

    def header(user) -> dict[str, str]:
        if user.id not in issued:
            issued[user.id] = {"Authorization": f"Bearer {tokens.issue(user)}"}
        return issued[user.id]

    for user in (world.lead, world.preceptor, world.other_preceptor, world.learner, world.other_learner):
        header(user)
    header(world.foreign_lead)
    return header


@dataclass
class Records:
    """Things already on the learner's record, for the forms that act on one."""

    hours_entry: int
    review: int
    competencies: list[str]
    review_slots: list[str]
    stages: list[str]


@pytest.fixture
def records(world) -> Records:
    """An hours entry the learner may change, a review they may confirm, and the programme's keys."""
    entry = hours.log_hours(
        world.learner, world.enrolment.id, worked_on=date(2026, 11, 20), hours="2", activity_type="study"
    )
    review = reviews.record_review(
        world.preceptor, world.enrolment.id, slot="initial", held_on=date(2026, 9, 15), outcome="on_track"
    )
    keys = db.session.scalars(
        sa.select(Competency.key).where(Competency.pathway_version_id == world.enrolment.pathway_version_id)
    )
    return Records(
        hours_entry=entry.id,
        review=review.id,
        competencies=list(keys)[:6],
        review_slots=["initial", "midpoint", "completion"],
        stages=["enrolled", "supernumerary", "in_preceptorship", "final_review", "completed"],
    )


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table, apart from audit events that record a refusal or a failed sign-in."""
    db.session.rollback()
    rows: dict[str, list[tuple]] = {}
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.c if (table.name, c.name) not in IGNORED_COLUMNS]
        query = sa.select(*columns)
        if table.name == "audit_events":
            query = query.where(*(~table.c.action.like(action) for action in REFUSAL_ACTIONS))
        rows[table.name] = sorted((tuple(row) for row in db.session.execute(query)), key=repr)
    return rows


def changed(before: dict[str, list[tuple]], after: dict[str, list[tuple]]) -> dict[str, str]:
    return {
        name: f"{len(before[name])} rows -> {len(after[name])} rows"
        for name in before
        if before[name] != after[name]
    }


class Probe:
    """Send one request and check what every request must be: no 500, and no write when refused."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def __call__(self, method: str, path: str, **kwargs) -> TestResponse:
        before = snapshot()
        response = self.client.open(path, method=method, **kwargs)
        status = response.status_code
        assert status < 500, f"{method} {path} answered {status}"
        if status >= 400:
            after = snapshot()
            assert not changed(before, after), f"{method} {path} answered {status} but changed {changed(before, after)}"
        db.session.rollback()
        return response


@pytest.fixture
def web(as_user):
    """``web(user)`` -> a probe sending requests as that user, signed in to the web app."""
    return lambda user: Probe(as_user(user))


@pytest.fixture
def api(app, auth):
    """``api(user)`` -> a probe sending JSON bodies (raw bytes) with that user's token."""

    class ApiProbe(Probe):
        def __init__(self, user) -> None:
            super().__init__(app.test_client())
            self.headers = auth(user)

        def send(self, method: str, path: str, body: bytes) -> TestResponse:
            return self(method, path, data=body, headers=self.headers, content_type="application/json")

    return ApiProbe
