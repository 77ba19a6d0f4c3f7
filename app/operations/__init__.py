"""What an operator needs from a running process: probes, structured logs with a request id, metrics."""

from __future__ import annotations

from flask import Flask

from app.operations import health, metrics, request_log


def register(app: Flask) -> None:
    request_log.register(app)
    app.register_blueprint(health.bp)
    metrics.register(app)
