"""Sessions, the user loader and security headers."""

from __future__ import annotations

import time

from flask import Flask, Response, flash, redirect, request, session, url_for
from flask_login import current_user, logout_user

from app.extensions import login_manager
from app.models import User
from app.services import notifications, request_memo

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

# The NHS.UK frontend's files and the app's own CSS and JS: the same for everyone, so they may be cached.
UNPERSONAL_ENDPOINTS = {"static", "nhsuk_static", "nhsuk_assets"}


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The session names a user *and* a session version; a stale version is signed out."""
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = notifications.signed_in_user(int(user_id))
    if user is None or not user.is_enabled or user.session_version != int(version):
        return None
    return user


def start_session() -> None:
    now = int(time.time())
    session["started_at"] = now
    session["seen_at"] = now
    session["fresh_at"] = now
    session.permanent = False


def is_fresh(app: Flask) -> bool:
    return time.time() - session.get("fresh_at", 0) < app.config["FRESH_LOGIN_MINUTES"] * 60


def register(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Sign in to continue"
    login_manager.needs_refresh_message = "Sign in again to confirm it is you"
    login_manager.refresh_view = "auth.reauthenticate"
    login_manager.session_protection = "basic"
    request_memo.register(app)

    @app.before_request
    def enforce_timeouts() -> Response | None:
        if not current_user.is_authenticated:
            return None
        now = time.time()
        idle = now - session.get("seen_at", 0) > app.config["SESSION_IDLE_MINUTES"] * 60
        too_old = now - session.get("started_at", 0) > app.config["SESSION_ABSOLUTE_HOURS"] * 3600
        if idle or too_old:
            logout_user()
            session.clear()
            flash("You were signed out because your session timed out")
            return redirect(url_for("auth.login"))
        session["seen_at"] = int(now)
        return None

    @app.after_request
    def security_headers(response: Response) -> Response:
        if request.endpoint not in UNPERSONAL_ENDPOINTS:  # shared ward computers: keep no copy of any page
            response.headers["Cache-Control"] = "no-store"
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
        if app.config.get("HTTPS") or request.is_secure:
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        return response
