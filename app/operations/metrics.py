"""Prometheus metrics of the web app at ``/metrics``, protected by a bearer token.

Request latency by endpoint comes from prometheus-flask-exporter, in a registry of this app's own
(tests build many apps in one process). Under gunicorn, ``PROMETHEUS_MULTIPROC_DIR`` (set by
``make serve``) makes every worker write its figures to files there, and a scrape of any worker
sums them all. The outbox's depth is read from the database at each scrape: it is one fact
shared by every process, not a count one process could keep. The scheduler's own figures (scan
duration, deliveries) are served by that process on its own port (``reminders.metrics``).
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Iterator

from flask import Flask, Response, abort, current_app, request
from prometheus_client import CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from prometheus_flask_exporter import PrometheusMetrics
from sqlalchemy import func, select

from app.extensions import db
from app.models import OutboxMessage

PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8"
OUTBOX_STATUSES = ("queued", "sent", "failed")


class OutboxCollector(Collector):
    """Rows in the outbox by status: ``queued`` is the depth, ``failed`` the deliveries given up on."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        counts = dict.fromkeys(OUTBOX_STATUSES, 0)
        rows = db.session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status))
        counts.update({status: count for status, count in rows})
        family = GaugeMetricFamily("waymark_outbox_messages", "Outbox rows by status", labels=["status"])
        for status, count in sorted(counts.items()):
            family.add_metric([status], count)
        yield family
        due = GaugeMetricFamily("waymark_outbox_depth", "Emails queued and not yet sent")
        due.add_metric([], counts["queued"])
        yield due
        failed = GaugeMetricFamily("waymark_outbox_failed_deliveries", "Emails that failed for good")
        failed.add_metric([], counts["failed"])
        yield failed


def _authorised() -> bool:
    token = current_app.config.get("METRICS_TOKEN", "")
    given = request.headers.get("Authorization", "").removeprefix("Bearer ")
    return bool(token) and hmac.compare_digest(given.encode(), token.encode())


def exposition(app_registry: CollectorRegistry) -> bytes:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        requests = CollectorRegistry()
        multiprocess.MultiProcessCollector(requests)
    else:
        requests = app_registry
    database = CollectorRegistry()
    database.register(OutboxCollector())
    try:
        return generate_latest(requests) + generate_latest(database)
    finally:
        db.session.remove()


def register(app: Flask) -> None:
    registry = CollectorRegistry()
    PrometheusMetrics(
        app,
        path=None,
        registry=registry,
        group_by="endpoint",
        defaults_prefix="waymark",
        excluded_paths=["^/metrics$", "^/healthz$", "^/readyz$", "^/static/", "^/assets/"],
    )

    @app.get("/metrics", endpoint="metrics")
    def metrics() -> Response:
        if not _authorised():
            abort(404)  # off, or not for this caller: the same answer, so it reveals nothing
        return Response(exposition(registry), mimetype=None, content_type=PROMETHEUS_TEXT)
