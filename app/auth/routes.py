from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, logout_user

from app.auth import bp, mail, throttle
from app.auth.forms import ChangePasswordForm, LoginForm, ReauthenticateForm
from app.form_pages import field_errors
from app.services import account_links, accounts
from app.services.errors import ValidationFailed
from app.services.passwords import verify_password
from app.two_factor import signin


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


def refusal(email: str) -> str | None:
    """Why sign-in is refused before the password is even checked: a locked account or a busy address."""
    if throttle.account_locked(email):
        minutes = current_app.config["ACCOUNT_LOCK_MINUTES"]
        return (
            f"Too many attempts: this account is locked for up to {minutes} minutes after too many wrong "
            "passwords. We have emailed its owner a link to reset the password."
        )
    if throttle.address_blocked(request.remote_addr or ""):
        return "Too many attempts from your network. Wait 15 minutes and try again."
    return None


def count_failure(email: str) -> None:
    """One wrong password; the one that locks the account sends its owner a reset link."""
    if throttle.record_failure(email, request.remote_addr or "") and (issued := account_links.reset_for_locked(email)):
        mail.send(issued, "locked")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    error, status = None, 200
    if form.validate_on_submit():
        if error := refusal(form.email.data):
            status = 429
        elif user := accounts.authenticate(form.email.data, form.password.data):
            return signin.after_password(user, safe_next(request.args.get("next")))
        else:
            count_failure(form.email.data)
            error, status = "Enter a correct email address and password", 401
    errors = {"email": error} if error else field_errors(form)
    return render_template("auth/login.html", form=form, errors=errors), (status if error else 400 if errors else 200)


@bp.route("/reauthenticate", methods=["GET", "POST"])
@login_required
def reauthenticate():
    form = ReauthenticateForm()
    error = None
    if form.validate_on_submit():
        error = refusal(current_user.email)
        if error is None and verify_password(current_user.password_hash, form.password.data):
            return signin.after_reauthentication_password(safe_next(request.args.get("next")))
        if error is None:
            count_failure(current_user.email)
            error = "Your password is not right"
    return render_template("auth/reauthenticate.html", form=form, error=error)


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        accounts.sign_out(current_user)
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
