"""Read-only views of the evidence on a record: what each file is evidence for, and what files can go on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from app.extensions import db
from app.models import Competency, EvidenceFile, HoursEntry, Reflection, Review, SignOffEvent
from app.services.evidence import for_records
from app.services.facts import Assessed, latest_sign_offs
from pathways import format_date

_KIND_WORDS = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG", "image/heic": "HEIC"}


def kind_in_words(content_type: str) -> str:
    if content_type in _KIND_WORDS:
        return _KIND_WORDS[content_type]
    return "Word document" if "wordprocessing" in content_type else "Excel workbook"


def size_label(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{max(size // 1000, 1)} KB"


@dataclass(frozen=True)
class EvidenceRow:
    file: EvidenceFile
    record: str

    @property
    def description(self) -> str:
        return f"{kind_in_words(self.file.content_type)}, {size_label(self.file.size_bytes)}"


def _signoff_titles(event_ids: set[int]) -> dict[int, str]:
    if not event_ids:
        return {}
    rows = db.session.execute(
        select(SignOffEvent.id, Competency.title)
        .join(Competency, Competency.id == SignOffEvent.competency_id)
        .where(SignOffEvent.id.in_(event_ids))
    )
    return {event_id: f"Sign-off request: {title}" for event_id, title in rows}


def evidence_rows(assessed: Assessed) -> list[EvidenceRow]:
    """Every file still on the record, newest first, each with the record it is evidence for."""
    files = [f for group in for_records(assessed.enrolment.id).values() for f in group]
    signoff_titles = _signoff_titles({f.attached_id for f in files if f.attached_to == "signoff"})
    hours = {e.id: e for e in _rows(HoursEntry, {f.attached_id for f in files if f.attached_to == "hours"})}
    reviews = {r.id: r for r in _rows(Review, {f.attached_id for f in files if f.attached_to == "review"})}
    reflections = {r.id: r for r in _rows(Reflection, {f.attached_id for f in files if f.attached_to == "reflection"})}

    def record(file: EvidenceFile) -> str:
        if file.attached_to == "signoff":
            return signoff_titles.get(file.attached_id, "Sign-off request")
        if file.attached_to == "hours" and file.attached_id in hours:
            entry = hours[file.attached_id]
            return f"Hours on {format_date(entry.worked_on)}: {entry.activity_type.replace('_', ' ')}"
        if file.attached_to == "review" and file.attached_id in reviews:
            return f"Review held on {format_date(reviews[file.attached_id].held_on)}"
        if file.attached_to == "reflection" and file.attached_id in reflections:
            return f"Reflection of {format_date(reflections[file.attached_id].written_on)}"
        return file.attached_to.capitalize()

    return [EvidenceRow(f, record(f)) for f in sorted(files, key=lambda f: f.id, reverse=True)]


def _rows(model: type[HoursEntry] | type[Review] | type[Reflection], ids: set[int]) -> list:
    return list(db.session.scalars(select(model).where(model.id.in_(ids)))) if ids else []


def attachable(assessed: Assessed) -> list[tuple[str, str]]:
    """(``kind:id``, words) for the records a learner can add files to: waiting requests, hours, reviews."""
    enrolment = assessed.enrolment
    choices: list[tuple[str, str]] = []
    choices += [(f"signoff:{event_id}", words) for event_id, words in waiting_requests(assessed)]
    entries = db.session.scalars(
        select(HoursEntry)
        .where(HoursEntry.enrolment_id == enrolment.id, HoursEntry.removed_at.is_(None))
        .order_by(HoursEntry.worked_on.desc())
        .limit(30)
    )
    choices += [(f"hours:{e.id}", f"Hours on {format_date(e.worked_on)}: {e.learning[:60]}") for e in entries]
    reviews = db.session.scalars(
        select(Review).where(Review.enrolment_id == enrolment.id, Review.standing()).order_by(Review.held_on.desc())
    )
    choices += [(f"review:{r.id}", f"Review held on {format_date(r.held_on)}") for r in reviews]
    written = db.session.scalars(
        select(Reflection).where(Reflection.enrolment_id == enrolment.id).order_by(Reflection.written_on.desc())
    )
    choices += [(f"reflection:{r.id}", f"Reflection of {format_date(r.written_on)}") for r in written]
    return choices


def waiting_requests(assessed: Assessed) -> list[tuple[int, str]]:
    """(request event id, words) for each of the learner's sign-off requests still waiting."""
    enrolment_id = assessed.enrolment.id
    waiting = {key: s for (_, key), s in latest_sign_offs([enrolment_id]).items() if s.action == "requested"}
    ids = _request_ids(enrolment_id) if waiting else {}
    return [(ids[key], f"Sign-off request: {s.title}") for key, s in waiting.items() if key in ids]


def _request_ids(enrolment_id: int) -> dict[str, int]:
    """Each competency's latest request event id, by competency key."""
    latest: dict[str, int] = {}
    for key, event_id in db.session.execute(
        select(Competency.key, SignOffEvent.id)
        .join(Competency, Competency.id == SignOffEvent.competency_id)
        .where(SignOffEvent.enrolment_id == enrolment_id, SignOffEvent.action == "requested")
        .order_by(SignOffEvent.id)
    ):
        latest[key] = event_id
    return latest


def competency_files(assessed: Assessed, key: str) -> list[EvidenceRow]:
    """Files on this competency's sign-off requests, newest first (what the assessor opens)."""
    rows = db.session.execute(
        select(EvidenceFile, Competency.title)
        .join(SignOffEvent, SignOffEvent.id == EvidenceFile.attached_id)
        .join(Competency, Competency.id == SignOffEvent.competency_id)
        .where(
            EvidenceFile.enrolment_id == assessed.enrolment.id,
            EvidenceFile.attached_to == "signoff",
            EvidenceFile.removed_at.is_(None),
            Competency.key == key,
        )
        .order_by(EvidenceFile.id.desc())
    )
    return [EvidenceRow(file, f"Sign-off request: {title}") for file, title in rows]


WITH_THE_REQUEST = timedelta(minutes=1)


@dataclass(frozen=True)
class QueueEvidence:
    files: int
    newest: datetime
    arrived_later: bool  # some came after the request itself (not with it), so the assessor looks again


def queue_evidence(enrolment_ids: list[int]) -> dict[tuple[int, str], QueueEvidence]:
    """Per (enrolment, competency key): the files on its latest request and when the newest arrived."""
    if not enrolment_ids:
        return {}
    rows = db.session.execute(
        select(
            EvidenceFile.enrolment_id, Competency.key, SignOffEvent.id, EvidenceFile.created_at, SignOffEvent.created_at
        )
        .join(SignOffEvent, SignOffEvent.id == EvidenceFile.attached_id)
        .join(Competency, Competency.id == SignOffEvent.competency_id)
        .where(
            EvidenceFile.enrolment_id.in_(enrolment_ids),
            EvidenceFile.attached_to == "signoff",
            EvidenceFile.removed_at.is_(None),
        )
    ).all()
    latest: dict[tuple[int, str], int] = {}
    for enrolment_id, key, event_id, _, _ in rows:
        latest[(enrolment_id, key)] = max(event_id, latest.get((enrolment_id, key), 0))
    found: dict[tuple[int, str], QueueEvidence] = {}
    for enrolment_id, key, event_id, created_at, requested_at in rows:
        if event_id != latest[(enrolment_id, key)]:
            continue
        seen = found.get((enrolment_id, key))
        found[(enrolment_id, key)] = QueueEvidence(
            (seen.files if seen else 0) + 1,
            max(created_at, seen.newest) if seen else created_at,
            (seen.arrived_later if seen else False) or created_at - requested_at > WITH_THE_REQUEST,
        )
    return found
