"""``flask settings show`` and ``flask settings set``: the lines exactly as docs/CONTRACT.md gives them."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import SettingsVersion
from tests.factories import OrganisationFactory

DEFAULTS = [
    "preceptorship: standard = gold (from 2026-11-25)",
    "preceptorship: duration_months = 12 (from 2026-11-25)",
    "preceptorship: protected_hours_per_month = 7.5 (from 2026-11-25)",
    "preceptorship: preceptor_protected_hours_core = 8 (from 2026-11-25)",
    "preceptorship: preceptor_protected_hours_gold = 12 (from 2026-11-25)",
    "preceptorship: preceptor_caseload = 3 (from 2026-11-25)",
]
CORE = [
    "preceptorship: standard = core (from 2027-01-01)",
    "preceptorship: duration_months = 6 (from 2027-01-01)",
    "preceptorship: protected_hours_per_month = 7.5 (from 2027-01-01)",
    "preceptorship: preceptor_protected_hours_core = 8 (from 2027-01-01)",
    "preceptorship: preceptor_protected_hours_gold = 12 (from 2027-01-01)",
    "preceptorship: preceptor_caseload = 3 (from 2027-01-01)",
]


@pytest.fixture
def trust(ctx, frozen_today):
    """An organisation set up today (25 November 2026), whose settings are the programmes' defaults."""
    return OrganisationFactory(slug="trust-cli")


def _run(app, *args):
    return app.test_cli_runner().invoke(args=["settings", *args])


def test_show_prints_the_defaults_from_the_organisations_first_day(app, trust):
    result = _run(app, "show", "--org", "trust-cli", "--pathway", "preceptorship")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == DEFAULTS


def test_show_without_a_pathway_prints_every_programme(app, trust):
    lines = _run(app, "show", "--org", "trust-cli").stdout.splitlines()
    assert "higher-development-award: attendance_threshold = 7 (from 2026-11-25)" in lines
    assert lines[0].startswith("care-development-placement: ") and set(DEFAULTS) <= set(lines)


def test_set_prints_the_new_settings_and_show_gives_each_side_of_the_date(app, trust):
    result = _run(
        app, "set", "--org", "trust-cli", "--pathway", "preceptorship", "--from", "2027-01-01",
        "standard=core", "duration_months=6",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == CORE
    before = _run(app, "show", "--org", "trust-cli", "--pathway", "preceptorship", "--on", "2026-12-31")
    assert before.stdout.splitlines() == DEFAULTS
    on_the_day = _run(app, "show", "--org", "trust-cli", "--pathway", "preceptorship", "--on", "2027-01-01")
    assert on_the_day.stdout.splitlines() == CORE


def test_set_refuses_with_one_line_per_problem_and_writes_nothing(app, trust):
    result = _run(
        app, "set", "--org", "trust-cli", "--pathway", "preceptorship", "--from", "2027-01-01",
        "duration_months=five", "standard=platinum", "caseload=2",
    )  # fmt: skip
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "duration_months: Programme length in months must be a whole number",
        "standard: Preceptorship standard must be one of: core, gold",
        "caseload: Preceptorship has no setting called 'caseload'",
    ]
    assert db.session.scalar(select(func.count()).select_from(SettingsVersion)) == 0


def test_a_rule_across_settings_names_the_setting(app, trust):
    result = _run(app, "set", "--org", "trust-cli", "--pathway", "preceptorship", "--from", "2027-01-01",
                  "duration_months=6")  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr.splitlines() == ["duration_months: A gold standard preceptorship lasts at least 12 months"]


@pytest.mark.parametrize(
    ("args", "problems"),
    [
        (["--from", "1/1/2027", "standard"], ["--from: '1/1/2027' is not a date; write it as YYYY-MM-DD",
                                             "standard: write each setting as NAME=VALUE"]),
        (["--from", "2027-01-01"], ["values: Give at least one setting and its new value"]),
        (["--from", "2027-01-01", "--org", "nowhere", "standard=core"], ["There is no organisation called 'nowhere'"]),
    ],
)  # fmt: skip
def test_set_refuses_bad_arguments(app, trust, args, problems):
    result = _run(app, "set", "--org", "trust-cli", "--pathway", "preceptorship", *args)
    assert result.exit_code == 1 and result.stderr.splitlines() == problems


def test_show_refuses_an_unknown_programme_and_a_bad_date(app, trust):
    unknown = _run(app, "show", "--org", "trust-cli", "--pathway", "nursing")
    assert unknown.exit_code == 1 and unknown.stderr.splitlines() == ["There is no programme called 'nursing'"]
    bad = _run(app, "show", "--org", "trust-cli", "--on", "tomorrow")
    assert bad.exit_code == 1 and bad.stderr.splitlines() == ["--on: 'tomorrow' is not a date; write it as YYYY-MM-DD"]
