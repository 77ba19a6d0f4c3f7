"""The preceptor's (assessor's) pages: caseload, sign-off queue, reviews and moving learners on."""

from flask import Blueprint

from app.webforms import role_gate

bp = Blueprint("preceptor", __name__, url_prefix="/preceptor")
bp.before_request(role_gate("preceptor"))

from app.preceptor import routes  # noqa: E402,F401
