"""``flask pathways validate`` compares each file with the copy its enrolments pinned."""

from __future__ import annotations

from app.extensions import db
from app.services.catalogue import latest_definition, pathway_version
from pathways.loader import DEFINITIONS_DIR
from tests.definitions import AFTER, BEFORE


def _validate(app, *paths):
    return app.test_cli_runner().invoke(args=["pathways", "validate", *map(str, paths)])


def test_validate_refuses_an_edited_file_whose_version_enrolments_are_pinned_to(world, app, tmp_path):
    edited = tmp_path / "preceptorship.v2.toml"
    edited.write_text((DEFINITIONS_DIR / "preceptorship.v2.toml").read_text().replace(BEFORE, AFTER))
    result = _validate(app, edited)
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"{edited}: version: version 2 of preceptorship is pinned by 2 enrolments and its content differs from "
        "the stored copy; copy it to preceptorship.v3.toml with version = 3 instead of editing it"
    ]


def test_validate_accepts_the_edit_saved_as_a_new_version(world, app, tmp_path):
    text = (DEFINITIONS_DIR / "preceptorship.v2.toml").read_text()
    copy = tmp_path / "preceptorship.v3.toml"
    copy.write_text(text.replace(BEFORE, AFTER).replace("version = 2", "version = 3", 1))
    result = _validate(app, DEFINITIONS_DIR / "preceptorship.v2.toml", copy)
    assert result.exit_code == 0, result.output
    assert "2 definition files are valid" in result.output


def test_validate_accepts_an_edited_file_whose_version_no_enrolment_pins(ctx, app, tmp_path):
    pathway_version(latest_definition("preceptorship"))
    db.session.commit()
    edited = tmp_path / "preceptorship.v2.toml"
    edited.write_text((DEFINITIONS_DIR / "preceptorship.v2.toml").read_text().replace(BEFORE, AFTER))
    result = _validate(app, edited)
    assert result.exit_code == 0, result.output
