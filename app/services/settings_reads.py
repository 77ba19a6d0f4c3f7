"""Programme settings in force: an organisation's on a date, and each enrolment's (the ones it started under).

Every reader of settings comes here (the engine's facts read each enrolment's with their other rows,
in ``fact_rows``, through the same ``enrolment_settings_version``): the caseload limit, the reports (through
``enrolment_settings_version``), the pages, the API and the command line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Date, Integer, Select, bindparam, func, select
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models import Enrolment, EnrolmentSettings, Organisation, SettingsVersion, User
from app.models.settings import enrolment_settings_version, version_in_force
from app.services.catalogue import catalogue, latest_definition
from app.services.clock import LONDON, today
from app.services.errors import PermissionDenied
from pathways import Definition
from pathways.effective_settings import setting_text, settings_of


def require_admin(actor: User | None, organisation_id: int) -> None:
    """Administrators of the organisation see and change its settings; ``None`` is the command line."""
    if actor is not None and not (actor.role == "admin" and actor.organisation_id == organisation_id):
        raise PermissionDenied("Only an administrator of this organisation can see and change programme settings")


def versions(organisation_id: int, pathway_key: str) -> list[SettingsVersion]:
    """The programme's settings history, in the order it takes effect."""
    return list(
        db.session.scalars(
            select(SettingsVersion)
            .where(SettingsVersion.organisation_id == organisation_id, SettingsVersion.pathway_key == pathway_key)
            .order_by(SettingsVersion.effective_from, SettingsVersion.id)
        )
    )


def in_force(organisation_id: int, pathway_key: str, on: date) -> SettingsVersion | None:
    """The version in force on ``on``; None before any (the programme's defaults)."""
    version_id = db.session.scalar(select(version_in_force(organisation_id, pathway_key, on)))
    return db.session.get(SettingsVersion, version_id) if version_id is not None else None


def choices_of(version: SettingsVersion | None) -> dict[str, Any]:
    return version.choices if version is not None else {}


def organisation_settings(organisation_id: int, definition: Definition, on: date | None = None) -> dict[str, Any]:
    """The programme's settings in force for the organisation on ``on`` (today by default)."""
    return settings_of(definition, choices_of(in_force(organisation_id, definition.key, on or today())))


def enrolment_versions(where: ColumnElement[bool]) -> dict[int, int | None]:
    """The settings version each enrolment matching ``where`` follows (None: the defaults)."""
    rows = db.session.execute(select(Enrolment.id, enrolment_settings_version()).where(where))
    return {enrolment_id: version_id for enrolment_id, version_id in rows}


def settings_date(organisation: Organisation, pathway_key: str, version: SettingsVersion | None) -> date:
    """Since when these settings hold: the version's date; for the defaults, the organisation's first day
    or, if earlier, the first start on the programme (learners imported with their history)."""
    if version is not None:
        return version.effective_from
    first_start = db.session.scalar(
        select(func.min(Enrolment.start_date)).where(
            Enrolment.organisation_id == organisation.id, Enrolment.pathway_key == pathway_key
        )
    )
    return _since(organisation, version, first_start)


def _since(organisation: Organisation, version: SettingsVersion | None, first_start: date | None) -> date:
    if version is not None:
        return version.effective_from
    first_day = organisation.created_at.astimezone(LONDON).date()
    return min(first_day, first_start) if first_start is not None else first_day


@dataclass(frozen=True)
class SettingValue:
    key: str
    title: str
    text: str


def setting_values(definition: Definition, choices: dict[str, Any]) -> list[SettingValue]:
    """Every setting of the definition with the value these choices give it, in the definition's order."""
    resolved = settings_of(definition, choices)
    return [SettingValue(k, spec.title, setting_text(spec, resolved[k])) for k, spec in definition.settings.items()]


@dataclass(frozen=True)
class EnrolmentSettingsView:
    """What an enrolment's record shows: the settings it follows, since when, whether they are current, moves."""

    effective_from: date
    values: list[SettingValue]
    is_current: bool
    moves: list[EnrolmentSettings]


@cache
def _enrolment_settings_statement() -> Select:
    """The version an enrolment follows, the one in force on a day and the programme's first start in the
    organisation, in one read (built once: building it costs more than the database takes to answer it)."""
    others = aliased(Enrolment)
    first_start = (
        select(func.min(others.start_date))
        .where(others.organisation_id == Enrolment.organisation_id, others.pathway_key == Enrolment.pathway_key)
        .scalar_subquery()
    )
    on = bindparam("on", type_=Date)
    return select(
        enrolment_settings_version(),
        version_in_force(Enrolment.organisation_id, Enrolment.pathway_key, on),
        first_start,
    ).where(Enrolment.id == bindparam("enrolment_id", type_=Integer))


def enrolment_settings_view(enrolment: Enrolment, definition: Definition) -> EnrolmentSettingsView:
    version_id, current_id, first = db.session.execute(
        _enrolment_settings_statement(), {"enrolment_id": enrolment.id, "on": today()}
    ).one()
    wanted: set[int] = {i for i in (version_id, current_id) if i is not None}
    found = (
        {v.id: v for v in db.session.scalars(select(SettingsVersion).where(SettingsVersion.id.in_(wanted)))}
        if wanted
        else {}
    )
    version, current = found.get(version_id), found.get(current_id)
    moves = db.session.scalars(
        select(EnrolmentSettings)
        .where(EnrolmentSettings.enrolment_id == enrolment.id, EnrolmentSettings.moved.is_(True))
        .order_by(EnrolmentSettings.id)
    )
    organisation = db.session.get_one(Organisation, enrolment.organisation_id)
    return EnrolmentSettingsView(
        effective_from=_since(organisation, version, first),
        values=setting_values(definition, choices_of(version)),
        is_current=settings_of(definition, choices_of(version)) == settings_of(definition, choices_of(current)),
        moves=list(moves),
    )


def settings_lines(organisation: Organisation, pathway_key: str | None, on: date) -> list[str]:
    """``pathway: name = value (from DATE)`` for each setting in force on ``on`` (docs/CONTRACT.md)."""
    keys = [pathway_key] if pathway_key else sorted({d.key for d in catalogue()})
    lines = []
    for key in keys:
        definition = latest_definition(key)
        version = in_force(organisation.id, key, on)
        since = settings_date(organisation, key, version).isoformat()
        for value in setting_values(definition, choices_of(version)):
            lines.append(f"{key}: {value.key} = {value.text} (from {since})")
    return lines


@dataclass(frozen=True)
class ProgrammeSettingsView:
    """One programme's settings for an administrator: what is in force on a date, and the whole history."""

    definition: Definition
    on: date
    effective_from: date
    values: dict[str, Any]
    versions: list[SettingsVersion]

    def values_of(self, version: SettingsVersion) -> list[SettingValue]:
        """A version's settings as words, for its line in the history."""
        return setting_values(self.definition, version.choices)

    @property
    def in_force_values(self) -> list[SettingValue]:
        return setting_values(self.definition, self.values)


def programme_settings(actor: User, pathway_key: str, on: date | None = None) -> ProgrammeSettingsView:
    require_admin(actor, actor.organisation_id)
    definition = latest_definition(pathway_key)
    day = on or today()
    version = in_force(actor.organisation_id, definition.key, day)
    return ProgrammeSettingsView(
        definition=definition,
        on=day,
        effective_from=settings_date(actor.organisation, definition.key, version),
        values=settings_of(definition, choices_of(version)),
        versions=versions(actor.organisation_id, definition.key),
    )


def every_programme_settings(actor: User) -> list[ProgrammeSettingsView]:
    """Each programme's settings in force today, by title."""
    require_admin(actor, actor.organisation_id)
    views = [programme_settings(actor, key) for key in {d.key for d in catalogue()}]
    return sorted(views, key=lambda view: view.definition.title)
