"""Review meetings in calendars: booking, moving and cancelling them, and each person's calendar address."""

from flask import Blueprint

from app.access import restrict_blueprint

bp = Blueprint("calendar", __name__)
restrict_blueprint(bp)
feed_bp = Blueprint("calendar_feed", __name__)  # the secret address a calendar fetches, without signing in

from app.calendar import routes  # noqa: E402,F401
