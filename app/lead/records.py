"""Recording checks, confirmations and attendance: the facts that move Healthcare Works and HDA learners on."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_login import current_user

from app.lead import bp
from app.lead.forms import AttendanceForm, CheckForm
from app.preceptor.forms import ConfirmationForm
from app.services import lead_pages, records
from app.webforms import render_form, require_fresh, submit, values

KINDS = {
    "checks": (CheckForm, "Record a check or assessment", records.record_check),
    "confirmations": (ConfirmationForm, "Record a confirmation", records.record_confirmation),
    "attendance": (AttendanceForm, "Record attendance", records.record_attendance),
}


@bp.route(
    "/enrolments/<int(max=2147483647):enrolment_id>/<any(checks, confirmations, attendance):kind>/new",
    methods=["GET", "POST"],
)
def record(enrolment_id: int, kind: str):
    page = lead_pages.lead_enrolment(current_user, enrolment_id)
    form_class, title, service = KINDS[kind]
    if kind == "confirmations" and (stale := require_fresh(request.full_path)):
        return stale  # a confirmation is a signature: ask for the password again when the sign-in is old
    form = form_class()
    if kind == "confirmations":
        form.name.choices = [
            (name, title)
            for name, title in page.assessed.definition.confirmations.items()
            if name not in records.PRECEPTOR_ONLY
        ]
    outcome = submit(form, lambda: service(current_user, enrolment_id, **values(form)))
    if outcome.done:
        flash(f"{title.removeprefix('Record ').capitalize()} recorded")
        return redirect(url_for("lead.enrolment", enrolment_id=enrolment_id))
    return render_form(
        "form_page.html",
        form,
        outcome.errors,
        title=title,
        caption=page.assessed.enrolment.learner.full_name,
        submit="Save",
        back=url_for("lead.enrolment", enrolment_id=enrolment_id),
    )
