"""Search from the header of every lead, administrator and preceptor page."""

from flask import Blueprint

from app.access import restrict_blueprint

bp = Blueprint("search", __name__, url_prefix="/search")
restrict_blueprint(bp, "lead", "admin", "preceptor")

from app.search import routes  # noqa: E402,F401
