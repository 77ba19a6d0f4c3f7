"""The lead records what the national rules ask for: an English and maths decision, an agreed review
frequency, recognised prior learning, and a Care Certificate a person completed before Waymark."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user

from app.form_pages import render_form, submit, values
from app.lead import bp
from app.lead.national_forms import (
    EnglishMathsDecisionForm,
    PriorCareCertificateForm,
    PriorLearningForm,
    ReviewFrequencyForm,
)
from app.services import lead_enrolment_pages, national_reads, national_records, people

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
    "prior-learning": (
        PriorLearningForm,
        national_records.record_prior_learning,
        "Recognised prior learning",
        "Prior learning recorded",
    ),
}


KINDS = "<any('english-and-maths', 'review-frequency', 'prior-learning'):kind>"


@bp.route(
    f"/enrolments/<int(max=2147483647):enrolment_id>/{KINDS}",
    methods=["GET", "POST"],
)
def national_record(enrolment_id: int, kind: str):
    page = lead_enrolment_pages.lead_enrolment(current_user, enrolment_id)
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


@bp.route("/people/<int(max=2147483647):person_id>/care-certificate", methods=["GET", "POST"])
def prior_care_certificate(person_id: int):
    person = people.person_in_reach(current_user, person_id)
    recorded = national_reads.prior_care_certificates(current_user, person_id)
    form = PriorCareCertificateForm()
    record = national_records.record_prior_care_certificate
    outcome = submit(form, lambda: record(current_user, person_id, **values(form)))
    if outcome.done:
        flash("Care Certificate recorded")
        return redirect(url_for("people.person", person_id=person_id))
    return render_form(
        "lead/prior_care_certificate.html",
        form,
        outcome.errors,
        title="Care Certificate completed before Waymark",
        caption=person.full_name,
        recorded=recorded,
        submit="Save",
        back=url_for("people.person", person_id=person_id),
    )
