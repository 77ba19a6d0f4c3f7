"""Read the parsed TOML of one definition into model objects, noting every shape problem.

Shape problems (missing key, wrong type) are collected with their dotted key so the
author sees them all at once; the meaning checks live in ``checks.py``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pathways.model import (
    Competency,
    CompetencyGroup,
    CompetencyVariant,
    DateRule,
    Definition,
    DurationRule,
    GuardRef,
    HoursRule,
    Notice,
    Problem,
    ReviewSchedule,
    ReviewSpec,
    Stage,
    Transition,
)
from pathways.settings import SettingRule, SettingSpec

TYPE_NAMES = {
    str: "string",
    int: "integer",
    float: "number",
    bool: "boolean",
    list: "array",
    dict: "table",
    date: "date",
}
_MISSING = object()


class Reader:
    """Typed access to a TOML table that records a Problem instead of raising."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def problem(self, key: str, message: str) -> None:
        self.problems.append(Problem(self.file, key, message))

    def get(self, table: dict, key: str, kind: type, path: str, default: Any = _MISSING) -> Any:
        full = f"{path}.{key}" if path else key
        if key not in table:
            if default is _MISSING:
                self.problem(full, "missing required key")
                return kind()
            return default
        value = table[key]
        ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            ok, value = True, float(value)
        if not ok:
            got = TYPE_NAMES.get(type(value), type(value).__name__)
            self.problem(full, f"expected {TYPE_NAMES[kind]}, got {got}")
            return kind() if default is _MISSING else default
        return value

    def tables(self, table: dict, key: str, path: str, required: bool = True) -> list[dict]:
        """An array of tables; each non-table entry is a problem."""
        items = self.get(table, key, list, path, _MISSING if required else [])
        out = []
        full = f"{path}.{key}" if path else key
        for i, item in enumerate(items):
            if isinstance(item, dict):
                out.append(item)
            else:
                self.problem(f"{full}[{i}]", "expected table")
                out.append({})
        return out


def parse_guard(value: Any, reader: Reader, path: str) -> GuardRef | None:
    when: dict = {}
    if isinstance(value, dict):
        when = reader.get(value, "when", dict, path, {})
        value = reader.get(value, "guard", str, path)
    if not isinstance(value, str):
        reader.problem(path, "expected string or table")
        return None
    name, _, arg = value.partition(":")
    return GuardRef(name, arg or None, when)


def date_rule(reader: Reader, table: dict, path: str) -> DateRule:
    return DateRule(
        reader.get(table, "starts_from", date, path, None),
        reader.get(table, "starts_before", date, path, None),
    )


def parse_settings(reader: Reader, data: dict) -> dict[str, SettingSpec]:
    specs = {}
    for key, raw in reader.get(data, "settings", dict, "").items():
        path = f"settings.{key}"
        if not isinstance(raw, dict):
            reader.problem(path, "expected table")
            continue
        choices = reader.get(raw, "choices", list, path, [])
        if "default" not in raw:
            reader.problem(f"{path}.default", "missing required key")
        specs[key] = SettingSpec(
            key=key,
            title=reader.get(raw, "title", str, path, key.replace("_", " ").capitalize()),
            type=reader.get(raw, "type", str, path),
            default=raw.get("default"),
            minimum=reader.get(raw, "min", float, path, None),
            maximum=reader.get(raw, "max", float, path, None),
            choices=tuple(str(c) for c in choices),
        )
    return specs


def parse_competencies(reader: Reader, data: dict) -> list[CompetencyGroup]:
    groups = []
    for g, raw in enumerate(reader.tables(data, "competency_groups", "", required=False)):
        path = f"competency_groups[{g}]"
        key = reader.get(raw, "key", str, path)
        variants = []
        for v, var in enumerate(reader.tables(raw, "variants", path)):
            vpath = f"{path}.variants[{v}]"
            items = tuple(
                Competency(
                    reader.get(item, "key", str, f"{vpath}.items[{i}]"),
                    reader.get(item, "title", str, f"{vpath}.items[{i}]"),
                    key,
                    reader.get(item, "compulsory", bool, f"{vpath}.items[{i}]", True),
                )
                for i, item in enumerate(reader.tables(var, "items", vpath))
            )
            pgroups = tuple(reader.get(var, "profession_groups", list, vpath, []))
            variants.append(CompetencyVariant(date_rule(reader, var, vpath), pgroups, items))
        groups.append(
            CompetencyGroup(
                key,
                reader.get(raw, "title", str, path),
                reader.get(raw, "noun", str, path),
                tuple(variants),
                reader.get(raw, "due_weeks_from_start", int, path, None),
            )
        )
    return groups


def parse_reviews(reader: Reader, data: dict) -> tuple[tuple[str, str], list[ReviewSchedule]]:
    raw = reader.get(data, "reviews", dict, "", {})
    roles = reader.get(raw, "roles", list, "reviews", ["learner", "preceptor"])
    schedules = []
    for s, sched in enumerate(reader.tables(raw, "schedules", "reviews", required=False)):
        path = f"reviews.schedules[{s}]"
        slots = []
        for i, slot in enumerate(reader.tables(sched, "slots", path, required=False)):
            spath = f"{path}.slots[{i}]"
            at = reader.get(slot, "at", str, spath, "days")
            if at not in ("days", "midpoint", "end"):
                reader.problem(f"{spath}.at", f"must be days, midpoint or end, not '{at}'")
            slots.append(
                ReviewSpec(
                    reader.get(slot, "key", str, spath),
                    reader.get(slot, "title", str, spath),
                    at,
                    reader.get(slot, "days", int, spath, 0),
                )
            )
        schedules.append(
            ReviewSchedule(
                date_rule(reader, sched, path),
                reader.get(sched, "when", dict, path, {}),
                tuple(slots),
                reader.get(sched, "every_weeks", int, path, None),
                reader.get(sched, "every_months", int, path, None),
                reader.get(sched, "interval_title", str, path, "Review {n}"),
                reader.get(sched, "rolling", bool, path, False),
            )
        )
    if len(roles) != 2 or not all(isinstance(r, str) for r in roles):
        reader.problem("reviews.roles", "expected two role names (learner, reviewer)")
        roles = ["learner", "preceptor"]
    return (roles[0], roles[1]), schedules


def parse_definition(reader: Reader, data: dict) -> Definition:
    """Build a Definition from TOML data; shape problems are left on ``reader``."""
    stages = [
        Stage(
            reader.get(raw, "key", str, f"stages[{i}]"),
            reader.get(raw, "title", str, f"stages[{i}]"),
            reader.get(raw, "description", str, f"stages[{i}]"),
            reader.get(raw, "length_weeks", int, f"stages[{i}]", None),
        )
        for i, raw in enumerate(reader.tables(data, "stages", ""))
    ]
    transitions = []
    for i, raw in enumerate(reader.tables(data, "transitions", "")):
        path = f"transitions[{i}]"
        guards = [
            parse_guard(g, reader, f"{path}.guards[{j}]") for j, g in enumerate(reader.get(raw, "guards", list, path))
        ]
        transitions.append(
            Transition(
                reader.get(raw, "from", str, path),
                reader.get(raw, "to", str, path),
                reader.get(raw, "label", str, path),
                tuple(g for g in guards if g is not None),
            )
        )
    duration = reader.get(data, "duration", dict, "")
    hours = reader.get(data, "hours", dict, "", {})
    attendance = reader.get(data, "attendance", dict, "", {})
    roles, schedules = parse_reviews(reader, data)
    preceptor = reader.get(data, "preceptor", dict, "", {})
    pgroups: dict[str, str] = {}
    for group, members in reader.get(data, "profession_groups", dict, "", {}).items():
        for member in members if isinstance(members, list) else []:
            if member in pgroups:
                reader.problem(f"profession_groups.{group}", f"'{member}' is already in a group")
            pgroups[member] = group
    notices = []
    for i, raw in enumerate(reader.tables(data, "notices", "", required=False)):
        ref = parse_guard(reader.get(raw, "unless", str, f"notices[{i}]"), reader, f"notices[{i}]")
        if ref is not None:
            notices.append(Notice(reader.get(raw, "text", str, f"notices[{i}]"), ref))
    return Definition(
        key=reader.get(data, "key", str, ""),
        version=reader.get(data, "version", int, ""),
        title=reader.get(data, "title", str, ""),
        summary=reader.get(data, "summary", str, ""),
        stages=tuple(stages),
        transitions=tuple(transitions),
        settings=parse_settings(reader, data),
        source=reader.file,
        setting_rules=tuple(
            SettingRule(
                reader.get(raw, "when", dict, f"setting_rules[{i}]", {}),
                reader.get(raw, "setting", str, f"setting_rules[{i}]"),
                reader.get(raw, "min", float, f"setting_rules[{i}]", None),
                reader.get(raw, "max_setting", str, f"setting_rules[{i}]", None),
                reader.get(raw, "message", str, f"setting_rules[{i}]", ""),
            )
            for i, raw in enumerate(reader.tables(data, "setting_rules", "", required=False))
        ),
        competency_groups=tuple(parse_competencies(reader, data)),
        profession_groups=pgroups,
        confirmations={k: v for k, v in reader.get(data, "confirmations", dict, "", {}).items()},
        review_schedules=tuple(schedules),
        review_roles=roles,
        duration_setting=reader.get(duration, "setting", str, "duration"),
        duration_unit=reader.get(duration, "unit", str, "duration", "months"),
        duration_minimums=tuple(
            DurationRule(
                date_rule(reader, raw, f"duration.minimums[{i}]"),
                reader.get(raw, "months", int, f"duration.minimums[{i}]"),
            )
            for i, raw in enumerate(reader.tables(duration, "minimums", "duration", False))
        ),
        clock_stage=reader.get(data, "clock_stage", str, "", None),
        hours_label=reader.get(hours, "label", str, "hours", ""),
        hours_rules=tuple(
            HoursRule(
                date_rule(reader, raw, f"hours.rules[{i}]"),
                reader.get(raw, "per_week", float, f"hours.rules[{i}]", None),
                reader.get(raw, "per_month", float, f"hours.rules[{i}]", None),
                reader.get(raw, "per_month_setting", str, f"hours.rules[{i}]", None),
                reader.get(raw, "total", float, f"hours.rules[{i}]", None),
                reader.get(raw, "percent_of_contracted", float, f"hours.rules[{i}]", None),
                reader.get(raw, "per_week_from_contracted", float, f"hours.rules[{i}]", None),
                reader.get(raw, "less_leave_weeks_a_year", float, f"hours.rules[{i}]", 0.0),
                reader.get(raw, "total_setting", str, f"hours.rules[{i}]", None),
                reader.get(raw, "less_prior_learning", bool, f"hours.rules[{i}]", False),
            )
            for i, raw in enumerate(reader.tables(hours, "rules", "hours", False))
        ),
        attendance_unit=reader.get(attendance, "unit", str, "attendance", ""),
        attendance_required_setting=reader.get(attendance, "required_setting", str, "attendance", None),
        attendance_planned_setting=reader.get(attendance, "planned_setting", str, "attendance", None),
        rules=reader.get(data, "rules", dict, "", {}),
        notices=tuple(notices),
        preceptor_title=reader.get(preceptor, "title", str, "preceptor", "preceptor"),
        registered_preceptor=reader.get(preceptor, "registered", bool, "preceptor", False),
    )
