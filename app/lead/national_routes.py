"""The lead records an English and maths decision and an agreed review frequency for one apprentice."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user

from app.form_pages import render_form, submit, values
from app.lead import bp
from app.lead.national_forms import EnglishMathsDecisionForm, ReviewFrequencyForm
from app.services import lead_pages, national_records

PAGES = {
    "english-and-maths": (
        EnglishMathsDecisionForm,
        national_records.record_english_maths_decision,
        "English and maths decision",
        "English and maths decision recorded",
    ),
    "review-frequency": (
        ReviewFrequencyForm,
        national_records.agree_review_frequency,
        "Agreed review frequency",
        "Review frequency recorded",
    ),
}


@bp.route(
    "/enrolments/<int(max=2147483647):enrolment_id>/<any('english-and-maths', 'review-frequency'):kind>",
    methods=["GET", "POST"],
)
def national_record(enrolment_id: int, kind: str):
    page = lead_pages.lead_enrolment(current_user, enrolment_id)
    form_class, command, title, done = PAGES[kind]
    form = form_class()
    outcome = submit(form, lambda: command(current_user, enrolment_id, **values(form)))
    if outcome.done:
        flash(done)
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
