"""What a load balancer and an operator see: probes, request ids in logs, and protected metrics."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from app.extensions import db
from app.models import OutboxMessage
from logs import JsonFormatter, RequestIdFilter
from tests.factories import LearnerFactory
from tests.servers import redis_server
from tests.web.test_database_outage import UNREACHABLE, app_on

ROOT = Path(__file__).resolve().parents[2]


def test_healthz_answers_while_the_process_runs(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok"}


def test_readyz_answers_ready_when_the_database_answers(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json == {"status": "ready", "checks": {"database": "ok"}}


@pytest.mark.parametrize("backend", list(UNREACHABLE))
def test_without_the_database_healthz_still_answers_and_readyz_says_unavailable(tmp_path, backend):
    client = app_on(UNREACHABLE[backend].format(tmp=tmp_path)).test_client()
    assert client.get("/healthz").status_code == 200  # restarting the process would not help
    response = client.get("/readyz")
    assert response.status_code == 503 and int(response.headers["Retry-After"]) > 0
    assert response.json == {"status": "unavailable", "checks": {"database": "unavailable"}}


def test_readyz_checks_redis_where_it_is_configured(app, tmp_path, monkeypatch):
    with redis_server(tmp_path) as url:
        monkeypatch.setitem(app.config, "REDIS_URL", url)
        up = app.test_client().get("/readyz")
    assert up.status_code == 200 and up.json["checks"] == {"database": "ok", "redis": "ok"}
    down = app.test_client().get("/readyz")  # the same Redis, now stopped
    assert down.status_code == 503 and down.json["checks"] == {"database": "ok", "redis": "unavailable"}


def test_a_request_id_given_by_the_proxy_is_kept_and_one_is_made_otherwise(client):
    assert client.get("/healthz", headers={"X-Request-ID": "lb-7f3a.42"}).headers["X-Request-ID"] == "lb-7f3a.42"
    made = client.get("/healthz").headers["X-Request-ID"]
    odd = client.get("/healthz", headers={"X-Request-ID": "x" * 300}).headers["X-Request-ID"]
    assert len(made) == len(odd) == 32 and made != odd  # a header that could not be a token is replaced


def test_each_request_is_logged_as_json_with_its_id(client, caplog):
    caplog.set_level(logging.INFO, logger="waymark.request")
    client.get("/readyz", headers={"X-Request-ID": "trace-1"})
    record = next(r for r in caplog.records if r.name == "waymark.request")
    RequestIdFilter().filter(record)  # outside the request now: the id the record kept still shows
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "GET /readyz 200"
    assert {key: entry[key] for key in ("level", "method", "path", "endpoint", "status")} == {
        "level": "INFO",
        "method": "GET",
        "path": "/readyz",
        "endpoint": "operations.readyz",
        "status": 200,
    }
    assert entry["duration_ms"] >= 0 and entry["time"].endswith("+00:00")


def test_a_log_line_in_a_request_carries_the_request_id(app, caplog):
    caplog.set_level(logging.INFO, logger="waymark.request")
    formatter, line = JsonFormatter(), []

    class Keep(logging.Handler):
        def emit(self, record):
            line.append(formatter.format(record))

    handler = Keep()
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("waymark.request")
    logger.addHandler(handler)
    try:
        app.test_client().get("/healthz", headers={"X-Request-ID": "abc-123"})
    finally:
        logger.removeHandler(handler)
    assert json.loads(line[-1])["request_id"] == "abc-123"


def test_metrics_are_refused_without_the_token(app, client, monkeypatch):
    assert client.get("/metrics").status_code == 404  # no token configured: metrics are off
    monkeypatch.setitem(app.config, "METRICS_TOKEN", "s3cret")
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 404


def test_metrics_show_latency_by_endpoint_and_the_outbox(app, client, ctx, monkeypatch):
    monkeypatch.setitem(app.config, "METRICS_TOKEN", "s3cret")
    client.get("/login")
    learner = LearnerFactory()
    statuses = ["queued", "queued", "failed", "sent"]
    db.session.add_all(
        OutboxMessage(rule="review_due", enrolment_id=number, due_on=date(2026, 12, 1), recipient_id=learner.id,
                      subject="Review due", body_text="A review is due.", status=status)
        for number, status in enumerate(statuses)
    )  # fmt: skip
    db.session.commit()
    response = client.get("/metrics", headers={"Authorization": "Bearer s3cret"})
    assert response.status_code == 200 and response.content_type.startswith("text/plain")
    text = response.text
    assert 'waymark_http_request_duration_seconds_count{endpoint="auth.login",method="GET",status="200"}' in text
    assert "waymark_outbox_depth 2.0" in text and "waymark_outbox_failed_deliveries 1.0" in text


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"PORT": "8123"}, "http://127.0.0.1:8123"),
        ({"HOST": "0.0.0.0", "PORT": "80"}, "http://0.0.0.0:80"),
        ({"PORT": "8123", "WAYMARK_BASE_URL": "https://waymark.example.nhs.uk/"}, "https://waymark.example.nhs.uk"),
    ],
)
def test_links_in_emails_follow_the_port_unless_a_public_address_is_given(env, expected):
    clean = {k: v for k, v in os.environ.items() if k not in {"HOST", "PORT", "WAYMARK_BASE_URL"}}
    shown = subprocess.run(
        [sys.executable, "-c", "import config; print(config.Config.BASE_URL)"],
        cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert shown.stdout.strip() == expected
