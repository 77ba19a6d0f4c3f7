"""Bulk learner import: the upload page for programme leads and the command line."""

from flask import Blueprint

bp = Blueprint("importing", __name__, url_prefix="/import")

from app.importing import routes  # noqa: E402,F401
