"""/account/two-factor: a person sets up an authenticator app, gets new recovery codes or turns it off."""

from __future__ import annotations

from typing import Any

import segno
from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from markupsafe import Markup

from app.auth.routes import count_failure
from app.form_pages import Submission, render_form, submit
from app.services import two_factor
from app.services.errors import ServiceError
from app.two_factor import bp, code_routes, policy_routes, signin  # noqa: F401  (their routes attach to bp)
from app.two_factor.forms import CodeForm

QR_LABEL = "QR code for your authenticator app. If you cannot scan it, type the key shown below it"


def qr_svg(uri: str) -> Markup:
    """The otpauth URI as an inline SVG image with a text alternative."""
    svg = segno.make(uri, error="m").svg_inline(scale=5, dark="#000", light="#fff")
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{QR_LABEL}" ', 1))  # noqa: S704 - segno's own markup


def grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@bp.get("/account/two-factor")
@login_required
def account():
    user = current_user._get_current_object()
    return render_template(
        "two_factor/account.html",
        enabled=two_factor.is_enabled(user),
        codes_left=two_factor.recovery_codes_left(user),
        must_set_up=two_factor.setup_needed(user) and not signin.by_sso(),
    )


@bp.post("/account/two-factor/start")
@login_required
def start():
    try:
        two_factor.start_setup(current_user)
    except ServiceError as refused:
        flash(refused.message)
        return redirect(url_for("two_factor.account"))
    return redirect(url_for("two_factor.setup"))


@bp.route("/account/two-factor/set-up", methods=["GET", "POST"])
@login_required
def setup():
    pending = two_factor.pending_setup(current_user)
    if pending is None:
        return redirect(url_for("two_factor.account"))
    form = CodeForm()
    form.code.description = "The 6-digit code your authenticator app shows for Waymark"
    outcome = submit(form, lambda: two_factor.confirm_setup(current_user, form.code.data))
    if outcome.done:
        return render_template("two_factor/recovery_codes.html", codes=outcome.result, first_time=True)
    return render_form(
        "two_factor/setup.html", form, outcome.errors, qr=qr_svg(pending.uri), secret=grouped(pending.secret)
    )


def _code_form(action, title: str, intro: str, submit_text: str) -> tuple[Submission, Any]:
    """A current code before a change: the outcome, and the page to show when it is not done yet.

    A wrong code counts as a failed sign-in, as at the sign-in page: a session left open on a ward
    computer cannot be used to guess its way to turning two-factor off.
    """
    form = CodeForm()
    outcome = submit(form, lambda: action(current_user, form.code.data))
    if outcome.errors and form.code.data:
        count_failure(current_user.email)
    if outcome.done:
        return outcome, None
    back = url_for("two_factor.account")
    page = render_form("form_page.html", form, outcome.errors, title=title, intro=intro, submit=submit_text, back=back)
    return outcome, page


@bp.route("/account/two-factor/recovery-codes", methods=["GET", "POST"])
@login_required
def recovery_codes():
    if not two_factor.is_enabled(current_user):
        return redirect(url_for("two_factor.account"))
    outcome, page = _code_form(
        two_factor.regenerate_recovery_codes,
        "Get new recovery codes",
        "Enter a code from your authenticator app. Your old recovery codes will stop working.",
        "Get new recovery codes",
    )
    return page or render_template("two_factor/recovery_codes.html", codes=outcome.result, first_time=False)


@bp.route("/account/two-factor/turn-off", methods=["GET", "POST"])
@login_required
def turn_off():
    if not two_factor.is_enabled(current_user):
        return redirect(url_for("two_factor.account"))
    _, page = _code_form(
        two_factor.turn_off,
        "Turn off two-factor authentication",
        "Enter a code from your authenticator app, or a recovery code, to turn two-factor off.",
        "Turn off two-factor",
    )
    if page:
        return page
    flash("Two-factor authentication is off. You can remove Waymark from your authenticator app.")
    return redirect(url_for("two_factor.account"))
