"""The footer's accessibility statement, privacy notice and contact page: an organisation's own text, or defaults.

The text is plain: paragraphs separated by a blank line, a line starting ``## `` is a heading, lines
starting ``- `` are a bulleted list (a paragraph's own first line may introduce it), and
``{organisation}`` and ``{years}`` (the retention period) are filled in. Signed-out visitors (the
sign-in page) read the organisation ``FOOTER_ORGANISATION`` names, else the only one, else the defaults.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import PAGE_KINDS, Organisation, OrganisationPage, User
from app.models.base import utcnow
from app.services import audit
from app.services.errors import NotFound, PermissionDenied, ValidationFailed
from app.services.footer_defaults import DEFAULTS
from app.services.retention import years_for
from app.services.unit_of_work import command
from app.services.values import check_text

TITLES = {"accessibility": "Accessibility statement", "privacy": "Privacy notice", "contact": "Contact us"}
MAX_LENGTH = 20_000


@dataclass(frozen=True)
class Block:
    heading: bool
    lines: list[str]
    items: list[str]  # a bulleted list after the lines


@dataclass(frozen=True)
class Page:
    kind: str
    title: str
    organisation: str
    blocks: list[Block]
    customised: bool


def visitor_organisation(actor: User | None) -> Organisation | None:
    """Whose pages a visitor reads: their own organisation's when signed in (``actor``)."""
    if actor is not None:
        return actor.organisation
    if slug := current_app.config.get("FOOTER_ORGANISATION"):
        return db.session.scalar(select(Organisation).where(Organisation.slug == slug))
    only = db.session.scalars(select(Organisation).limit(2)).all()
    return only[0] if len(only) == 1 else None


def stored_text(organisation_id: int, kind: str) -> str | None:
    return db.session.scalar(
        select(OrganisationPage.body).where(
            OrganisationPage.organisation_id == organisation_id, OrganisationPage.kind == kind
        )
    )


def source_text(organisation: Organisation | None, kind: str) -> str:
    """The text as the organisation wrote it (placeholders unfilled), or the default."""
    own = stored_text(organisation.id, kind) if organisation else None
    return own or DEFAULTS[kind]


def page(kind: str, organisation: Organisation | None) -> Page:
    if kind not in PAGE_KINDS:
        raise NotFound("There is no such page")
    name = organisation.name if organisation else "your NHS organisation"
    years = years_for(organisation.id) if organisation else int(current_app.config["RETENTION_YEARS"])
    text = source_text(organisation, kind).replace("{organisation}", name).replace("{years}", str(years))
    blocks = []
    for chunk in text.replace("\r\n", "\n").split("\n\n"):
        if lines := [line.strip() for line in chunk.strip().split("\n") if line.strip()]:
            if lines[0].startswith("## "):
                blocks.append(Block(True, [lines[0][3:].strip()], []))
                lines = lines[1:]
            items = [line[2:].strip() for line in lines if line.startswith("- ")]
            text_lines = [line for line in lines if not line.startswith("- ")]
            if text_lines or items:
                blocks.append(Block(False, text_lines, items))
    customised = organisation is not None and stored_text(organisation.id, kind) is not None
    return Page(kind, TITLES[kind], organisation.name if organisation else "Waymark", blocks, customised)


@command("organisation.pages_set")
def set_pages(actor: User, texts: Mapping[str, object]) -> list[str]:
    """An administrator saves their organisation's footer pages; an empty text goes back to the default.

    Returns the kinds that changed; the audit event names them and their new length.
    """
    if actor.role != "admin":
        raise PermissionDenied("Only an administrator can change the organisation's pages")
    problems: dict[str, str] = {}
    clean = {
        kind: check_text(problems, kind, texts.get(kind, ""), max_length=MAX_LENGTH)
        for kind in PAGE_KINDS
        if kind in texts
    }
    if problems:
        raise ValidationFailed(problems)
    changed = []
    for kind, text in clean.items():
        row = db.session.scalar(
            select(OrganisationPage).where(
                OrganisationPage.organisation_id == actor.organisation_id, OrganisationPage.kind == kind
            )
        )
        wanted = None if text in ("", DEFAULTS[kind].strip()) else text
        if (row.body if row else None) == wanted:
            continue
        if wanted is None:
            db.session.delete(row)
        elif row is None:
            db.session.add(OrganisationPage(organisation_id=actor.organisation_id, kind=kind, body=wanted,
                                            updated_by_id=actor.id))  # fmt: skip
        else:
            row.body, row.updated_by_id, row.updated_at = wanted, actor.id, utcnow()
        changed.append(kind)
    if changed:
        lengths = {kind: len(clean[kind]) for kind in changed}
        audit.record(actor, "organisation.pages_set", actor.organisation, changed=changed, lengths=lengths)
    return changed
