"""Background jobs: their pages (progress, outcome, download) and the worker process ``flask jobs work``."""

from flask import Blueprint

bp = Blueprint("jobs", __name__, url_prefix="/jobs")

from app.jobs import routes  # noqa: E402,F401
