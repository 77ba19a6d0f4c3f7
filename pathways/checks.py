"""Meaning checks on a parsed definition: stages, transitions, guards, settings.

A definition that would strand a learner (an unreachable stage, a stage with no way
out, a guard nobody wrote) is refused at load rather than discovered in a ward.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from typing import Any

from pathways.guards import CHECK_TITLES, GUARDS
from pathways.model import Definition, GuardRef
from pathways.parse import Reader
from pathways.professions import professions
from pathways.settings import SettingsError, SettingSpec, check_setting
from pathways.vocabulary import FINAL_STAGE

FINAL = FINAL_STAGE
SETTING_TYPES = ("int", "float", "str", "bool")


def check_guard(defn: Definition, ref: GuardRef, path: str, reader: Reader) -> None:
    spec = GUARDS.get(ref.name)
    if spec is None:
        reader.problem(path, f"unknown guard '{ref.name}'")
        return
    if spec.arg == "none":
        if ref.arg is not None:
            reader.problem(path, f"guard '{ref.name}' takes no argument")
    elif not ref.arg:
        reader.problem(path, f"guard '{ref.name}' needs an argument ({spec.arg})")
    elif spec.arg == "group" and ref.arg not in {g.key for g in defn.competency_groups}:
        reader.problem(path, f"unknown competency group '{ref.arg}'")
    elif spec.arg == "confirmation" and ref.arg not in defn.confirmations:
        reader.problem(path, f"unknown confirmation '{ref.arg}' (declare it in [confirmations])")
    elif spec.arg == "check" and ref.arg not in CHECK_TITLES:
        reader.problem(path, f"unknown check '{ref.arg}'")
    elif spec.arg == "profession_groups":
        known = set(defn.profession_groups.values())
        for group in ref.arg.split("|"):
            if group not in known:
                reader.problem(path, f"unknown profession group '{group}'")
    check_when(defn, ref.when, f"{path}.when", reader)


def check_when(defn: Definition, when: Mapping[str, Any], path: str, reader: Reader) -> None:
    for key, value in when.items():
        spec = defn.settings.get(key)
        if spec is None:
            reader.problem(path, f"unknown setting '{key}'")
        elif spec.choices and value not in spec.choices:
            reader.problem(f"{path}.{key}", f"'{value}' is not one of {', '.join(spec.choices)}")


def check_setting_spec(spec: SettingSpec, reader: Reader) -> None:
    path = f"settings.{spec.key}"
    if spec.type not in SETTING_TYPES:
        reader.problem(f"{path}.type", f"must be one of {', '.join(SETTING_TYPES)}")
        return
    if spec.choices and spec.type != "str":
        reader.problem(f"{path}.choices", "only text settings can have choices")
    if spec.default is None:
        return
    try:
        check_setting(spec, spec.default)
    except SettingsError as exc:
        reader.problem(f"{path}.default", f"bad default {spec.default!r}: {exc}")


def check_stages(defn: Definition, reader: Reader) -> None:
    keys = [s.key for s in defn.stages]
    seen: set[str] = set()
    for i, key in enumerate(keys):
        if key in seen:
            reader.problem(f"stages[{i}].key", f"duplicate stage '{key}'")
        seen.add(key)
    if not keys:
        reader.problem("stages", "at least one stage is needed")
        return
    if keys[-1] != FINAL:
        reader.problem(f"stages[{len(keys) - 1}].key", f"the last stage must be '{FINAL}'")
    edges: dict[str, set[str]] = {k: set() for k in keys}
    back: dict[str, set[str]] = {k: set() for k in keys}
    for i, t in enumerate(defn.transitions):
        for end in ("from", "to"):
            stage = t.source if end == "from" else t.to
            if stage not in seen:
                reader.problem(f"transitions[{i}].{end}", f"unknown stage '{stage}'")
        if t.source == FINAL:
            reader.problem(f"transitions[{i}].from", f"'{FINAL}' is final: nothing leads out")
        if t.source in seen and t.to in seen:
            edges[t.source].add(t.to)
            back[t.to].add(t.source)
        for j, ref in enumerate(t.guards):
            check_guard(defn, ref, f"transitions[{i}].guards[{j}]", reader)
    reached = _walk(keys[0], edges)
    leads_out = _walk(FINAL, back) if FINAL in seen else set(keys)
    for i, key in enumerate(keys):
        if key not in reached:
            reader.problem(f"stages[{i}].key", f"stage '{key}' is unreachable from '{keys[0]}'")
        elif key != FINAL and not edges[key]:
            reader.problem(f"stages[{i}].key", f"stage '{key}' has no way out")
        elif key not in leads_out:
            reader.problem(f"stages[{i}].key", f"stage '{key}' cannot reach '{FINAL}'")


def _walk(start: str, edges: dict[str, set[str]]) -> set[str]:
    seen, todo = {start}, deque([start])
    while todo:
        for nxt in edges[todo.popleft()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def check_competencies(defn: Definition, reader: Reader) -> None:
    owner: dict[str, str] = {}
    known_groups = set(defn.profession_groups.values())
    for g, group in enumerate(defn.competency_groups):
        if group.key in {x.key for x in defn.competency_groups[:g]}:
            reader.problem(f"competency_groups[{g}].key", f"duplicate group '{group.key}'")
        for v, variant in enumerate(group.variants):
            path = f"competency_groups[{g}].variants[{v}]"
            for pg in variant.profession_groups:
                if pg not in known_groups:
                    reader.problem(f"{path}.profession_groups", f"unknown profession group '{pg}'")
            seen: set[str] = set()
            for i, item in enumerate(variant.items):
                where = f"{path}.items[{i}].key"
                if item.key in seen or owner.get(item.key, group.key) != group.key:
                    reader.problem(where, f"duplicate competency '{item.key}'")
                seen.add(item.key)
                owner.setdefault(item.key, group.key)


def check_references(defn: Definition, reader: Reader) -> None:
    """Every setting, stage and schedule condition a section names must exist."""
    named = [
        ("duration.setting", defn.duration_setting),
        ("attendance.required_setting", defn.attendance_required_setting),
        ("attendance.planned_setting", defn.attendance_planned_setting),
    ]
    for i, r in enumerate(defn.hours_rules):
        named += [(f"hours.rules[{i}].per_month_setting", r.per_month_setting)]
        named += [(f"hours.rules[{i}].total_setting", r.total_setting)]
    for i, rule in enumerate(defn.setting_rules):
        named += [(f"setting_rules[{i}].setting", rule.setting), (f"setting_rules[{i}].max_setting", rule.max_setting)]
        check_when(defn, rule.when, f"setting_rules[{i}].when", reader)
    for path, key in named:
        if key is not None and key not in defn.settings:
            reader.problem(path, f"unknown setting '{key}'")
    if defn.duration_unit not in ("months", "weeks"):
        reader.problem("duration.unit", "must be months or weeks")
    if defn.clock_stage is not None and defn.clock_stage not in {s.key for s in defn.stages}:
        reader.problem("clock_stage", f"unknown stage '{defn.clock_stage}'")
    for i, schedule in enumerate(defn.review_schedules):
        check_when(defn, schedule.when, f"reviews.schedules[{i}].when", reader)
    for i, notice in enumerate(defn.notices):
        check_guard(defn, notice.unless, f"notices[{i}].unless", reader)


def check_professions(defn: Definition, reader: Reader) -> None:
    """Every profession a definition names is in the vocabulary, so a learner can be stored with it."""
    for profession, group in defn.profession_groups.items():
        if profession not in professions():
            reader.problem(f"profession_groups.{group}", f"unknown profession '{profession}' (see professions.toml)")


def check_definition(defn: Definition, reader: Reader) -> None:
    for spec in defn.settings.values():
        check_setting_spec(spec, reader)
    check_stages(defn, reader)
    check_competencies(defn, reader)
    check_professions(defn, reader)
    check_references(defn, reader)
