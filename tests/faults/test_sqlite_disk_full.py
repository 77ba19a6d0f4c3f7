"""SQLite on a disk that fills up: the person writing is told the service is unavailable, nothing is
half-written, the database stays sound, and writing works again as soon as there is room."""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import func, select

from app import create_app
from app.extensions import db
from app.models import HoursEntry
from app.services import enrolments, hours
from app.services.clock import today
from tests.factories import LeadFactory, LearnerFactory, OrganisationFactory, PreceptorFactory
from tests.web.conftest import date_fields, signed_in


def _mount_tmpfs(directory: Path, size: str) -> bool:
    if os.geteuid() != 0:
        return False
    command = ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(directory)]
    return subprocess.run(command, capture_output=True).returncode == 0


@pytest.fixture
def small_disk() -> Iterator[Path]:
    """A 16 MB filesystem of its own (tmpfs, mounted here, so root only), unmounted afterwards."""
    directory = Path(tempfile.mkdtemp(prefix="waymark-full-"))
    if not _mount_tmpfs(directory, "16m"):
        directory.rmdir()
        pytest.skip("needs root and mount(8) to give SQLite a small filesystem of its own (tmpfs)")
    try:
        yield directory
    finally:
        subprocess.run(["umount", "-l", str(directory)], check=True)
        directory.rmdir()


def _fill(directory: Path) -> Path:
    """Write a file until the filesystem has no room left for another byte."""
    filler = directory / "filler"
    with filler.open("wb", buffering=0) as out:
        for chunk in (1 << 20, 1 << 12, 1):
            try:
                while True:
                    out.write(b"\0" * chunk)
            except OSError as full:
                assert full.errno == errno.ENOSPC
    return filler


def _hours(day) -> dict[str, str]:
    return {"hours": "2", "activity_type": "study", "learning": "Sepsis e-learning", **date_fields("worked_on", day)}


def _count(app: Flask) -> int:
    with app.app_context():
        found = db.session.scalar(select(func.count()).select_from(HoursEntry))
        db.session.remove()
        return found


def test_a_full_disk_gets_a_clear_503_and_leaves_the_database_intact(small_disk):
    path = small_disk / "waymark.db"
    evidence = tempfile.mkdtemp(prefix="waymark-evidence-")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "WTF_CSRF_ENABLED": False,
                      "RATELIMIT_ENABLED": False, "EVIDENCE_DIR": evidence})  # fmt: skip
    with app.app_context():
        upgrade()
        org = OrganisationFactory()
        lead, learner = LeadFactory(organisation=org), LearnerFactory(organisation=org)
        enrolment = enrolments.enrol(lead, learner_id=learner.id, pathway_key="preceptorship",
                                     start_date=today() - timedelta(days=60),
                                     preceptor_id=PreceptorFactory(organisation=org).id)  # fmt: skip
        hours.log_hours(learner, enrolment.id, worked_on=today() - timedelta(days=5), hours=3,
                        activity_type="study", learning="Written before the disk filled")  # fmt: skip
        client, page = signed_in(app, learner), f"/learner/enrolments/{enrolment.id}/hours/new"
        db.session.remove()
        # Copy the write-ahead log into the database and empty it, so that the next write must grow a file.
        # The pooled connection stays open, as a running server's does, and keeps the log's files.
        with db.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    filler = _fill(small_disk)
    history = f"/learner/enrolments/{enrolment.id}/hours"
    assert client.get(history).status_code == 200  # a full disk still reads

    refused = client.post(page, data=_hours(today() - timedelta(days=1)))
    html = refused.get_data(as_text=True)
    assert refused.status_code == 503 and int(refused.headers["Retry-After"]) > 0
    assert "Sorry, the service is unavailable" in html and "may not have been saved" in html
    assert client.get(history).status_code == 200  # and reads after the refused write

    with sqlite3.connect(path) as check:  # the database as any other program would open it
        assert check.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        learning = [row[0] for row in check.execute("SELECT learning FROM hours_entries")]
    assert learning == ["Written before the disk filled"]  # the earlier row kept, the refused one not half there

    filler.unlink()  # room again: the same app writes, with no restart
    time.sleep(0.1)
    assert client.post(page, data=_hours(today() - timedelta(days=1))).status_code == 302
    assert _count(app) == 2
    with app.app_context():
        db.engine.dispose()
