"""Evidence files under an enrolment (multipart upload) and the files themselves."""

from __future__ import annotations

from flask import request, url_for
from marshmallow import Schema, fields

from app.api import bp
from app.api.auth import actor
from app.api.common import errors, page_dict
from app.api.records import ENROLMENT
from app.api.schemas import PageArgs, Text, UtcDateTime, page_of
from app.models.evidence import ATTACHABLE
from app.portfolio.files import send_evidence
from app.portfolio.uploads import received
from app.services import evidence, listings


class EvidenceSchema(Schema):
    id = fields.Integer(required=True)
    attached_to = fields.String(required=True, metadata={"enum": list(ATTACHABLE)})
    attached_id = fields.Integer(required=True)
    file_name = fields.String(required=True)
    content_type = fields.String(required=True, metadata={"description": "read from the content, not the name"})
    size_bytes = fields.Integer(required=True)
    sha256 = fields.String(required=True)
    uploaded_by_id = fields.Integer(required=True)
    created_at = UtcDateTime(required=True)
    removed_at = UtcDateTime(allow_none=True)
    url = fields.Method("_url", dump_only=True)

    def _url(self, row) -> str:
        return url_for("api.evidence_file", evidence_id=row.id)


class EvidenceFormSchema(Schema):
    attached_to = Text(required=True, choices=ATTACHABLE)
    attached_id = fields.Integer(required=True)


class EvidenceFilesSchema(Schema):
    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


@bp.get(f"{ENROLMENT}/evidence")
@bp.arguments(PageArgs, location="query")
@bp.response(200, page_of(EvidenceSchema, "EvidencePage"))
@errors(403, 404)
def list_evidence(args: dict, enrolment_id: int):
    """Evidence files on the enrolment's records, oldest first; a removed file shows when it was removed."""
    return page_dict(listings.paginate(evidence.evidence_query(actor(), enrolment_id), **args))


@bp.post(f"{ENROLMENT}/evidence")
@bp.arguments(EvidenceFormSchema, location="form")
@bp.arguments(EvidenceFilesSchema, location="files")
@bp.response(201, EvidenceSchema)
@errors(403, 404, 413, 422)
def upload_evidence(data: dict, _files: dict, enrolment_id: int):
    """Attach a file (PDF, JPEG, PNG, HEIC, DOCX, XLSX) to an hours entry, a sign-off request or a review."""
    rows = evidence.attach(actor(), enrolment_id, **data, uploads=received(request.files.getlist("file")))
    return rows[0]


@bp.get("/evidence/<int(max=2147483647):evidence_id>")
@bp.response(200, content_type="application/octet-stream", description="The file, as an attachment")
@errors(404)
def evidence_file(evidence_id: int):
    """The file itself, to those who may see the record; to anyone else it does not exist (404)."""
    return send_evidence(evidence.open_file(actor(), evidence_id))
