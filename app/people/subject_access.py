"""/admin/users/ID/subject-access.zip: everything held about one person, as JSON and their portfolio PDFs."""

from __future__ import annotations

import io
import zipfile

from flask import Response
from flask_login import current_user

from app.access import fresh_login_required
from app.people import bp
from app.portfolio.pdf import portfolio_document
from app.services import subject_access


@bp.get("/users/<int(max=2147483647):person_id>/subject-access.zip")
@fresh_login_required()
def subject_access_export(person_id: int):
    """A zip of ``record.json`` and ``portfolio-ENROLMENT.pdf`` for each enrolment; kept by no cache."""
    found = subject_access.export(current_user, person_id)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("record.json", found.json_bytes())
        for enrolment_id in found.enrolment_ids:
            archive.writestr(f"portfolio-{enrolment_id}.pdf", portfolio_document(current_user, enrolment_id))
    response = Response(buffer.getvalue(), mimetype="application/zip")
    response.headers["Content-Disposition"] = f'attachment; filename="subject-access-{person_id}.zip"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
