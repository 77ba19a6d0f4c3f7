from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user

from app.form_pages import render_form, submit
from app.learner.forms import ConfirmForm
from app.portfolio import bp
from app.portfolio.files import send_evidence
from app.portfolio.forms import EvidenceForm
from app.portfolio.uploads import file_hint, received
from app.services import evidence, evidence_pages, pages

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
