"""Sign in, sign out, change password, and set one from an invitation or reset link."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from app.auth import links, routes, tokens_page  # noqa: E402,F401  (routes attach themselves to bp)
