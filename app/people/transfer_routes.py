"""A learner's signed transfer file: a lead downloads it from the person's page; another organisation's
lead brings it in there, and a refused file is shown with the reason."""

from __future__ import annotations

import json
from datetime import date

from flask import Response, flash, redirect, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField

from app.access import fresh_login_required
from app.form_pages import render_form
from app.learner.forms import ConfirmForm
from app.people import bp
from app.services import transfers
from app.services.errors import Conflict, ValidationFailed

PERSON = "/users/<int(max=2147483647):person_id>"
MAX_FILE = 2_000_000  # a transfer file is a few kilobytes


class TransferFileForm(FlaskForm):
    file = FileField("Transfer file", description="The .json file the other organisation's lead downloaded for you")


def _file_bytes(form: TransferFileForm) -> bytes:
    upload = form.file.data
    if upload is None or not getattr(upload, "filename", ""):
        raise ValidationFailed({"file": "Select the transfer file"})
    data = upload.read(MAX_FILE + 1)
    if len(data) > MAX_FILE:
        raise ValidationFailed({"file": "A transfer file is a few kilobytes: this file is too large to be one"})
    return data


@bp.post(f"{PERSON}/transfer-file")
@fresh_login_required(back=lambda person_id: url_for("people.transfer", person_id=person_id))
def export_transfer(person_id: int):
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("people.transfer", person_id=person_id))
    try:
        document = transfers.export(current_user, person_id)
    except ValidationFailed as refused:
        flash(refused.fields["file"])
        return redirect(url_for("people.transfer", person_id=person_id))
    response = Response(json.dumps(document, ensure_ascii=False, indent=2), mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="{transfers.file_name(document)}"'
    return response


@bp.route(f"{PERSON}/transfer", methods=["GET", "POST"])
def transfer(person_id: int):
    person, completed, brought_in = transfers.transfer_record(current_user, person_id)
    form, errors, status = TransferFileForm(), {}, 200
    if form.validate_on_submit():
        try:
            rows = transfers.import_file(current_user, person_id, _file_bytes(form))
        except ValidationFailed as refused:
            errors, status = dict(refused.fields), 400
        except Conflict as conflict:  # the same file twice
            errors, status = {"file": conflict.message}, 409
        else:
            titles = ", ".join(f"{row.title} ({row.source_organisation})" for row in rows)
            flash(f"Brought in for {person.full_name}: {titles}")
            return redirect(url_for("people.transfer", person_id=person_id))
    context = {"person": person, "completed": completed, "brought_in": brought_in}
    return render_form("people/transfer.html", form, errors, **context)[0], status


@bp.app_template_filter("transfer_sign_offs")
def transfer_sign_offs(sign_offs: str) -> list[dict]:
    """The sign-offs an imported programme came with, as the sending organisation recorded them."""
    rows = json.loads(sign_offs)
    for row in rows:
        try:
            row["signed_on"] = date.fromisoformat(str(row.get("signed_on")))
        except ValueError:
            pass  # shown as it was sent
    return rows
