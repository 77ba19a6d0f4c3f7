"""A programme's local settings: their specs, the rules across them, and an organisation's overrides checked."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


class SettingsError(ValueError):
    """An organisation's override of a local default is not acceptable; the message says why.

    ``setting`` names the setting a rule across settings refused, when one did.
    """

    def __init__(self, message: str, setting: str = "") -> None:
        super().__init__(message)
        self.setting = setting


@dataclass(frozen=True)
class SettingSpec:
    key: str
    title: str
    type: str  # int | float | str | bool
    default: Any
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class SettingRule:
    """A rule across settings: when ``when`` matches, ``setting`` has a ``minimum`` or a cap."""

    when: Mapping[str, Any]
    setting: str
    minimum: float | None = None
    max_setting: str | None = None
    message: str = ""


def _typed(spec: SettingSpec, value: Any) -> Any:
    """Return ``value`` as the spec's type, or raise SettingsError naming the setting."""
    kind = spec.type
    if kind == "bool":
        ok = isinstance(value, bool)
    elif kind == "int":
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif kind == "float":
        ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    else:
        ok = isinstance(value, str)
    if not ok:
        noun = {"int": "a whole number", "float": "a number", "bool": "yes or no"}.get(kind, "text")
        raise SettingsError(f"{spec.title} must be {noun}")
    return float(value) if kind == "float" else value


def _num(value: float) -> str:
    return f"{value:g}"


def check_setting(spec: SettingSpec, value: Any) -> Any:
    """Check one value against its spec; the message is fit to show a programme lead."""
    value = _typed(spec, value)
    if spec.choices and value not in spec.choices:
        raise SettingsError(f"{spec.title} must be one of: {', '.join(spec.choices)}")
    if spec.minimum is not None and value < spec.minimum:
        raise SettingsError(f"{spec.title} must be at least {_num(spec.minimum)}")
    if spec.maximum is not None and value > spec.maximum:
        raise SettingsError(f"{spec.title} must be at most {_num(spec.maximum)}")
    return value


def check_national_minimum(spec: SettingSpec, value: Any, minimum: float, starts: str) -> None:
    """A local setting may be longer than the national minimum for the starts it covers, never shorter.

    ``starts`` says which starts, in words ("starting before 1 August 2025").
    """
    if value < minimum:
        raise SettingsError(
            f"{spec.title} cannot be less than the national minimum of {_num(minimum)} for starts {starts}"
        )


def resolve_settings(
    title: str, settings: Mapping[str, SettingSpec], rules: Sequence[SettingRule], overrides: Mapping[str, Any]
) -> dict[str, Any]:
    """Defaults overlaid with an organisation's overrides, refusing unknown or bad values.

    ``title`` is the programme's, for the message when a setting is unknown.
    """
    resolved = {key: spec.default for key, spec in settings.items()}
    for key, value in overrides.items():
        spec = settings.get(key)
        if spec is None:
            raise SettingsError(f"{title} has no setting called '{key}'")
        resolved[key] = check_setting(spec, value)
    for rule in rules:
        if any(resolved.get(k) != v for k, v in rule.when.items()):
            continue
        spec = settings[rule.setting]
        value = resolved[rule.setting]
        if rule.minimum is not None and value < rule.minimum:
            raise SettingsError(rule.message or f"{spec.title} must be at least {_num(rule.minimum)}", rule.setting)
        if rule.max_setting is not None and value > resolved[rule.max_setting]:
            other = settings[rule.max_setting].title
            raise SettingsError(rule.message or f"{spec.title} must not be more than {other}", rule.setting)
    return resolved
