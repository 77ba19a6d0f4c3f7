"""The portfolio's pages: evidence files and what can be printed and verified."""

from flask import Blueprint

from app.access import restrict_blueprint

bp = Blueprint("portfolio", __name__)
restrict_blueprint(bp)

from app.portfolio import filters, record_routes, reflection_routes, routes  # noqa: E402,F401
