"""An organisation's settings as people type them and as a definition version reads them.

An organisation chooses settings from a date; the app stores its choices (overrides of the local
defaults) and each enrolment keeps the choices it started under. This module turns text into typed
values and back, and finds every problem with a set of choices at once, as the definition checks them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from pathways.memo import memo_for
from pathways.model import Definition
from pathways.settings import SettingsError, SettingSpec, check_setting

_WHOLE = re.compile(r"[+-]?\d{1,9}")
_YES, _NO = {"yes", "true", "y"}, {"no", "false", "n"}


def value_from_text(spec: SettingSpec, text: str) -> Any:
    """A value typed on a form or the command line, as the setting's type; SettingsError names the setting."""
    text = text.strip()
    if spec.type == "int":
        if not _WHOLE.fullmatch(text):
            raise SettingsError(f"{spec.title} must be a whole number", spec.key)
        return int(text)
    if spec.type == "float":
        try:
            number = float(text)
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            raise SettingsError(f"{spec.title} must be a number", spec.key)
        return number
    if spec.type == "bool":
        if text.lower() not in _YES | _NO:
            raise SettingsError(f"{spec.title} must be yes or no", spec.key)
        return text.lower() in _YES
    return text


def setting_text(spec: SettingSpec, value: Any) -> str:
    """A value as ``value_from_text`` reads it back: ``7.5``, ``12``, ``gold``, ``yes``."""
    if spec.type == "bool":
        return "yes" if value else "no"
    if spec.type == "float":
        return f"{float(value):g}"
    return str(value)


def declared_choices(definition: Definition, choices: Mapping[str, Any]) -> dict[str, Any]:
    """The choices this definition version declares: a setting added by a later version means nothing to it."""
    return {key: value for key, value in choices.items() if key in definition.settings}


def settings_of(definition: Definition, choices: Mapping[str, Any]) -> dict[str, Any]:
    """Every setting of this version: its defaults with the organisation's choices applied (remembered
    per version and choices, ``pathways.memo``: every enrolment's facts ask)."""
    return memo_for(definition).settings(declared_choices(definition, choices))[0]


def setting_problems(definition: Definition, choices: Mapping[str, Any], *, across: bool = True) -> dict[str, str]:
    """Every problem with ``choices`` by setting key: unknown names, bad values, then (``across``) the rules
    across settings, which only a whole set of choices can be checked against."""
    problems: dict[str, str] = {}
    for key, value in choices.items():
        spec = definition.settings.get(key)
        if spec is None:
            problems[key] = f"{definition.title} has no setting called '{key}'"
            continue
        try:
            check_setting(spec, value)
        except SettingsError as error:
            problems[key] = str(error)
    if across and not problems:
        try:
            definition.resolve_settings(choices)
        except SettingsError as error:
            problems[error.setting or "values"] = str(error)
    return problems
