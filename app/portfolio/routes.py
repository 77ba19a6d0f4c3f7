from __future__ import annotations

from flask import current_app, flash, redirect, url_for
from flask_login import current_user

from app.access import fresh_login_required
from app.form_pages import render_form, submit, values
from app.learner.forms import ConfirmForm
from app.portfolio import bp
from app.portfolio.files import send_evidence
from app.portfolio.forms import EvidenceForm, SignatureForm, SigningLinkForm
from app.portfolio.signing_mail import send_signing_email
from app.portfolio.uploads import file_hint, received
from app.services import evidence, evidence_pages, pages, review_pages, review_signatures, signing_links

EVIDENCE = "/evidence/<int(max=2147483647):evidence_id>"


@bp.get(EVIDENCE)
def evidence_file(evidence_id: int):
    return send_evidence(evidence.open_file(current_user, evidence_id))


@bp.get(f"{EVIDENCE}/thumbnail")
def evidence_thumbnail(evidence_id: int):
    return send_evidence(evidence.open_file(current_user, evidence_id, thumbnail=True), inline=True)


@bp.post(f"{EVIDENCE}/remove")
def remove_evidence(evidence_id: int):
    enrolment_id = evidence.visible(current_user, evidence_id).enrolment_id
    if ConfirmForm().validate_on_submit():
        removed = evidence.remove(current_user, evidence_id)
        flash(f"{removed.file_name} has been removed from your record")
    return redirect(url_for("portfolio.learner_evidence", enrolment_id=enrolment_id))


@bp.route("/learner/enrolments/<int(max=2147483647):enrolment_id>/evidence", methods=["GET", "POST"])
def learner_evidence(enrolment_id: int):
    item = pages.enrolment_page(current_user, enrolment_id)
    form = EvidenceForm()
    form.record.choices = evidence_pages.attachable(item)
    form.files.description = file_hint()
    kind, _, target = (form.record.data or "").partition(":")
    outcome = submit(
        form,
        lambda: evidence.attach(
            current_user, enrolment_id, attached_to=kind, attached_id=target, uploads=received(form.files.data)
        ),
    )
    if outcome.done:
        flash(f"Uploaded: {', '.join(f.file_name for f in outcome.result)}")
        return redirect(url_for("portfolio.learner_evidence", enrolment_id=enrolment_id))
    rows = evidence_pages.evidence_rows(item)
    return render_form("portfolio/learner_evidence.html", form, outcome.errors, item=item, rows=rows)


REVIEW = "/reviews/<int(max=2147483647):review_id>"


def _review(review_id: int, errors: dict | None = None, sign_form=None, link_form=None):
    page = review_pages.review_page(current_user, review_id)
    sign_form = sign_form or SignatureForm(formdata=None)
    link_form = link_form or SigningLinkForm(formdata=None)
    return render_form(
        "portfolio/review.html",
        sign_form,
        errors,
        page=page,
        sign_form=sign_form,
        link_form=link_form,
        link_days=current_app.config["REVIEW_LINK_DAYS"],
    )


@bp.get(REVIEW)
def review(review_id: int):
    return _review(review_id)


@bp.post(f"{REVIEW}/sign")
@fresh_login_required(back=lambda review_id: url_for("portfolio.review", review_id=review_id))
def sign_review(review_id: int):
    form = SignatureForm()
    outcome = submit(form, lambda: review_signatures.sign(current_user, review_id, **values(form)))
    if outcome.done:
        flash("Your decision on the review is recorded")
        return redirect(url_for("portfolio.review", review_id=review_id))
    return _review(review_id, outcome.errors, sign_form=form)


@bp.post(f"{REVIEW}/link")
def send_signing_link(review_id: int):
    form = SigningLinkForm()
    outcome = submit(form, lambda: signing_links.issue(current_user, review_id, email=form.email.data))
    if not outcome.done:
        return _review(review_id, outcome.errors, link_form=form)
    page = review_pages.review_page(current_user, review_id)
    problem = send_signing_email(outcome.result, page.enrolment.learner.full_name, page.programme)
    if problem:
        flash(f"The email could not be sent ({problem}). Send the link again in a few minutes")
    else:
        flash(f"A signing link has been sent to {outcome.result.link.email}")
    return redirect(url_for("portfolio.review", review_id=review_id))
