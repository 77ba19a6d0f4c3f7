"""/admin/sso: an administrator sets up single sign-on for their own organisation."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user

from app.access import role_required
from app.form_pages import render_form, submit
from app.models import SsoConfiguration
from app.services import sso_settings
from app.sso import bp
from app.sso.forms import SsoSettingsForm


def _shown(stored: SsoConfiguration | None) -> dict[str, str]:
    """What the form starts with: the stored settings (never the secret), or the defaults."""
    if stored is None:
        return {
            "is_enabled": "no",
            "create_on_first_sign_in": "no",
            "match_by": "email",
            "employee_number_claim": "employee_number",
        }
    return {
        "is_enabled": "yes" if stored.is_enabled else "no",
        "provider_name": stored.provider_name,
        "issuer_url": stored.issuer_url,
        "client_id": stored.client_id,
        "allowed_domains": ", ".join(stored.domains),
        "match_by": stored.match_by,
        "employee_number_claim": stored.employee_number_claim,
        "create_on_first_sign_in": "yes" if stored.create_on_first_sign_in else "no",
    }


@bp.route("/admin/sso", methods=["GET", "POST"])
@role_required("admin")
def settings():
    stored = sso_settings.for_organisation(current_user.organisation_id)
    form = SsoSettingsForm(data=_shown(stored))
    outcome = submit(form, lambda: sso_settings.save(current_user, form.values()))
    if outcome.done:
        flash("Single sign-on settings saved" + (": it is on" if outcome.result.is_enabled else ": it is off"))
        return redirect(url_for("sso.settings"))
    return render_form(
        "sso/settings.html", form, outcome.errors, stored=stored, callback=url_for("sso.callback", _external=True)
    )
