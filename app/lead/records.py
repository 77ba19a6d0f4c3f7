"""Recording checks, confirmations and attendance: the facts that move Healthcare Works and HDA learners on."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user

from app.lead import bp
from app.lead.forms import AttendanceForm, CheckForm
from app.preceptor.forms import ConfirmationForm
from app.services import lead_pages, records
from app.services.errors import ValidationFailed
from app.webforms import field_errors, merge_failure, render_form, values

KINDS = {
    "checks": (CheckForm, "Record a check or assessment", records.record_check),
    "confirmations": (ConfirmationForm, "Record a confirmation", records.record_confirmation),
    "attendance": (AttendanceForm, "Record attendance", records.record_attendance),
}


@bp.route("/enrolments/<int:enrolment_id>/<any(checks, confirmations, attendance):kind>/new", methods=["GET", "POST"])
def record(enrolment_id: int, kind: str):
    page = lead_pages.lead_enrolment(current_user, enrolment_id)
    form_class, title, service = KINDS[kind]
    form = form_class()
    if kind == "confirmations":
        form.name.choices = [
            (name, title)
            for name, title in page.assessed.definition.confirmations.items()
            if name not in records.PRECEPTOR_ONLY
        ]
    errors: dict[str, str] = {}
    if form.validate_on_submit():
        try:
            service(current_user, enrolment_id, **values(form))
        except ValidationFailed as failure:
            errors = merge_failure(form, failure)
        else:
            flash(f"{title.removeprefix('Record ').capitalize()} recorded")
            return redirect(url_for("lead.enrolment", enrolment_id=enrolment_id))
    return render_form(
        "form_page.html",
        form,
        errors or field_errors(form),
        title=title,
        caption=page.assessed.enrolment.learner.full_name,
        submit="Save",
        back=url_for("lead.enrolment", enrolment_id=enrolment_id),
    )
