"""Evidence files on a learner's record: attached, listed, opened and removed.

Every file is checked (``evidence_checks``) before anything is written, so a refused upload
stores nothing. Only people who may see the record can open a file; to anyone else it does not
exist (404), including another preceptor in the same organisation.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import BinaryIO

from flask import current_app
from sqlalchemy import Select, select

from app.extensions import db
from app.models import Enrolment, EvidenceFile, HoursEntry, Reflection, Review, SignOffEvent, User
from app.models.evidence import ATTACHABLE
from app.services import audit, signoffs
from app.services.enrolments import get_enrolment, locked_enrolment
from app.services.errors import NotFound, PermissionDenied, Unavailable, ValidationFailed
from app.services.evidence_checks import CheckedFile, FileRefused, check_file
from app.services.evidence_store import EvidenceStore, evidence_store, new_key
from app.services.permissions import can_view, is_preceptor_of, require_learner
from app.services.unit_of_work import command
from app.services.values import check_id

NO_SUCH_FILE = "There is no such file"


@dataclass(frozen=True)
class Upload:
    """A file as the web layer or the API received it: the name it came with and its bytes."""

    name: str
    data: bytes


def checked_uploads(uploads: Sequence[Upload]) -> list[CheckedFile]:
    """Every upload checked, or ``ValidationFailed`` naming the first refused (nothing is stored)."""
    config = current_app.config
    if len(uploads) > config["EVIDENCE_FILES_PER_REQUEST"]:
        raise ValidationFailed({"file": f"Upload at most {config['EVIDENCE_FILES_PER_REQUEST']} files at a time"})
    checked = []
    for upload in uploads:
        try:
            checked.append(
                check_file(
                    upload.name,
                    upload.data,
                    limit=config["EVIDENCE_MAX_BYTES"],
                    max_pixels=config["EVIDENCE_MAX_PIXELS"],
                )
            )
        except FileRefused as refused:
            label = f"{upload.name}: " if len(uploads) > 1 and upload.name else ""
            raise ValidationFailed({"file": f"{label}{refused}"}) from None
    return checked


def _require_target(actor: User, enrolment: Enrolment, attached_to: object, attached_id: object) -> tuple[str, int]:
    """The record the files go on: one of this enrolment's, that this person may add evidence to."""
    problems: dict[str, str] = {}
    if attached_to not in ATTACHABLE:
        problems["attached_to"] = f"Choose what the file is evidence for: {', '.join(ATTACHABLE)}"
    target_id = check_id(problems, "attached_id", attached_id, message="Choose the record the file is evidence for")
    if problems or target_id is None:
        raise ValidationFailed(problems or {"attached_id": "Choose the record the file is evidence for"})
    kind = str(attached_to)
    if kind == "review":
        if not (actor.id == enrolment.learner_id or is_preceptor_of(actor, enrolment)):
            raise PermissionDenied("Only the learner or their preceptor can add evidence to a review")
    else:
        require_learner(actor, enrolment)
    if not _target_open(kind, target_id, enrolment.id):
        raise ValidationFailed({"attached_id": f"There is no such {_TARGET_WORDS[kind]} on this record"})
    return kind, target_id


_TARGET_WORDS = {
    "hours": "hours entry",
    "signoff": "sign-off request still waiting",
    "review": "review",
    "reflection": "reflection",
}


def _target_open(kind: str, target_id: int, enrolment_id: int) -> bool:
    if kind == "hours":
        entry = db.session.get(HoursEntry, target_id)
        return entry is not None and entry.enrolment_id == enrolment_id and entry.removed_at is None
    if kind == "signoff":
        event = db.session.get(SignOffEvent, target_id)
        if event is None or event.enrolment_id != enrolment_id or event.action != "requested":
            return False
        latest = signoffs.latest_event(enrolment_id, event.competency_id)
        return latest is not None and latest.id == event.id
    if kind == "review":
        review = db.session.get(Review, target_id)
        return review is not None and review.enrolment_id == enrolment_id
    reflection = db.session.get(Reflection, target_id)
    return reflection is not None and reflection.enrolment_id == enrolment_id


def _discard_quietly(store: EvidenceStore, keys: list[str]) -> None:
    for key in keys:
        try:
            store.discard(key)
        except Unavailable:  # the store went down between writes: the bytes stay, with no record
            current_app.logger.error("Evidence file %s left in the store without a record", key)


def store_files(
    actor: User, enrolment: Enrolment, kind: str, target_id: int, files: Sequence[CheckedFile]
) -> list[EvidenceFile]:
    """Write checked files and their records in the caller's unit of work."""
    store, rows, written = evidence_store(), [], []
    for checked in files:
        row = EvidenceFile(
            enrolment_id=enrolment.id,
            attached_to=kind,
            attached_id=target_id,
            storage_key=new_key(),
            thumbnail_key=new_key() if checked.thumbnail else None,
            file_name=checked.file_name,
            content_type=checked.content_type,
            size_bytes=len(checked.data),
            sha256=hashlib.sha256(checked.data).hexdigest(),
            uploaded_by_id=actor.id,
        )
        try:
            store.put(row.storage_key, checked.data)
            written.append(row.storage_key)
            if checked.thumbnail and row.thumbnail_key:
                store.put(row.thumbnail_key, checked.thumbnail)
                written.append(row.thumbnail_key)
        except Unavailable:
            _discard_quietly(store, written)  # the records roll back; their bytes go too
            raise
        db.session.add(row)
        rows.append(row)
        audit.record(
            actor,
            "evidence.attached",
            row,
            enrolment_id=enrolment.id,
            attached_to=kind,
            attached_id=target_id,
            content_type=row.content_type,
            size_bytes=row.size_bytes,
            sha256=row.sha256,
        )
    return rows


@command("evidence.attach", target="enrolment_id")
def attach(
    actor: User, enrolment_id: int, *, attached_to: object, attached_id: object, uploads: Sequence[Upload]
) -> list[EvidenceFile]:
    """Attach files to one of the enrolment's records (an hours entry, a sign-off request, a review...)."""
    enrolment = locked_enrolment(actor, enrolment_id)
    kind, target_id = _require_target(actor, enrolment, attached_to, attached_id)
    if not uploads:
        raise ValidationFailed({"file": "Select a file to upload"})
    return store_files(actor, enrolment, kind, target_id, checked_uploads(uploads))


def visible(actor: User, evidence_id: int) -> EvidenceFile:
    evidence = db.session.get(EvidenceFile, evidence_id)
    enrolment = db.session.get(Enrolment, evidence.enrolment_id) if evidence else None
    if evidence is None or enrolment is None or evidence.removed_at is not None or not can_view(actor, enrolment):
        raise NotFound(NO_SUCH_FILE)
    return evidence


@dataclass(frozen=True)
class Opened:
    evidence: EvidenceFile
    stream: BinaryIO
    content_type: str


def open_file(actor: User, evidence_id: int, *, thumbnail: bool = False) -> Opened:
    """The file (or its thumbnail) for someone who may see the record; everyone else gets 'not found'."""
    evidence = visible(actor, evidence_id)
    if thumbnail:
        if evidence.thumbnail_key is None:
            raise NotFound("This file has no thumbnail")
        return Opened(evidence, evidence_store().open(evidence.thumbnail_key), "image/jpeg")
    return Opened(evidence, evidence_store().open(evidence.storage_key), evidence.content_type)


@command("evidence.remove", target="evidence_id")
def remove(actor: User, evidence_id: int) -> EvidenceFile:
    """Take a file off the record; the bytes and the row stay for the retention period."""
    evidence = visible(actor, evidence_id)
    enrolment = locked_enrolment(actor, evidence.enrolment_id)
    if evidence.uploaded_by_id != actor.id:
        raise PermissionDenied("Only the person who uploaded a file can remove it")
    evidence.removed_at, evidence.removed_by_id = datetime.now(UTC), actor.id
    audit.record(actor, "evidence.removed", evidence, enrolment_id=enrolment.id, file_name=evidence.file_name)
    return evidence


def for_records(enrolment_id: int, kind: str | None = None) -> dict[tuple[str, int], list[EvidenceFile]]:
    """The files still on an enrolment's records, by (record kind, record id), oldest first."""
    query = select(EvidenceFile).where(EvidenceFile.enrolment_id == enrolment_id, EvidenceFile.removed_at.is_(None))
    if kind is not None:
        query = query.where(EvidenceFile.attached_to == kind)
    found: dict[tuple[str, int], list[EvidenceFile]] = {}
    for row in db.session.scalars(query.order_by(EvidenceFile.id)):
        found.setdefault((row.attached_to, row.attached_id), []).append(row)
    return found


@command("signoff.request", target="enrolment_id")
def request_signoff(
    actor: User, enrolment_id: int, competency_key: object, *, text: object, uploads: Sequence[Upload] = ()
) -> SignOffEvent:
    """The learner asks for a sign-off with their evidence files, in one step: all of it is saved or none."""
    files = checked_uploads(uploads)
    event = signoffs.act(actor, enrolment_id, competency_key, "request", text=text)
    if files:
        db.session.flush()
        store_files(actor, locked_enrolment(actor, enrolment_id), "signoff", event.id, files)
    return event


def evidence_query(actor: User, enrolment_id: int) -> Select:
    """An enrolment's files, removed ones too (with when), oldest first: the API's list."""
    enrolment = get_enrolment(actor, enrolment_id)
    return select(EvidenceFile).where(EvidenceFile.enrolment_id == enrolment.id).order_by(EvidenceFile.id)
