"""Organisations (trusts, faculties) and their sites."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import Organisation, Site, User
from app.services import audit
from app.services.errors import PermissionDenied, ValidationFailed
from app.services.unit_of_work import command
from app.services.values import check_text


@command("organisation.create")
def create_organisation(actor: User | None, *, slug: object, name: object, sites: list[str]) -> Organisation:
    """A new organisation with its sites; ``actor`` None is the system (the demo loader, the command line)."""
    if actor is not None and actor.role != "admin":
        raise PermissionDenied("Only an administrator can add an organisation")
    problems: dict[str, str] = {}
    slug_text = check_text(problems, "slug", slug, max_length=64, single_line=True, required="Enter a short name")
    name_text = check_text(problems, "name", name, max_length=200, single_line=True, required="Enter the name")
    site_names = [check_text(problems, "sites", site, max_length=200, single_line=True) for site in sites]
    if "slug" not in problems and db.session.scalar(select(Organisation.id).where(Organisation.slug == slug_text)):
        problems["slug"] = f"There is already an organisation called {slug_text}"
    if problems:
        raise ValidationFailed(problems)
    organisation = Organisation(slug=slug_text, name=name_text)
    db.session.add(organisation)
    db.session.flush()
    db.session.add_all(Site(organisation_id=organisation.id, name=site) for site in site_names if site)
    audit.record(actor, "organisation.created", organisation, organisation_id=organisation.id, sites=site_names)
    return organisation
