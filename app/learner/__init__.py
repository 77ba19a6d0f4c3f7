"""The learner's pages: where they stand, hours, competencies and reviews."""

from flask import Blueprint

from app.webforms import role_gate

bp = Blueprint("learner", __name__, url_prefix="/learner")
bp.before_request(role_gate("learner"))

from app.learner import routes  # noqa: E402,F401
