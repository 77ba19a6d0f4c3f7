"""The programme definitions, loaded once, and their pinned copies in the database."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.models import Competency, PathwayVersion, ProgrammeSettings
from app.services.errors import NotFound, ValidationFailed
from pathways import Catalogue, Definition, SettingsError, load_catalogue
from pathways.loader import DEFINITIONS_DIR


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    return load_catalogue()


def definition_for(version: PathwayVersion) -> Definition:
    return catalogue().get(version.key, version.version)


def latest_definition(key: str) -> Definition:
    try:
        return catalogue().latest(key)
    except KeyError:
        raise NotFound(f"There is no programme called '{key}'") from None


def pathway_version(definition: Definition) -> PathwayVersion:
    """The database row pinning this definition, created with its competencies the first time."""
    row = db.session.scalar(
        select(PathwayVersion).where(PathwayVersion.key == definition.key, PathwayVersion.version == definition.version)
    )
    if row is not None:
        return row
    source = (DEFINITIONS_DIR / definition.source).read_text(encoding="utf-8")
    row = PathwayVersion(
        key=definition.key,
        version=definition.version,
        title=definition.title,
        source=source,
        checksum=hashlib.sha256(source.encode()).hexdigest(),
    )
    db.session.add(row)
    for position, competency in enumerate(definition.all_competencies()):
        row.competencies.append(
            Competency(key=competency.key, title=competency.title, group=competency.group, position=position)
        )
    db.session.flush()
    return row


def organisation_settings(organisation_id: int, definition: Definition) -> dict[str, Any]:
    """The programme's settings with the organisation's local choices applied."""
    row = db.session.scalar(
        select(ProgrammeSettings).where(
            ProgrammeSettings.organisation_id == organisation_id,
            ProgrammeSettings.pathway_key == definition.key,
        )
    )
    return definition.resolve_settings(row.values if row else {})


def settings_by_org_and_key(organisation_ids: set[int]) -> dict[tuple[int, str], dict[str, Any]]:
    rows = db.session.scalars(select(ProgrammeSettings).where(ProgrammeSettings.organisation_id.in_(organisation_ids)))
    return {(row.organisation_id, row.pathway_key): row.values for row in rows}


def save_organisation_settings(organisation_id: int, definition: Definition, values: dict[str, Any]) -> dict:
    """Validate and store local defaults; the caller commits."""
    try:
        resolved = definition.resolve_settings(values)
    except SettingsError as error:
        raise ValidationFailed({"settings": str(error)}, str(error)) from None
    row = db.session.scalar(
        select(ProgrammeSettings).where(
            ProgrammeSettings.organisation_id == organisation_id,
            ProgrammeSettings.pathway_key == definition.key,
        )
    )
    if row is None:
        row = ProgrammeSettings(organisation_id=organisation_id, pathway_key=definition.key)
        db.session.add(row)
    row.settings_json = json.dumps(values, sort_keys=True)
    return resolved
