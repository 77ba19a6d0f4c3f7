"""The load test in its short bounded form: a learner, a preceptor and a lead, no pauses, for 25 seconds
against gunicorn (one worker) and its job worker: every action of the mix, the lead's download prepared by
the job worker and fetched, no errors; the sign-ins counted apart from the rest. It runs once, on PostgreSQL
when the run has it (production's database), else on SQLite: what it checks is the serving, not the SQL."""

from __future__ import annotations

import pytest

from app.extensions import db
from bench import load_accounts
from bench.generate import generate
from bench.load import MIX, PEOPLE_CLASSES, accounts_file, locust, served
from tests.conftest import BACKENDS

SMALL_TRUST = {"REPORT_BACKGROUND_ENROLMENTS": "10"}  # 80 enrolments: the download goes to the job worker


@pytest.mark.parametrize("app", BACKENDS[-1:], indirect=True)
def test_a_short_closed_loop_of_the_mix_against_gunicorn_makes_no_errors(app, ctx):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    generate(url, enrolments=80, seed=14, hours_per_enrolment=3)
    db.session.remove()
    accounts = load_accounts.prepare(url, people=3, per_preceptor=6)
    with accounts_file(accounts) as path, served("wsgi:app", url, workers=1, settings=SMALL_TRUST) as base:
        run = locust(base, PEOPLE_CLASSES, 3, 25, "0", path, spawn_rate=3, label="short", each=1)

    hit = {row.name: row.requests for row in run.rows}
    assert {name for name in MIX if not hit.get(name)} == set(), hit
    assert {row.name: row.failures for row in run.rows if row.failures} == {}, run.failures
    signing_in = {row.name: row.requests for row in run.ramp}
    assert signing_in["sign in"] == 3 and "sign in" not in hit, (signing_in, hit)
