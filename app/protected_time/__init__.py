"""Preceptor protected time pages: the preceptor's own ledger and log, and the lead's list of preceptors."""

from flask import Blueprint

bp = Blueprint("protected_time", __name__, url_prefix="/protected-time")

from app.protected_time import routes  # noqa: E402,F401
