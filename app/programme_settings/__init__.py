"""Programme settings from a date: the administrator's pages (and ``flask settings``, in ``cli``)."""

from flask import Blueprint

from app.access import restrict_blueprint

bp = Blueprint("settings", __name__, url_prefix="/settings")
restrict_blueprint(bp, "admin")

from app.programme_settings import routes  # noqa: E402,F401
