from __future__ import annotations

import time
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import bp
from app.auth.forms import ChangePasswordForm, LoginForm, ReauthenticateForm
from app.extensions import limiter
from app.form_pages import field_errors
from app.security import start_session
from app.services import accounts
from app.services.errors import ValidationFailed
from app.services.passwords import verify_password


def safe_next(target: str | None) -> str:
    """Only a path inside this app, never another site."""
    if target:
        parts = urlsplit(target)
        if (
            not parts.scheme
            and not parts.netloc
            and target.startswith("/")
            and not target.startswith("//")
            and "\\" not in target
        ):
            return target
    return url_for("home.index")


def _account_key() -> str:
    return "login-account:" + (request.form.get("email", "").strip().lower() or "-")


def _limits(name: str):
    return lambda: current_app.config[name]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_limits("LOGIN_LIMIT_PER_ADDRESS"), methods=["POST"])
@limiter.limit(_limits("LOGIN_LIMIT_PER_ACCOUNT"), key_func=_account_key, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is not None:
            session.clear()
            login_user(user)
            start_session()
            return redirect(safe_next(request.args.get("next")))
        error = "Enter a correct email address and password"
    errors = {"email": error} if error else field_errors(form)
    return render_template("auth/login.html", form=form, errors=errors), (401 if error else 400 if errors else 200)


@bp.route("/reauthenticate", methods=["GET", "POST"])
@login_required
@limiter.limit(_limits("LOGIN_LIMIT_PER_ACCOUNT"), methods=["POST"])
def reauthenticate():
    form = ReauthenticateForm()
    error = None
    if form.validate_on_submit():
        if verify_password(current_user.password_hash, form.password.data):
            session["fresh_at"] = int(time.time())
            return redirect(safe_next(request.args.get("next")))
        error = "Your password is not right"
    return render_template("auth/reauthenticate.html", form=form, error=error)


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    session.clear()
    flash("You have signed out")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    errors: dict[str, str] = {}
    if form.validate_on_submit():
        try:
            accounts.change_password(
                current_user, form.current_password.data, form.new_password.data, form.confirm_password.data
            )
        except ValidationFailed as failure:
            errors = failure.fields
        else:
            logout_user()
            session.clear()
            flash("Your password has been changed. Sign in with your new password.")
            return redirect(url_for("auth.login"))
    errors = errors or {name: field.errors[0] for name, field in form._fields.items() if field.errors}
    return render_template("auth/change_password.html", form=form, errors=errors), (400 if errors else 200)
