"""Recording checks, confirmations and attendance: the facts that move Healthcare Works and HDA learners on."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user

from app.access import fresh_login_required
from app.form_pages import render_form, submit, values
from app.lead import bp
from app.lead.forms import AttendanceForm, CheckForm
from app.preceptor.forms import ConfirmationForm
from app.services import lead_enrolment_pages, records

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
    if kind == "confirmations":  # a confirmation is a signature: a fresh sign-in, as for a sign-off
        return _confirm(enrolment_id=enrolment_id, kind=kind)
    return _record(enrolment_id, kind)


@fresh_login_required(back=lambda enrolment_id, kind: url_for("lead.enrolment", enrolment_id=enrolment_id))
def _confirm(enrolment_id: int, kind: str):
    return _record(enrolment_id, kind)


def _record(enrolment_id: int, kind: str):
    page = lead_enrolment_pages.lead_enrolment(current_user, enrolment_id)
    form_class, title, service = KINDS[kind]
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
