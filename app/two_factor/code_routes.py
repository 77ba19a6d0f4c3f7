"""The code after the password: at sign-in (nobody signed in yet) and before signing off or exporting."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from app.auth.routes import count_failure, refusal
from app.form_pages import field_errors
from app.models import User
from app.services import two_factor
from app.services.errors import ServiceError
from app.two_factor import bp, signin
from app.two_factor.forms import CodeForm


def _check(form: CodeForm, user: User, verify) -> tuple[str | None, int, str | None]:
    """(error, status, method): throttled like passwords, a wrong code counting as a failed attempt."""
    if not form.validate_on_submit():
        errors = field_errors(form)
        return (errors["code"], 400, None) if errors else (None, 200, None)
    if error := refusal(user.email):
        return error, 429, None
    try:
        return None, 200, verify(user, form.code.data)
    except ServiceError as failure:
        count_failure(user.email)
        return getattr(failure, "fields", {}).get("code", failure.message), 401, None


def _used_recovery_code(user: User) -> None:
    left = two_factor.recovery_codes_left(user)
    flash(
        f"You used a recovery code. You have {left} left: get new ones on your two-factor page if you are running low."
    )


@bp.route("/login/code", methods=["GET", "POST"])
def sign_in_code():
    user = signin.pending_user()
    if user is None:
        flash("Sign in again: it has been too long since you entered your password")
        return redirect(url_for("auth.login"))
    form = CodeForm()
    error, status, method = _check(form, user, two_factor.verify_sign_in)
    if method is not None:
        response = signin.finish_sign_in(user)  # a new session: the message goes into it
        if method == "recovery code":
            _used_recovery_code(user)
        return response
    return render_template("two_factor/code.html", form=form, error=error, purpose="sign_in"), status


@bp.route("/reauthenticate/code", methods=["GET", "POST"])
@login_required
def reauthenticate_code():
    if signin.confirming_target() is None:
        return redirect(url_for("auth.reauthenticate"))
    form = CodeForm()
    user = current_user._get_current_object()
    error, status, method = _check(form, user, two_factor.verify_reauthentication)
    if method is not None:
        if method == "recovery code":
            _used_recovery_code(user)
        return signin.finish_reauthentication()
    return render_template("two_factor/code.html", form=form, error=error, purpose="confirm"), status
