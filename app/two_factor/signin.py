"""The hand-off from a right password to the second factor, and the gate for those who must set it up.

Between the password and the code nobody is signed in: the session holds only who passed the
password, when, and the session version then (a password change or sign-out elsewhere voids it).
SSO sign-ins (``session["signed_in_by"] == "sso"``) rely on the provider's own second factor.
"""

from __future__ import annotations

import time
from typing import Any

from flask import Response, redirect, request, session, url_for
from flask_login import current_user, login_user
from werkzeug.wrappers import Response as BaseResponse

from app.extensions import db
from app.models import User
from app.security import start_session
from app.services import two_factor
from app.two_factor import bp

PENDING, CONFIRMING = "two_factor_pending", "two_factor_confirming"
PENDING_SECONDS = 300
# What a lead or admin who must set up two-factor can still open.
SETUP_ENDPOINTS = {"two_factor.account", "two_factor.start", "two_factor.setup", "auth.logout"}
UNGATED_ENDPOINTS = {"static", "nhsuk_static", "nhsuk_assets"}


def by_sso() -> bool:
    return session.get("signed_in_by") == "sso"


def after_password(user: User, target: str) -> BaseResponse:
    """Sign in now, or first ask for the code when the person has two-factor on."""
    session.clear()
    if two_factor.is_enabled(user):
        session[PENDING] = {"user": user.id, "version": user.session_version, "at": int(time.time()), "next": target}
        return redirect(url_for("two_factor.sign_in_code"))
    login_user(user)
    start_session()
    return redirect(target)


def awaiting_code() -> bool:
    return PENDING in session


def pending_user() -> User | None:
    """Who passed the password in this browser within the last few minutes, if they still may sign in."""
    pending: dict[str, Any] = session.get(PENDING) or {}
    if time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user = db.session.get(User, pending.get("user", 0))
    if user is None or not user.is_enabled or user.session_version != pending.get("version"):
        return None
    return user


def finish_sign_in(user: User) -> BaseResponse:
    target = (session.get(PENDING) or {}).get("next") or url_for("home.index")
    session.clear()
    login_user(user)
    start_session()
    return redirect(target)


def after_reauthentication_password(target: str) -> BaseResponse:
    """The password was right; the session is fresh now, or after the code when two-factor is on."""
    if not by_sso() and two_factor.is_enabled(current_user):
        session[CONFIRMING] = {"at": int(time.time()), "next": target}
        return redirect(url_for("two_factor.reauthenticate_code"))
    session["fresh_at"] = int(time.time())
    return redirect(target)


def confirming_target() -> str | None:
    confirming: dict[str, Any] = session.get(CONFIRMING) or {}
    return confirming.get("next") if time.time() - confirming.get("at", 0) <= PENDING_SECONDS else None


def finish_reauthentication() -> BaseResponse:
    target = confirming_target() or url_for("home.index")
    session.pop(CONFIRMING, None)
    session["fresh_at"] = int(time.time())
    return redirect(target)


@bp.before_app_request
def send_to_setup() -> Response | BaseResponse | None:
    """A lead or admin whose organisation requires two-factor sets it up before any other page."""
    endpoint = request.endpoint or ""
    if endpoint in UNGATED_ENDPOINTS | SETUP_ENDPOINTS or endpoint.startswith(("operations.", "api.")):
        return None
    if current_user.is_authenticated and not by_sso() and two_factor.setup_needed(current_user):
        return redirect(url_for("two_factor.account"))
    return None
