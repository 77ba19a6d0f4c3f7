"""The scheduler process's own Prometheus figures, served on its own port (``SCHEDULER_METRICS_PORT``).

Scans and deliveries run in this one process, never in a web worker, so their figures live here.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, start_http_server

REGISTRY = CollectorRegistry()
SCAN_SECONDS = Histogram(
    "waymark_reminder_scan_seconds",
    "Wall time of a complete reminder scan",
    buckets=(1, 5, 10, 30, 60, 120, 300, 600, 1800),
    registry=REGISTRY,
)
SCAN_ENROLMENTS = Gauge("waymark_reminder_scan_enrolments", "Active enrolments in the latest scan", registry=REGISTRY)
SCAN_QUEUED = Counter("waymark_reminders_queued", "Reminders queued by scans", registry=REGISTRY)
SCANS_SKIPPED = Counter("waymark_reminder_scans_skipped", "Scans skipped: another held the lock", registry=REGISTRY)
DELIVERIES = Counter(
    "waymark_deliveries", "Email delivery attempts by outcome", labelnames=["outcome"], registry=REGISTRY
)
for outcome in ("sent", "retrying", "failed"):
    DELIVERIES.labels(outcome)


def serve(port: int, address: str) -> None:
    """Serve this process's figures at ``http://address:port/metrics`` from a daemon thread."""
    start_http_server(port, addr=address, registry=REGISTRY)
