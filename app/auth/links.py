"""'Forgot your password?' and the page an invitation or reset link opens."""

from __future__ import annotations

from flask import current_app, flash, render_template, url_for
from flask_login import logout_user

from app.auth import bp, mail, throttle
from app.auth.forms import ForgotPasswordForm, SetPasswordForm
from app.extensions import limiter
from app.form_pages import field_errors
from app.services import account_links
from app.services.account_links import LinkUnusable
from app.services.errors import ValidationFailed
from app.two_factor import signin

TOKEN_ROUTE = mail.SET_PASSWORD_PATH + "<string(length=43):token>"


@bp.route("/account/forgot-password", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RESET_REQUEST_LIMIT"], methods=["POST"])
def forgot_password():
    """The same answer, in the same time, whether or not the address has an account, so it reveals nobody."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        mail.reset_later(form.email.data)
        return render_template("auth/reset_sent.html", email=form.email.data)
    errors = field_errors(form)
    return render_template("auth/forgot_password.html", form=form, errors=errors), (400 if errors else 200)


@bp.route(TOKEN_ROUTE, methods=["GET", "POST"])
def set_password(token: str):
    """Set a password from an emailed link, then go straight in: the link proved the address."""
    try:
        link = account_links.find(token)
    except LinkUnusable as unusable:
        return render_template("auth/link_unusable.html", message=unusable.message), 410
    form = SetPasswordForm()
    errors: dict[str, str] = {}
    if form.validate_on_submit():
        try:
            user = account_links.set_password(token, form.new_password.data, form.confirm_password.data)
        except ValidationFailed as failure:
            errors = failure.fields
        except LinkUnusable as unusable:
            return render_template("auth/link_unusable.html", message=unusable.message), 410
        else:
            throttle.lift(user.email)
            logout_user()
            response = signin.after_password(user, url_for("home.index"))  # an emailed link is not a second factor
            flash(
                "Your password is set. " + ("Now enter your code." if signin.awaiting_code() else "You are signed in.")
            )
            return response
    errors = errors or field_errors(form)
    email = account_links.owner(link).email
    page = render_template("auth/set_password.html", form=form, errors=errors, purpose=link.purpose, email=email)
    return page, (400 if errors else 200)
