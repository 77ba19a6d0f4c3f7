"""Two app servers on one PostgreSQL and one Redis (all started here, on loopback): one service.

A session made on one works on the other, a sign-out on one ends it on both, and two schedulers
started together do the day's scan once.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from datetime import date
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from app import create_app
from app.extensions import db
from app.models import OutboxMessage
from app.services import enrolments
from app.services.clock import today
from tests.factories import PASSWORD, LeadFactory, LearnerFactory, OrganisationFactory, PreceptorFactory
from tests.servers import can_run_a_cluster, free_port, postgres_cluster, redis_server

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not can_run_a_cluster(), reason="needs initdb and pg_ctl (PostgreSQL server binaries)")


@pytest.fixture(scope="module")
def service():
    """One PostgreSQL cluster and one Redis, migrated, with a preceptor and an enrolment; yields the environment."""
    with postgres_cluster() as cluster, redis_server(cluster.directory) as redis_url:
        app = create_app({"SQLALCHEMY_DATABASE_URI": cluster.url})
        with app.app_context():
            upgrade()
            org = OrganisationFactory()
            lead = LeadFactory(organisation=org)
            preceptor = PreceptorFactory(organisation=org, email="shared.preceptor@nhs.test")
            learner = LearnerFactory(organisation=org)
            enrolments.enrol(lead, learner_id=learner.id, pathway_key="preceptorship",
                             start_date=date(today().year - 1, 1, 5), preceptor_id=preceptor.id)  # fmt: skip
            db.session.remove()
            db.engine.dispose()
        yield {
            **os.environ,
            "DATABASE_URL": cluster.url,
            "REDIS_URL": redis_url,
            "RATELIMIT_STORAGE_URI": redis_url,
            "SECRET_KEY": "one-secret-for-every-machine",
            "SMTP_PORT": str(free_port()),  # nothing listens: mail stays queued
        }


def _server(env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "wsgi:app"],
        cwd=ROOT, env={**env, "PORT": str(port), "WEB_CONCURRENCY": "1", "LOG_LEVEL": "WARNING"},
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            if urllib.request.urlopen(f"{base}/readyz", timeout=2).status == 200:
                return process, base
        except OSError:
            time.sleep(0.25)
    process.kill()
    raise AssertionError("the app server did not become ready")


def _signed_in(base: str) -> tuple[urllib.request.OpenerDirector, str]:
    """A browser signed in on ``base`` as the preceptor, and its session cookie as a header to copy."""
    jar = CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = {"email": "shared.preceptor@nhs.test", "password": PASSWORD, "csrf_token": _csrf(browser, f"{base}/login")}
    browser.open(f"{base}/login", urllib.parse.urlencode(form).encode(), timeout=30).read()
    assert browser.open(f"{base}/preceptor/", timeout=30).geturl() == f"{base}/preceptor/"
    cookie = next(c for c in jar if c.name.endswith("session"))
    return browser, f"{cookie.name}={cookie.value}"


def _csrf(browser: urllib.request.OpenerDirector, url: str) -> str:
    page = browser.open(url, timeout=30).read().decode()
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _with_cookie(cookie: str) -> urllib.request.OpenerDirector:
    other = urllib.request.build_opener()
    other.addheaders = [("Cookie", cookie)]
    return other


@pytest.fixture(scope="module")
def machines(service) -> Iterator[tuple[str, str]]:
    """Two app servers on the one service, shared by the tests that sign in (each signs in afresh)."""
    (first, a), (second, b) = _server(service), _server(service)
    try:
        yield a, b
    finally:
        for process in (first, second):
            process.terminate()
            process.wait(30)


def test_a_session_made_on_one_server_works_on_the_other(machines):
    a, b = machines
    _, cookie = _signed_in(a)
    on_b = _with_cookie(cookie).open(f"{b}/preceptor/", timeout=30)
    assert on_b.geturl() == f"{b}/preceptor/"  # not sent to the sign-in page: the same session


def test_signing_out_on_one_server_ends_the_session_on_both(machines):
    a, b = machines
    browser, cookie = _signed_in(a)
    copied = _with_cookie(cookie)
    assert copied.open(f"{b}/preceptor/", timeout=30).geturl() == f"{b}/preceptor/"
    token = _csrf(browser, f"{a}/preceptor/")
    signed_out = browser.open(f"{a}/logout", urllib.parse.urlencode({"csrf_token": token}).encode(), timeout=30)
    assert signed_out.geturl().startswith(f"{a}/login")
    # The cookie copied before the sign-out is worth nothing now, on the other machine and on this one.
    on_b = copied.open(f"{b}/preceptor/", timeout=30)
    assert on_b.geturl().startswith(f"{b}/login") and 'name="password"' in on_b.read().decode()
    assert copied.open(f"{a}/preceptor/", timeout=30).geturl().startswith(f"{a}/login")


def test_two_schedulers_started_together_do_the_days_scan_once(service):
    env = {**service, "REMINDERS_RUN_ON_START": "1", "LOG_FORMAT": "text"}
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "reminders", "run"]
    schedulers = [subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    logs = []
    try:
        for scheduler in schedulers:
            lines = []
            for line in scheduler.stderr:
                lines.append(line)
                if "reminder scan for" in line or "reminder scan skipped" in line:
                    break
            logs.append("".join(lines))
    finally:
        for scheduler in schedulers:
            scheduler.terminate()
            scheduler.communicate(timeout=30)
    scans = [re.search(r"reminder scan for \S+: (\d+) enrolments, (\d+) reminders queued", log) for log in logs]
    skipped = sum("reminder scan skipped" in log for log in logs)
    # One took the lock and scanned; the other found it taken, or came after and had nothing to read.
    read = sorted(int(found.group(1)) for found in scans if found)
    assert skipped + len(read) == 2 and (skipped == 1 or read == [0, 1]), logs
    app = create_app({"SQLALCHEMY_DATABASE_URI": service["DATABASE_URL"]})
    with app.app_context():
        queued = db.session.scalar(select(func.count()).select_from(OutboxMessage))
        db.engine.dispose()
    assert queued > 0 and queued == sum(int(found.group(2)) for found in scans if found), logs  # each once
