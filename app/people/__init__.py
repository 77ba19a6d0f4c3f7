"""People and sites, managed by an organisation's administrators and programme leads."""

from flask import Blueprint

from app.access import restrict_blueprint

bp = Blueprint("people", __name__, url_prefix="/admin")
restrict_blueprint(bp, "lead", "admin")

from app.people import (  # noqa: E402,F401  (routes attach themselves to bp)
    organisation,
    routes,
    sites,
    subject_access,
    transfer_routes,
)
