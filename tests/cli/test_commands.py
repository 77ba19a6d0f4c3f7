"""The foundation's commands from CONTRACT.md."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, Enrolment, Organisation, User
from pathways import load_catalogue
from pathways.loader import DEFINITIONS_DIR
from tests.pathways.conftest import PROGRAMMES


def test_pathways_list_shows_every_programme(app):
    result = app.test_cli_runner().invoke(args=["pathways", "list"])
    assert result.exit_code == 0
    lines = [line.split("\t") for line in result.output.strip().splitlines()]
    assert {line[0] for line in lines} == set(PROGRAMMES)
    by_key = {line[0]: line for line in lines}
    assert by_key["preceptorship"][1:] == ["2", "Preceptorship", "5"]


def test_pathways_validate_passes_the_shipped_files(app):
    result = app.test_cli_runner().invoke(args=["pathways", "validate"])
    assert result.exit_code == 0, result.output
    assert f"{len(list(DEFINITIONS_DIR.glob('*.toml')))} definition files are valid" in result.output


def test_pathways_validate_names_the_file_and_key_of_a_broken_definition(app, tmp_path):
    source = (DEFINITIONS_DIR / "preceptorship.v1.toml").read_text()
    broken = tmp_path / "preceptorship.v1.toml"
    broken.write_text(source.replace('to = "final_review"', 'to = "final_reveiw"', 1))
    result = app.test_cli_runner().invoke(args=["pathways", "validate", str(broken)])
    assert result.exit_code == 1
    assert "preceptorship.v1.toml: transitions[" in result.output
    assert "unknown stage 'final_reveiw'" in result.output


def test_pathways_show_text_and_svg(app):
    runner = app.test_cli_runner()
    text = runner.invoke(args=["pathways", "show", "healthcare-works-apprenticeship"])
    assert text.exit_code == 0 and "end_point_assessment" in text.output
    svg = runner.invoke(args=["pathways", "show", "preceptorship", "--format", "svg"])
    assert svg.output.lstrip().startswith("<svg") and "Final review" in svg.output
    missing = runner.invoke(args=["pathways", "show", "astronaut"])
    assert missing.exit_code == 1 and "no programme called 'astronaut'" in missing.output


def test_demo_load_builds_every_programme_and_a_second_run_changes_nothing(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    with app.app_context():
        states = dict(db.session.execute(select(Enrolment.state, func.count()).group_by(Enrolment.state)).all())
        roles = set(db.session.scalars(select(User.role)))
        programmes = {e.pathway_version.key for e in db.session.scalars(select(Enrolment))}
        audit_count = db.session.scalar(select(func.count()).select_from(AuditEvent))
        orgs = db.session.scalar(select(func.count()).select_from(Organisation))
    assert roles == {"learner", "preceptor", "lead", "admin"}
    assert programmes == {d.key for d in load_catalogue()}
    assert states["completed"] >= 2 and states["on_hold"] >= 1 and states["withdrawn"] >= 1
    second = runner.invoke(args=["demo", "load"])
    assert "nothing changed" in second.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == audit_count
        assert db.session.scalar(select(func.count()).select_from(Organisation)) == orgs
