from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from app.form_pages import render_form, submit
from app.learner import bp
from app.learner.forms import ConfirmForm, HoursForm, SignOffRequestForm
from app.portfolio.uploads import file_hint, received
from app.services import dashboards, evidence, hours, pages
from app.services.clock import today


@bp.get("/")
def home():
    return render_template("learner/home.html", items=dashboards.learner_enrolments(current_user, today()))


@bp.get("/enrolments/<int(max=2147483647):enrolment_id>")
def enrolment(enrolment_id: int):
    item = pages.enrolment_page(current_user, enrolment_id)
    return render_template("learner/enrolment.html", item=item, reviews=pages.reviews(item))


@bp.get("/enrolments/<int(max=2147483647):enrolment_id>/hours")
def hours_history(enrolment_id: int):
    item = pages.enrolment_page(current_user, enrolment_id)
    return render_template("learner/hours.html", item=item, history=pages.hours_history(enrolment_id))


@bp.route("/enrolments/<int(max=2147483647):enrolment_id>/hours/new", methods=["GET", "POST"])
def log_hours(enrolment_id: int):
    item = pages.enrolment_page(current_user, enrolment_id)
    form = HoursForm()
    outcome = submit(form, lambda: hours.log_hours(current_user, enrolment_id, **_hours_values(form)))
    if outcome.done:
        flash(f"{form.hours.data} hours logged for {form.worked_on.data:%-d %B %Y}")
        return redirect(url_for("learner.hours_history", enrolment_id=enrolment_id))
    return _hours_page(form, outcome.errors, item, "Log your learning hours", "Save hours")


@bp.route("/hours/<int(max=2147483647):entry_id>/edit", methods=["GET", "POST"])
def edit_hours(entry_id: int):
    entry = pages.hours_entry(current_user, entry_id)
    form = HoursForm(obj=entry)
    outcome = submit(form, lambda: hours.edit_hours(current_user, entry_id, **_hours_values(form)))
    if outcome.done:
        flash("Your hours entry has been changed")
        return redirect(url_for("learner.hours_history", enrolment_id=entry.enrolment_id))
    item = pages.enrolment_page(current_user, entry.enrolment_id)
    return _hours_page(form, outcome.errors, item, "Change your hours entry", "Save changes", entry)


@bp.post("/hours/<int(max=2147483647):entry_id>/remove")
def remove_hours(entry_id: int):
    entry = pages.hours_entry(current_user, entry_id)
    if ConfirmForm().validate_on_submit():
        hours.remove_hours(current_user, entry_id)
        flash("Your hours entry has been removed")
    return redirect(url_for("learner.hours_history", enrolment_id=entry.enrolment_id))


def _hours_values(form: HoursForm) -> dict:
    return {
        "worked_on": form.worked_on.data,
        "hours": form.hours.data.strip(),
        "activity_type": form.activity_type.data,
        "learning": form.learning.data,
    }


def _hours_page(form: HoursForm, errors: dict, item, title: str, submit: str, entry=None):
    back = url_for("learner.hours_history", enrolment_id=item.enrolment.id)
    return render_form(
        "learner/hours_form.html", form, errors, item=item, title=title, submit=submit, back=back, entry=entry
    )


@bp.get("/enrolments/<int(max=2147483647):enrolment_id>/competencies")
def competencies(enrolment_id: int):
    item = pages.enrolment_page(current_user, enrolment_id)
    return render_template("learner/competencies.html", item=item, groups=pages.competencies(item))


@bp.route("/enrolments/<int(max=2147483647):enrolment_id>/competencies/<key>/request", methods=["GET", "POST"])
def request_signoff(enrolment_id: int, key: str):
    item = pages.enrolment_page(current_user, enrolment_id)
    row = pages.require_competency(item, key)
    form = SignOffRequestForm()
    form.files.description = file_hint()
    outcome = submit(
        form,
        lambda: evidence.request_signoff(
            current_user, enrolment_id, key, text=form.evidence.data, uploads=received(form.files.data)
        ),
    )
    if outcome.done:
        flash(f"Sign-off requested: {row.title}")
        return redirect(url_for("learner.competencies", enrolment_id=enrolment_id))
    back = url_for("learner.competencies", enrolment_id=enrolment_id)
    return render_form("learner/request_signoff.html", form, outcome.errors, item=item, row=row, back=back)


@bp.get("/enrolments/<int(max=2147483647):enrolment_id>/reviews")
def reviews_page(enrolment_id: int):
    item = pages.enrolment_page(current_user, enrolment_id)
    return render_template("learner/reviews.html", item=item, reviews=pages.reviews(item))


