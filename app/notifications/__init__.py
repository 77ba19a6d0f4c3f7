"""Notifications: the in-app list, email preferences, and the admins' view of the outbox."""

from flask import Blueprint

bp = Blueprint("notifications", __name__)

from app.notifications import routes  # noqa: E402,F401
