"""Programme settings from a date (administrators): ``GET`` and ``PUT /api/v1/settings/{pathway}``."""

from __future__ import annotations

from marshmallow import Schema, fields

from app.api import bp
from app.api.auth import actor
from app.api.common import errors
from app.api.schemas import Text, UtcDateTime
from app.services.settings_changes import set_settings
from app.services.settings_reads import ProgrammeSettingsView, programme_settings


class SettingsArgs(Schema):
    on = fields.Date(metadata={"description": "The settings in force on this date (default today)"})


class SettingsChangeSchema(Schema):
    effective_from = fields.Date(required=True, metadata={"description": "The first day the settings apply"})
    values = fields.Dict(
        keys=Text(max_length=80),
        values=fields.Raw(),
        required=True,
        metadata={"description": "The settings to change and their new values; the rest stay as they were"},
    )


class SettingSpecSchema(Schema):
    key = fields.String(required=True)
    title = fields.String(required=True)
    type = fields.String(required=True, metadata={"description": "int, float, str or bool"})
    value = fields.Raw(required=True)
    default = fields.Raw(required=True)
    minimum = fields.Float(allow_none=True)
    maximum = fields.Float(allow_none=True)
    choices = fields.List(fields.String())


class SettingsVersionSchema(Schema):
    effective_from = fields.Date(required=True)
    choices = fields.Dict(keys=fields.String(), values=fields.Raw(), required=True)
    set_at = UtcDateTime(required=True, attribute="created_at")


class ProgrammeSettingsSchema(Schema):
    pathway = fields.String(required=True)
    on = fields.Date(required=True)
    effective_from = fields.Date(required=True, metadata={"description": "Since when these settings are in force"})
    values = fields.Dict(keys=fields.String(), values=fields.Raw(), required=True)
    settings = fields.List(fields.Nested(SettingSpecSchema), required=True)
    versions = fields.List(fields.Nested(SettingsVersionSchema), required=True)


def _body(view: ProgrammeSettingsView) -> dict:
    specs = view.definition.settings.values()
    return {
        "pathway": view.definition.key,
        "on": view.on,
        "effective_from": view.effective_from,
        "values": view.values,
        "settings": [{**spec.__dict__, "value": view.values[spec.key]} for spec in specs],
        "versions": view.versions,
    }


@bp.get("/settings/<string(maxlength=200):pathway>")
@bp.arguments(SettingsArgs, location="query")
@bp.response(200, ProgrammeSettingsSchema)
@errors(403, 404, 422)
def get_settings(args: dict, pathway: str):
    """The organisation's settings for one programme in force on a date, and their history (administrators)."""
    return _body(programme_settings(actor(), pathway, args.get("on")))


@bp.put("/settings/<string(maxlength=200):pathway>")
@bp.arguments(SettingsChangeSchema)
@bp.response(200, ProgrammeSettingsSchema)
@errors(403, 404, 422)
def put_settings(data: dict, pathway: str):
    """New settings from a date (administrators); enrolments already started keep theirs. Audited."""
    user = actor()
    set_settings(user, user.organisation_id, pathway, effective_from=data["effective_from"], values=data["values"])
    return _body(programme_settings(user, pathway, data["effective_from"]))
