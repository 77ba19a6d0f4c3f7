"""An organisation's sites (hospitals, health centres), added and renamed by its administrators."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.models import Site, User
from app.services import audit
from app.services.errors import NotFound, PermissionDenied, ValidationFailed
from app.services.unit_of_work import command
from app.services.values import Problems, check_text


def require_admin(actor: User) -> None:
    if actor.role != "admin":
        raise PermissionDenied("Only an administrator can manage sites")


def listing(actor: User) -> list[Site]:
    query = select(Site).where(Site.organisation_id == actor.organisation_id).order_by(Site.name)
    return list(db.session.scalars(query))


def _name(actor: User, name: object, site_id: int | None = None) -> str:
    problems: Problems = {}
    text = check_text(problems, "name", name, max_length=200, single_line=True, required="Enter the site's name")
    taken = select(Site.id).where(
        Site.organisation_id == actor.organisation_id, func.lower(Site.name) == text.lower(), Site.id != (site_id or 0)
    )
    if not problems and db.session.scalar(taken) is not None:
        problems["name"] = "Your organisation already has a site with this name"
    if problems:
        raise ValidationFailed(problems)
    return text


@command("site.create")
def create(actor: User, name: object) -> Site:
    require_admin(actor)
    site = Site(organisation_id=actor.organisation_id, name=_name(actor, name))
    db.session.add(site)
    audit.record(actor, "site.created", site, organisation_id=actor.organisation_id, name=site.name)
    return site


@command("site.rename", target="site_id")
def rename(actor: User, site_id: int, name: object) -> Site:
    require_admin(actor)
    site = db.session.get(Site, site_id)
    if site is None or site.organisation_id != actor.organisation_id:
        raise NotFound("There is no such site")
    new_name = _name(actor, name, site.id)
    audit.record(actor, "site.renamed", site, organisation_id=actor.organisation_id, was=site.name, now=new_name)
    site.name = new_name
    return site
