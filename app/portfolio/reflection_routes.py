from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from app.form_pages import render_form, submit, values
from app.portfolio import bp
from app.portfolio.forms import ReflectionForm
from app.services import evidence, pages, reflections
from app.services.evidence_pages import waiting_requests

REFLECTIONS = "/learner/enrolments/<int(max=2147483647):enrolment_id>/reflections"


@bp.get(REFLECTIONS)
def learner_reflections(enrolment_id: int):
    item = pages.enrolment_page(current_user, enrolment_id)
    written = reflections.reflections(current_user, enrolment_id)
    files = evidence.for_records(enrolment_id, "reflection")
    return render_template("portfolio/reflections.html", item=item, written=written, files=files)


@bp.route(f"{REFLECTIONS}/new", methods=["GET", "POST"])
def write_reflection(enrolment_id: int):
    item = pages.enrolment_page(current_user, enrolment_id)
    form = ReflectionForm()
    form.signoff_id.choices = [(str(event_id), words) for event_id, words in waiting_requests(item)]
    outcome = submit(form, lambda: reflections.write_reflection(current_user, enrolment_id, **values(form)))
    if outcome.done:
        flash("Your reflection has been saved")
        return redirect(url_for("portfolio.learner_reflections", enrolment_id=enrolment_id))
    back = url_for("portfolio.learner_reflections", enrolment_id=enrolment_id)
    return render_form("portfolio/reflection_form.html", form, outcome.errors, item=item, back=back)
