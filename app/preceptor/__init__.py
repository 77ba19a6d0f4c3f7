"""The preceptor's (assessor's) pages: caseload, sign-off queue, reviews and moving learners on."""

from flask import Blueprint

from app.access import restrict_blueprint

bp = Blueprint("preceptor", __name__, url_prefix="/preceptor")
restrict_blueprint(bp, "preceptor")

from app.preceptor import routes  # noqa: E402,F401
