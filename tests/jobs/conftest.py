"""The import tests' trust, signed-in clients, and a worker run in this process or as its own process."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from app.jobs.worker import work
from tests.factories import PASSWORD
from tests.importer.conftest import _frozen_today, trust  # noqa: F401  (fixtures shared with the import tests)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def small_thresholds(app, monkeypatch):
    """Imports over 20 rows and every CSV or XLSX download go to the worker, so the tests' data stay small."""
    monkeypatch.setitem(app.config, "IMPORT_BACKGROUND_ROWS", 20)
    monkeypatch.setitem(app.config, "REPORT_BACKGROUND_ENROLMENTS", -1)


def sign_in(client, user) -> None:
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302


def upload(client, data: bytes, filename: str = "starters.csv"):
    return client.post("/import/", data={"file": (io.BytesIO(data), filename)}, content_type="multipart/form-data")


def job_path(response) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    match = re.search(r"/jobs/(\d+)$", response.headers["Location"])
    assert match, response.headers["Location"]
    return f"/jobs/{match.group(1)}"


def run_worker(app) -> int:
    """The worker's loop in this process: run what is waiting, then return."""
    return work(app, once=True)


def worker_process(app, *args: str) -> subprocess.Popen:
    """``flask jobs work`` as its own process on the tests' database."""
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "JOBS_POLL_SECONDS": "0.2",
           "LOG_LEVEL": "INFO"}  # fmt: skip
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "jobs", "work", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
