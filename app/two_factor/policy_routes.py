"""/admin/two-factor: an administrator requires two-factor of the organisation's leads and admins."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user

from app.access import role_required
from app.form_pages import render_form, submit
from app.services import two_factor
from app.services.errors import ServiceError
from app.two_factor import bp
from app.two_factor.forms import PolicyForm


@bp.route("/admin/two-factor", methods=["GET", "POST"])
@role_required("admin")
def policy():
    organisation_id = current_user.organisation_id
    form = PolicyForm(data={"required": "yes" if two_factor.required(organisation_id) else "no"})
    outcome = submit(form, lambda: two_factor.set_required(current_user, organisation_id, form.required.data == "yes"))
    if outcome.done:
        flash(
            "Leads and administrators must now use two-factor: anyone without it sets it up when they next open a page"
            if outcome.result.required_for_staff
            else "Two-factor is now each lead's and administrator's own choice"
        )
        return redirect(url_for("two_factor.policy"))
    return render_form("two_factor/policy.html", form, outcome.errors, staff=two_factor.staff_status(current_user))


@bp.post("/admin/two-factor/reset/<int(max=2147483647):person_id>")
@role_required("admin")
def reset(person_id: int):
    """For someone who lost their phone and their recovery codes: they set two-factor up again."""
    try:
        person = two_factor.reset(current_user, person_id)
    except ServiceError as refused:
        flash(f"Two-factor was not reset: {refused.message}")
    else:
        flash(f"{person.full_name}'s two-factor is reset: they sign in with their password and set it up again")
    return redirect(url_for("two_factor.policy"))
