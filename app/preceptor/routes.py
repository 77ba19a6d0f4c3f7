from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.access import fresh_login_required
from app.advance_view import AdvanceForm, advance_learner
from app.form_pages import render_form, submit, values
from app.preceptor import bp
from app.preceptor.forms import CommentForm, ConfirmationForm, ReviewForm, SignForm
from app.services import (
    caseload_pages,
    evidence_pages,
    pages,
    preceptor_rules,
    protected_time,
    records,
    reflections,
    reviews,
    signoffs,
)
from app.templating import uk_date

DONE = {"sign": "Signed off", "return": "Returned to the learner", "revoke": "Sign-off revoked"}


@bp.get("/")
def caseload():
    sort = request.args.get("sort", "status")
    rows, time = caseload_pages.caseload_rows(current_user, sort), protected_time.preceptor_time(current_user)
    return render_template("preceptor/caseload.html", rows=rows, sort=sort, time=time)


@bp.get("/signoffs")
def queue():
    items = caseload_pages.signoff_queue(current_user)
    files = evidence_pages.queue_evidence(sorted({q.enrolment.id for q in items}))
    return render_template("preceptor/queue.html", items=items, files=files, form=SignForm())


@bp.get("/enrolments/<int(max=2147483647):enrolment_id>")
def enrolment(enrolment_id: int):
    return _enrolment_page(enrolment_id)


def _enrolment_page(enrolment_id: int, refused: list[str] | None = None):
    item = pages.enrolment_page(current_user, enrolment_id)
    context = {"item": item, "groups": pages.competencies(item), "reviews": pages.reviews(item), "refused": refused,
               "override": preceptor_rules.open_override(item.enrolment.id)}  # fmt: skip
    context |= {
        "hours": pages.hours_by_month(enrolment_id),
        "reflections": reflections.reflections(current_user, enrolment_id),
        "evidence_rows": evidence_pages.evidence_rows(item),
    }
    return render_template("preceptor/enrolment.html", form=AdvanceForm(), **context), (409 if refused else 200)


@bp.post("/enrolments/<int(max=2147483647):enrolment_id>/advance")
def advance(enrolment_id: int):
    return advance_learner(enrolment_id, _enrolment_page, "preceptor.enrolment")


def _competency_url(enrolment_id: int, key: str, **_: object) -> str:
    return url_for("preceptor.competency", enrolment_id=enrolment_id, key=key)


@bp.route("/enrolments/<int(max=2147483647):enrolment_id>/competencies/<key>", methods=["GET"])
@fresh_login_required()
def competency(enrolment_id: int, key: str):
    return _competency_page(enrolment_id, key, CommentForm(formdata=None), {})


@bp.post("/enrolments/<int(max=2147483647):enrolment_id>/competencies/<key>/<any(sign, return, revoke):action>")
@fresh_login_required(back=_competency_url)
def act(enrolment_id: int, key: str, action: str):
    here = _competency_url(enrolment_id, key)
    form = SignForm() if action == "sign" else CommentForm()
    outcome = submit(
        form, lambda: signoffs.act(current_user, enrolment_id, key, action, text=form.data.get("comment") or "")
    )
    if outcome.done:
        flash(f"{DONE[action]}: {outcome.result.competency.title}")
        return redirect(url_for("preceptor.queue") if request.args.get("from") == "queue" else here)
    return _competency_page(enrolment_id, key, form, outcome.errors)


def _competency_page(enrolment_id: int, key: str, form, errors: dict[str, str]):
    item = pages.enrolment_page(current_user, enrolment_id)
    row = pages.require_competency(item, key)
    back = url_for("preceptor.enrolment", enrolment_id=enrolment_id)
    comment_form = form if isinstance(form, CommentForm) else CommentForm(formdata=None)
    evidence = {
        "files": evidence_pages.competency_files(item, key),
        "reflections": reflections.for_competency(enrolment_id, key),
    }
    return render_form(
        "preceptor/competency.html", form, errors, item=item, row=row, back=back, comment_form=comment_form, **evidence
    )


@bp.route("/enrolments/<int(max=2147483647):enrolment_id>/reviews/new", methods=["GET", "POST"])
def record_review(enrolment_id: int):
    item = pages.enrolment_page(current_user, enrolment_id)
    form = ReviewForm()
    form.slot.choices = [  # a review already held is corrected, not recorded twice
        (s.key, f"{s.title} (due {uk_date(s.due)})") for s in item.evaluation.review_slots if s.held_on is None
    ]
    outcome = submit(form, lambda: reviews.record_review(current_user, enrolment_id, **values(form)))
    if outcome.done:
        flash("Review recorded. The learner has been asked to confirm it.")
        return redirect(url_for("preceptor.enrolment", enrolment_id=enrolment_id))
    back = url_for("preceptor.enrolment", enrolment_id=enrolment_id)
    return render_form(
        "form_page.html",
        form,
        outcome.errors,
        title="Record a review",
        caption=item.enrolment.learner.full_name,
        submit="Save review",
        back=back,
    )


@bp.route("/enrolments/<int(max=2147483647):enrolment_id>/confirmations/new", methods=["GET", "POST"])
@fresh_login_required(back=lambda enrolment_id: url_for("preceptor.enrolment", enrolment_id=enrolment_id))
def confirm(enrolment_id: int):
    """Confirmations a preceptor gives, such as the final sign-off that completes a preceptorship.

    The final sign-off is a signature, so it asks for a fresh sign-in as a competency sign-off does.
    """
    item = pages.enrolment_page(current_user, enrolment_id)
    form = ConfirmationForm()
    form.name.choices = [(k, v) for k, v in item.definition.confirmations.items() if k not in records.LEAD_ONLY]
    outcome = submit(form, lambda: records.record_confirmation(current_user, enrolment_id, **values(form)))
    if outcome.done:
        flash("Confirmation recorded")
        return redirect(url_for("preceptor.enrolment", enrolment_id=enrolment_id))
    back = url_for("preceptor.enrolment", enrolment_id=enrolment_id)
    return render_form(
        "form_page.html",
        form,
        outcome.errors,
        title="Record a confirmation",
        caption=item.enrolment.learner.full_name,
        submit="Save",
        back=back,
    )
