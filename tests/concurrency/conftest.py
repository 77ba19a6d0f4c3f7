"""The real app behind werkzeug's threaded server, and requests that leave for it at the same instant.

The service tests call one function at a time; a race needs several requests in flight together,
each in its own thread with its own session and connection, as gunicorn workers would have them.
"""

from __future__ import annotations

import http.client
import json
import os
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import WSGIRequestHandler, make_server

from bench.databases import throwaway_postgres
from tests.conftest import _migrated_app

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
NO_SERVER = "TEST_DATABASE_URL is not set: the PostgreSQL races need a real server to lock rows on"
# What each race answered, by backend, printed at the end of the run (the figures issue 9 asks for).
OUTCOMES: dict[str, Counter[str]] = {}


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def app(request, tmp_path_factory) -> Iterator[Flask]:
    """Overrides the shared ``app``: without a server PostgreSQL is skipped, with its reason, not left out."""
    with ExitStack() as stack:
        if request.param == "postgresql":
            if not TEST_DATABASE_URL:
                pytest.skip(NO_SERVER)
            url = stack.enter_context(throwaway_postgres(TEST_DATABASE_URL, "waymark_races"))
        else:
            # A file, not :memory:, so that every thread has its own connection to one database.
            url = f"sqlite:///{tmp_path_factory.mktemp('races') / 'waymark.db'}"
        yield from _migrated_app(url)


class _QuietHandler(WSGIRequestHandler):
    """One log line per request would drown a failing race's output; errors are still logged."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any]

    @property
    def code(self) -> str:
        return self.body.get("error", {}).get("code", "")

    @property
    def fields(self) -> dict[str, str]:
        return self.body.get("error", {}).get("fields", {})

    @property
    def label(self) -> str:
        """The status, with the error code for a 409 (a refusal and a lost race are both 409)."""
        return f"{self.status} {self.code}" if self.status == 409 else str(self.status)


@dataclass(frozen=True)
class LiveServer:
    host: str
    port: int

    def post_together(self, calls: list[tuple[str, dict[str, Any], dict[str, str]]]) -> list[Answer]:
        """POST each (path, body, headers) from its own thread, all released by one barrier.

        Each thread connects first and waits at the barrier, so the requests leave together
        rather than one connection set-up apart. Answers come back in the order of ``calls``.
        """
        barrier = threading.Barrier(len(calls))
        with ThreadPoolExecutor(max_workers=len(calls)) as pool:
            futures = [pool.submit(self._post, barrier, *call) for call in calls]
            return [future.result() for future in futures]

    def _post(self, barrier: threading.Barrier, path: str, body: dict[str, Any], headers: dict[str, str]) -> Answer:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            connection.connect()
            barrier.wait(timeout=30)
            connection.request(
                "POST", path, body=json.dumps(body), headers={"Content-Type": "application/json", **headers}
            )
            response = connection.getresponse()
            raw = response.read()
            try:
                parsed = json.loads(raw) if raw else {}
            except ValueError:
                parsed = {"raw": raw.decode(errors="replace")}
            return Answer(response.status, parsed)
        finally:
            connection.close()


@pytest.fixture(scope="session")
def live_server(app) -> Iterator[LiveServer]:
    """The app served on a loopback port by werkzeug's threaded server: one thread per request."""
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="waymark-live-server", daemon=True)
    thread.start()
    yield LiveServer("127.0.0.1", server.server_port)
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


@pytest.fixture
def tally(request):
    """tally(answers): counts what one round answered, under the race and the backend."""
    name = f"{request.node.originalname} [{request.node.callspec.params['app']}]"
    counter = OUTCOMES.setdefault(name, Counter())

    def count(answers: list[Answer]) -> None:
        counter["rounds"] += 1
        counter.update(answer.label for answer in answers)

    return count


def pytest_terminal_summary(terminalreporter) -> None:
    if OUTCOMES:
        terminalreporter.section("race outcomes")
        for name, counter in OUTCOMES.items():
            rounds = counter.pop("rounds", 0)
            answers = ", ".join(f"{label}: {n}" for label, n in sorted(counter.items()))
            terminalreporter.write_line(f"{name}: {rounds} rounds; {answers}")
