"""The programme lead's pages: cohorts, enrolments, preceptors, programme diagrams and the audit trail."""

from flask import Blueprint

from app.webforms import role_gate

bp = Blueprint("lead", __name__, url_prefix="/lead")
bp.before_request(role_gate("lead", "admin"))

from app.lead import records, routes  # noqa: E402,F401
