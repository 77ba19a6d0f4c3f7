"""The programme lead's report pages and the ``flask reports`` commands."""

from flask import Blueprint

bp = Blueprint("reporting", __name__, url_prefix="/reports")

from app.reporting import routes  # noqa: E402,F401
