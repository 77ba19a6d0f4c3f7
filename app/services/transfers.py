"""A learner's completed programmes and sign-offs, carried to another Waymark organisation in a signed file.

The sending organisation signs with its own key (``pathways.transfer_file``); the receiving one
checks the signature with the sender's key, so a file changed on the way, signed with another
key, or from an organisation this Waymark does not know is refused with the reason.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.models import Enrolment, ImportedProgramme, Organisation, OrganisationKey, User
from app.services import audit
from app.services.certificates import completed_on
from app.services.errors import Conflict, NotFound, ValidationFailed
from app.services.facts import latest_sign_offs
from app.services.permissions import require_lead
from app.services.unit_of_work import command
from pathways.transfer_file import ALGORITHM, FORMAT, VERSION, sign, signature_matches

REFUSED = "file"


def _key(organisation_id: int) -> OrganisationKey:
    key = db.session.scalar(select(OrganisationKey).where(OrganisationKey.organisation_id == organisation_id))
    if key is None:
        key = OrganisationKey(
            organisation_id=organisation_id, key_id=secrets.token_hex(8), secret=secrets.token_hex(32)
        )
        db.session.add(key)
        db.session.flush()
    return key


@command("transfer.export", target="learner_id")
def export(actor: User, learner_id: int) -> dict[str, Any]:
    """The signed transfer file of a learner's completed programmes, made by a lead of their organisation."""
    require_lead(actor, actor.organisation_id)
    learner = db.session.get(User, learner_id)
    if learner is None or learner.organisation_id != actor.organisation_id:
        raise NotFound("There is no such person in your organisation")
    organisation = db.session.get(Organisation, actor.organisation_id)
    assert organisation is not None
    done = db.session.scalars(
        select(Enrolment).where(Enrolment.learner_id == learner.id, Enrolment.state == "completed")
    ).all()
    if not done:
        raise _refuse(f"{learner.full_name} has no completed programme to transfer")
    states = latest_sign_offs([e.id for e in done])
    programmes = []
    for enrolment in done:
        finished = completed_on(enrolment.id)
        programmes.append(
            {
                "pathway": enrolment.pathway_key,
                "version": enrolment.pathway_version.version,
                "title": enrolment.pathway_version.title,
                "started_on": enrolment.start_date.isoformat(),
                "completed_on": finished.isoformat() if finished else None,
                "sign_offs": [
                    {
                        "competency": key,
                        "title": s.title,
                        "signed_on": s.at.date().isoformat(),
                        "signed_by": s.actor_name,
                    }
                    for (eid, key), s in sorted(states.items())
                    if eid == enrolment.id and s.action == "signed"
                ],
            }
        )
    key = _key(organisation.id)
    body = {
        "format": FORMAT,
        "version": VERSION,
        "issuer": {"organisation": organisation.slug, "name": organisation.name},
        "issued_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "person": {"name": learner.full_name, "email": learner.email, "employee_number": learner.employee_number},
        "programmes": programmes,
    }
    audit.record(actor, "transfer.exported", learner, programmes=len(programmes))
    return sign(body, key.key_id, bytes.fromhex(key.secret))


def _refuse(reason: str) -> ValidationFailed:
    return ValidationFailed({REFUSED: reason})


def _checked(document: object) -> tuple[dict[str, Any], Organisation]:
    """The file, once its shape, its issuer and its signature are right; otherwise the reason it is refused."""
    if not isinstance(document, dict) or document.get("format") != FORMAT or document.get("version") != VERSION:
        raise _refuse("This is not a Waymark transfer file (version 1)")
    signature = document.get("signature")
    if not isinstance(signature, dict) or signature.get("alg") != ALGORITHM:
        raise _refuse("The transfer file is not signed")
    named = document.get("issuer")
    issuer: dict[str, Any] = named if isinstance(named, dict) else {}
    slug = str(issuer.get("organisation", ""))[:64]
    organisation = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
    key = (
        db.session.scalar(select(OrganisationKey).where(OrganisationKey.organisation_id == organisation.id))
        if organisation
        else None
    )
    if organisation is None or key is None:
        raise _refuse(f"The file comes from an organisation this Waymark does not know ({slug or 'none named'})")
    if signature.get("key_id") != key.key_id:
        raise _refuse(f"The file was not signed with {organisation.name}'s key")
    if not signature_matches(document, bytes.fromhex(key.secret)):
        raise _refuse("The file has been changed since it was signed, so it cannot be trusted")
    return document, organisation


@command("transfer.import", target="learner_id")
def import_file(actor: User, learner_id: int, data: bytes) -> list[ImportedProgramme]:
    """A lead brings a person's completed programmes in from another organisation's signed file."""
    require_lead(actor, actor.organisation_id)
    learner = db.session.get(User, learner_id)
    if learner is None or learner.organisation_id != actor.organisation_id:
        raise NotFound("There is no such person in your organisation")
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise _refuse("The transfer file is not JSON") from None
    body, source = _checked(document)
    if source.id == actor.organisation_id:
        raise _refuse("The file comes from your own organisation")
    digest = hashlib.sha256(data).hexdigest()
    rows = []
    for programme in body.get("programmes") or []:
        finished = date.fromisoformat(programme["completed_on"]) if programme.get("completed_on") else None
        if finished is None:
            continue
        rows.append(
            ImportedProgramme(
                organisation_id=actor.organisation_id,
                learner_id=learner.id,
                source_organisation=source.name,
                pathway_key=str(programme["pathway"])[:80],
                title=str(programme["title"])[:300],
                completed_on=finished,
                sign_offs=json.dumps(programme.get("sign_offs", []), ensure_ascii=False),
                file_sha256=digest,
                imported_by_id=actor.id,
            )
        )
    if not rows:
        raise _refuse("The file holds no completed programme")
    if db.session.scalar(
        select(ImportedProgramme.id).where(
            ImportedProgramme.learner_id == learner.id, ImportedProgramme.file_sha256 == digest
        )
    ):
        raise Conflict("This transfer file has already been imported for this person")
    db.session.add_all(rows)
    audit.record(actor, "transfer.imported", learner, source=source.slug, programmes=len(rows), sha256=digest)
    return rows


def transfer_record(actor: User, learner_id: int) -> tuple[User, int, list[ImportedProgramme]]:
    """For the person's page: the person, how many programmes they completed here, and those brought in."""
    require_lead(actor, actor.organisation_id)
    learner = db.session.get(User, learner_id)
    if learner is None or learner.organisation_id != actor.organisation_id:
        raise NotFound("There is no such person in your organisation")
    completed = len(
        db.session.scalars(
            select(Enrolment.id).where(Enrolment.learner_id == learner.id, Enrolment.state == "completed")
        ).all()
    )
    brought_in = db.session.scalars(
        select(ImportedProgramme)
        .where(ImportedProgramme.learner_id == learner.id, ImportedProgramme.organisation_id == actor.organisation_id)
        .order_by(ImportedProgramme.completed_on, ImportedProgramme.id)
    ).all()
    return learner, completed, list(brought_in)


def file_name(document: dict[str, Any]) -> str:
    """``transfer-northgate-jordan-smith-2026-12-02.json``: who, from where, when (letters and digits only)."""
    words = [document["issuer"]["organisation"], document["person"]["name"], document["issued_at"][:10]]
    slug = "-".join("".join(c if c.isascii() and c.isalnum() else "-" for c in str(w).lower()) for w in words)
    return f"transfer-{'-'.join(part for part in slug.split('-') if part)}.json"
