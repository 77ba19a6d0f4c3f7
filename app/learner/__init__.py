"""The learner's pages: where they stand, hours, competencies and reviews."""

from flask import Blueprint

from app.access import restrict_blueprint

bp = Blueprint("learner", __name__, url_prefix="/learner")
restrict_blueprint(bp, "learner")

from app.learner import routes  # noqa: E402,F401
