"""``/healthz`` (the process answers) and ``/readyz`` (what it needs answers) for load balancers.

Neither needs a session or a cookie. ``/healthz`` touches nothing outside the process, so a
database outage never makes an orchestrator restart healthy workers; ``/readyz`` answers 503
while the database, or Redis where configured, cannot be reached, so the balancer sends no one.
"""

from __future__ import annotations

import redis
from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from app.extensions import db

bp = Blueprint("operations", __name__)
REDIS_TIMEOUT_SECONDS = 2


def redis_urls() -> list[str]:
    """Every Redis this process is configured to use."""
    config = current_app.config
    urls = [config.get("REDIS_URL", ""), config.get("RATELIMIT_STORAGE_URI", "")]
    return sorted({url for url in urls if url.startswith(("redis://", "rediss://", "unix://"))})


def database_problem() -> str:
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as error:  # any failure means not ready; the reason is logged, not shown
        current_app.logger.warning("readiness: the database is unavailable: %s", error)
        return "unavailable"
    finally:
        db.session.remove()
    return ""


def redis_problem(url: str) -> str:
    try:
        with redis.Redis.from_url(
            url, socket_timeout=REDIS_TIMEOUT_SECONDS, socket_connect_timeout=REDIS_TIMEOUT_SECONDS
        ) as client:
            client.ping()
    except redis.RedisError as error:
        current_app.logger.warning("readiness: Redis is unavailable: %s", error)
        return "unavailable"
    return ""


@bp.get("/healthz")
def healthz():
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    checks = {"database": database_problem() or "ok"}
    for number, url in enumerate(redis_urls(), start=1):
        checks["redis" if number == 1 else f"redis{number}"] = redis_problem(url) or "ok"
    ready = all(value == "ok" for value in checks.values())
    response = jsonify(status="ready" if ready else "unavailable", checks=checks)
    response.status_code = 200 if ready else 503
    if not ready:
        response.headers["Retry-After"] = "10"
    return response
