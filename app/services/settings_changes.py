"""Changing programme settings from a date, and moving one enrolment to the current settings.

Enrolments already started keep the settings they started under: before a new version is stored,
each started enrolment that has no settings recorded yet is given the version it follows now. An
enrolment that starts on or after the new date follows the new settings.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.models import Enrolment, EnrolmentSettings, Organisation, SettingsVersion, User
from app.models.settings import enrolment_settings_version
from app.services import audit
from app.services.catalogue import catalogue, definition_for, latest_definition
from app.services.clock import today
from app.services.enrolments import locked_enrolment
from app.services.errors import NotFound, StateConflict, ValidationFailed
from app.services.permissions import require_lead
from app.services.settings_reads import choices_of, in_force, require_admin, settings_date
from app.services.unit_of_work import command
from app.services.values import check_date, check_text
from pathways import Definition, SettingsError
from pathways.effective_settings import declared_choices, setting_problems, settings_of, value_from_text

KEPT_REASON = "Started before the settings changed"


def _typed(definition: Definition, given: Mapping[str, object], as_text: bool, problems: dict[str, str]) -> dict:
    """The values as their settings' types: text from a form or the command line is read, JSON kept as sent."""
    if not as_text:
        return dict(given)
    typed = {}
    for name, value in given.items():
        spec = definition.settings.get(name)
        if spec is None or not isinstance(value, str):
            typed[name] = value  # setting_problems names the unknown setting
            continue
        try:
            typed[name] = value_from_text(spec, value)
        except SettingsError as error:
            problems[name] = str(error)
    return typed


def _problems_in_any_version(key: str, choices: dict) -> dict[str, str]:
    """The choices checked by every version of the programme, newest first, since enrolments follow each."""
    versions = sorted((d for d in catalogue() if d.key == key), key=lambda d: -d.version)
    problems = setting_problems(versions[0], choices)
    for older in versions[1:]:
        for name, problem in setting_problems(older, declared_choices(older, choices)).items():
            problems.setdefault(name, problem)
    return problems


def _defaults_version(organisation_id: int, key: str, effective_from: date) -> SettingsVersion:
    """A version holding no choices: what an enrolment that followed the defaults keeps."""
    version = SettingsVersion(organisation_id=organisation_id, pathway_key=key, effective_from=effective_from)
    db.session.add(version)
    db.session.flush()
    return version


def keep_started_settings(organisation_id: int, key: str, new_from: date) -> int:
    """Record for each started enrolment with none recorded the version it follows now; how many."""
    started = db.session.execute(
        select(Enrolment.id, enrolment_settings_version()).where(
            Enrolment.organisation_id == organisation_id,
            Enrolment.pathway_key == key,
            Enrolment.start_date <= today(),
            ~select(EnrolmentSettings.id).where(EnrolmentSettings.enrolment_id == Enrolment.id).exists(),
        )
    ).all()
    defaults = None
    if any(version_id is None for _, version_id in started):
        since = settings_date(db.session.get_one(Organisation, organisation_id), key, None)
        defaults = _defaults_version(organisation_id, key, min(new_from, since))
    db.session.add_all(
        EnrolmentSettings(enrolment_id=eid, settings_version_id=vid or defaults.id, reason=KEPT_REASON)  # type: ignore[union-attr]
        for eid, vid in started
    )
    return len(started)


@command("settings.set", target="organisation_id")
def set_settings(
    actor: User | None,
    organisation_id: int,
    pathway_key: str,
    *,
    effective_from: object,
    values: Mapping[str, object],
    as_text: bool = False,
) -> SettingsVersion:
    """New settings for one programme from a date; the values not named stay as they were on that date."""
    require_admin(actor, organisation_id)
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound("There is no such organisation")
    definition = latest_definition(pathway_key)
    problems: dict[str, str] = {}
    day = check_date(problems, "effective_from", effective_from, required="Enter the date the settings take effect")
    given = _typed(definition, values, as_text, problems)
    readable = {name: value for name, value in given.items() if name not in problems}
    problems.update(setting_problems(definition, readable, across=False))
    if not values:
        problems["values"] = "Give at least one setting and its new value"
    if problems:
        raise ValidationFailed(problems)
    assert day is not None
    before = choices_of(in_force(organisation_id, definition.key, day))
    choices = {**before, **given}
    if problems := _problems_in_any_version(definition.key, choices):
        raise ValidationFailed(problems)
    kept = keep_started_settings(organisation_id, definition.key, day)
    version = SettingsVersion(
        organisation_id=organisation_id,
        pathway_key=definition.key,
        effective_from=day,
        choices_json=json.dumps(choices, sort_keys=True),
        set_by_id=actor.id if actor else None,
    )
    db.session.add(version)
    audit.record(
        actor, "settings.set", version, organisation_id=organisation_id, pathway=definition.key,
        effective_from=day, changed=given, before=before, enrolments_kept=kept,
    )  # fmt: skip
    return version


@command("enrolment.settings_move", target="enrolment_id")
def move_to_current_settings(actor: User, enrolment_id: int, *, reason: object) -> EnrolmentSettings:
    """A lead moves one enrolment to the settings in force today, with the reason, shown on its record."""
    enrolment = locked_enrolment(actor, enrolment_id)
    require_lead(actor, enrolment.organisation_id)
    problems: dict[str, str] = {}
    text = check_text(
        problems, "reason", reason, max_length=2000, required="Enter why this learner moves to the current settings"
    )
    if problems:
        raise ValidationFailed(problems)
    definition = definition_for(enrolment.pathway_version)
    followed = db.session.scalar(select(enrolment_settings_version()).where(Enrolment.id == enrolment.id))
    old = db.session.get(SettingsVersion, followed) if followed is not None else None
    current = in_force(enrolment.organisation_id, enrolment.pathway_key, today())
    if settings_of(definition, choices_of(old)) == settings_of(definition, choices_of(current)):
        raise StateConflict({"reason": "This learner already follows the current settings"})
    if current is None:
        current = _defaults_version(enrolment.organisation_id, enrolment.pathway_key, today())
    row = EnrolmentSettings(
        enrolment_id=enrolment.id, settings_version_id=current.id, moved=True, reason=text, actor_id=actor.id
    )
    db.session.add(row)
    audit.record(
        actor, "enrolment.settings_moved", row, enrolment_id=enrolment.id, reason=text,
        before=choices_of(old), after=current.choices, effective_from=current.effective_from,
    )  # fmt: skip
    return row
