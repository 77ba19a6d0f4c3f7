"""A lead moves one enrolment to the current programme settings, with the reason."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import InputRequired, Length

from app.access import restrict_blueprint
from app.form_pages import render_form, submit, values
from app.services import lead_enrolment_pages
from app.services.settings_changes import move_to_current_settings

bp = Blueprint("enrolment_settings", __name__, url_prefix="/lead/enrolments")
restrict_blueprint(bp, "lead", "admin")


class MoveForm(FlaskForm):
    reason = TextAreaField(
        "Why does this learner move to the current settings?",
        description="This is shown on the learner's record and kept in the audit trail.",
        validators=[
            InputRequired("Enter why this learner moves to the current settings"),
            Length(max=2000, message="Use 2,000 characters or fewer"),
        ],
    )


@bp.route("/<int(max=2147483647):enrolment_id>/settings", methods=["GET", "POST"])
def move(enrolment_id: int):
    page = lead_enrolment_pages.lead_enrolment(current_user, enrolment_id)
    form = MoveForm()
    outcome = submit(form, lambda: move_to_current_settings(current_user, enrolment_id, reason=values(form)["reason"]))
    if outcome.done:
        flash("The learner now follows the current settings")
        return redirect(url_for("lead.enrolment", enrolment_id=enrolment_id))
    return render_form(
        "form_page.html", form, outcome.errors, title="Move to the current settings",
        caption=page.assessed.enrolment.learner.full_name, submit="Move to the current settings",
        intro="The learner's due dates, hours target and programme length will follow the settings in force today.",
        back=url_for("lead.enrolment", enrolment_id=enrolment_id),
    )  # fmt: skip
