"""Signing in through an organisation's OpenID provider: off to the provider, and back with a checked ID token.

A sign-in through single sign-on relies on the provider's own second factor, so the session is marked
``session["signed_in_by"] = "sso"`` for Waymark's two-factor check to leave it alone.
"""

from __future__ import annotations

import time
from dataclasses import asdict

from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user
from sqlalchemy.exc import SQLAlchemyError

from app.auth.forms import LoginForm
from app.auth.routes import safe_next
from app.extensions import db
from app.models import SsoConfiguration
from app.security import start_session
from app.services import sso_settings
from app.services.sso_sign_in import SignInRefused, refuse, sign_in
from app.sso import bp
from app.sso.oidc import Client, Pending, ProviderProblem, begin, finish

FLOW_MINUTES = 10  # how long a person may take at the provider's login page
STATUS = {"provider_unreachable": 502, "state_mismatch": 400, "provider_refused": 400, "token_refused": 400}


def _client(configuration: SsoConfiguration) -> Client:
    return Client(
        provider_name=configuration.provider_name,
        issuer=configuration.issuer_url,
        client_id=configuration.client_id,
        client_secret=sso_settings.client_secret(configuration),
        redirect_uri=url_for("sso.callback", _external=True),
    )


def _refused(message: str, status: int):
    """The sign-in page again, the problem at its top and beside the single sign-on buttons."""
    return render_template("auth/login.html", form=LoginForm(formdata=None), errors={"sso": message}), status


@bp.app_template_global("sso_choices")
def sso_choices() -> list[dict[str, str]]:
    """The sign-in page's single sign-on buttons: one per organisation that switched it on.

    A database not yet migrated (or not answering) still gets the password form, with the reason logged.
    """
    try:
        configurations = sso_settings.switched_on()
    except SQLAlchemyError as error:
        db.session.rollback()
        current_app.logger.warning("single sign-on is not offered: its settings cannot be read (%s)", error.code)
        return []
    return [
        {
            "provider": configuration.provider_name,
            "organisation": configuration.organisation.name,
            "slug": configuration.organisation.slug,
            "href": url_for("sso.start", slug=configuration.organisation.slug, next=request.args.get("next")),
        }
        for configuration in configurations
    ]


@bp.get("/sso/<string(maxlength=64):slug>/start")
def start(slug: str):
    """Send the person to their organisation's provider (``confirm`` asks it to check them again now)."""
    configuration = sso_settings.switched_on_for(slug)
    if configuration is None:
        abort(404)
    confirm = request.args.get("confirm") == "1" and current_user.is_authenticated
    try:
        url, pending = begin(_client(configuration), confirm=confirm)
    except ProviderProblem as problem:
        refuse(configuration, problem.reason, problem.message)
        return _refused(problem.message, STATUS.get(problem.reason, 403))
    session["sso_flow"] = {
        **asdict(pending),
        "organisation_id": configuration.organisation_id,
        "next": request.args.get("next") or "",
        "started_at": int(time.time()),
    }
    return redirect(url)


@bp.get("/sso/callback")
def callback():
    """The provider sends the person back here; a checked ID token for an enabled person signs them in."""
    flow = session.pop("sso_flow", None)
    if not isinstance(flow, dict) or time.time() - flow.get("started_at", 0) > FLOW_MINUTES * 60:
        message = "This sign-in had already been used or had timed out. Start again."
        refuse(None, "state_mismatch", message)
        return _refused(message, 400)
    configuration = sso_settings.for_organisation(flow.get("organisation_id", 0))
    if configuration is None or not configuration.is_enabled:
        message = "Single sign-on is switched off for your organisation. Sign in with your email address and password."
        refuse(configuration, "switched_off", message)
        return _refused(message, 403)
    pending = Pending(flow["state"], flow["nonce"], flow["code_verifier"])
    try:
        claims = finish(_client(configuration), pending, request.url)
        person = sign_in(configuration, claims)
    except ProviderProblem as problem:
        refuse(configuration, problem.reason, problem.message)
        return _refused(problem.message, STATUS.get(problem.reason, 403))
    except SignInRefused as refusal:
        return _refused(refusal.message, refusal.status)
    if current_user.is_authenticated and current_user.id == person.id:  # confirmed again before a signature
        session["fresh_at"] = int(time.time())
    else:
        session.clear()
        login_user(person)
        start_session()
    session["signed_in_by"] = "sso"
    return redirect(safe_next(flow["next"]))
