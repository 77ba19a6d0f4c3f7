"""What ``bench.pages`` and ``bench.search`` measure of one page: a signed-in client, the statements a request
runs, its wall and CPU time, and its CPU against the sign-in form's requested in alternate blocks."""

from __future__ import annotations

import time

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from app.extensions import db


def signed_in(app: Flask, identity: str) -> FlaskClient:
    """A client with the session a sign-in leaves (the Argon2 check is not what is measured)."""
    client = app.test_client()
    now = int(time.time())
    with client.session_transaction() as session:
        session.update(_user_id=identity, _fresh=True, started_at=now, seen_at=now, fresh_at=now)
    return client


def query_count(app: Flask, client: FlaskClient, url: str) -> int:
    statements: list[str] = []

    def record(conn, cursor, statement, *args) -> None:  # noqa: ARG001
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        assert client.get(url).status_code == 200, url
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return len(statements)


def timings(client: FlaskClient, url: str, requests: int) -> tuple[list[float], float]:
    """Each request's milliseconds, and this process's CPU milliseconds per request."""
    for _ in range(10):
        client.get(url)
    out = []
    cpu = time.process_time()
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        out.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return out, (time.process_time() - cpu) * 1000 / requests


def paired_cpu(
    client: FlaskClient, url: str, sign_in: FlaskClient, requests: int, block: int = 10
) -> tuple[float, float]:
    """CPU milliseconds per request of ``url`` and of the sign-in form, measured in alternate blocks of
    ``block`` requests: the ratio holds when the machine's load changes during the run (others' tests)."""
    page_cpu = form_cpu = 0.0
    rounds = max(requests // block, 1)
    for _ in range(rounds):
        started = time.process_time()
        for _ in range(block):
            client.get(url)
        page_cpu += time.process_time() - started
        started = time.process_time()
        for _ in range(block):
            sign_in.get("/login")
        form_cpu += time.process_time() - started
    return page_cpu * 1000 / (rounds * block), form_cpu * 1000 / (rounds * block)
