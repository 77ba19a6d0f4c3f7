"""The settings form, built from what a programme's definition declares: one field per setting."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, RadioField, StringField
from wtforms.validators import InputRequired

from app.form_fields import NHSDateField
from pathways import Definition, SettingSpec
from pathways.effective_settings import setting_text


def _hint(spec: SettingSpec) -> str:
    if spec.minimum is not None and spec.maximum is not None:
        return f"From {spec.minimum:g} to {spec.maximum:g}"
    if spec.minimum is not None:
        return f"At least {spec.minimum:g}"
    return ""


def _field(spec: SettingSpec, value: Any) -> Field:
    required = [InputRequired(f"Enter the {spec.title.lower()}")]
    if spec.choices:
        choices = [(c, c.capitalize()) for c in spec.choices]
        return RadioField(spec.title, choices=choices, default=value, validators=required)
    if spec.type == "bool":
        return RadioField(spec.title, choices=[("yes", "Yes"), ("no", "No")], default=setting_text(spec, value))
    width = "nhsuk-input--width-4" if spec.type in ("int", "float") else ""
    return StringField(
        spec.title, default=setting_text(spec, value), description=_hint(spec), validators=required,
        render_kw={"class": width, "inputmode": "decimal"} if width else None,
    )  # fmt: skip


def settings_form(definition: Definition, current: dict[str, Any]) -> FlaskForm:
    """A date the settings take effect from, then every setting, filled in with what is in force now."""

    class SettingsForm(FlaskForm):
        effective_from = NHSDateField("Effective from", required="Enter the date the settings take effect")

    for key, spec in definition.settings.items():
        setattr(SettingsForm, key, _field(spec, current[key]))
    return SettingsForm()


def chosen_values(form: FlaskForm, definition: Definition) -> dict[str, str]:
    return {key: str(form[key].data or "") for key in definition.settings}
