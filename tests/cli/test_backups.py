"""``flask db backup`` then ``flask db restore``: the database comes back as it was at the backup."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import Organisation, User
from tests.factories import LearnerFactory, OrganisationFactory


def emails() -> set[str]:
    db.session.remove()
    return set(db.session.scalars(select(User.email)))


def test_a_backup_restored_brings_back_the_database_as_it_was(app, ctx, tmp_path):
    org = OrganisationFactory()
    kept_id, org_id = LearnerFactory(organisation=org, email="kept@nhs.test").id, org.id
    db.session.commit()
    before = emails()
    runner = app.test_cli_runner()
    file = tmp_path / "waymark.backup"
    made = runner.invoke(args=["db", "backup", str(file)])
    assert made.exit_code == 0, made.output
    assert "Backed up the database to" in made.output and file.stat().st_size > 0
    LearnerFactory(organisation=db.session.get(Organisation, org_id), email="after-the-backup@nhs.test")
    db.session.delete(db.session.get(User, kept_id))
    db.session.commit()
    assert emails() != before
    restored = runner.invoke(args=["db", "restore", str(file), "--yes"])
    assert restored.exit_code == 0, restored.output
    assert emails() == before and "kept@nhs.test" in before
    assert app.test_client().get("/readyz").status_code == 200  # the app serves from the restored copy


def test_restore_refuses_a_file_that_is_not_a_backup_and_changes_nothing(app, ctx, tmp_path):
    LearnerFactory(email="still-here@nhs.test")
    db.session.commit()
    before = emails()
    junk = tmp_path / "notes.txt"
    junk.write_text("not a database")
    result = app.test_cli_runner().invoke(args=["db", "restore", str(junk), "--yes"])
    assert result.exit_code == 1 and "is not a" in result.output and "backup" in result.output
    missing = app.test_cli_runner().invoke(args=["db", "restore", str(tmp_path / "absent"), "--yes"])
    assert missing.exit_code == 1 and "does not exist" in missing.output
    assert emails() == before


def test_restore_asks_before_replacing_the_database(app, ctx, tmp_path):
    file = tmp_path / "waymark.backup"
    app.test_cli_runner().invoke(args=["db", "backup", str(file)])
    answered_no = app.test_cli_runner().invoke(args=["db", "restore", str(file)], input="n\n")
    assert answered_no.exit_code == 1 and "Replace the whole database" in answered_no.output
