"""The programme lead's pages: cohorts, enrolments, preceptors, programme diagrams and the audit trail."""

from flask import Blueprint

from app.access import restrict_blueprint

bp = Blueprint("lead", __name__, url_prefix="/lead")
restrict_blueprint(bp, "lead", "admin")

from app.lead import home, learner_record, national_routes, records, routes  # noqa: E402,F401
