"""The shapes of a programme definition and of the engine's answers.

Everything is a frozen dataclass so that a loaded definition can be shared between
requests and an evaluation can be cached or compared without defensive copies.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pathways.settings import SettingRule, SettingSpec, check_national_minimum, resolve_settings
from pathways.wording import format_date


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a definition file, named by file and key."""

    file: str
    key: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.key}: {self.message}"


class DefinitionError(ValueError):
    """A definition was refused; ``problems`` lists every reason, not only the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class Stage:
    key: str
    title: str
    description: str
    length_weeks: int | None = None  # planned length from entering the stage (a course, a trial)


@dataclass(frozen=True)
class GuardRef:
    """A named guard on a transition, optionally applying only when settings match."""

    name: str
    arg: str | None = None
    when: Mapping[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        text = self.name if self.arg is None else f"{self.name}:{self.arg}"
        if self.when:
            cond = ", ".join(f"{k} = {v}" for k, v in self.when.items())
            text += f" (when {cond})"
        return text


@dataclass(frozen=True)
class Transition:
    source: str
    to: str
    label: str
    guards: tuple[GuardRef, ...]


@dataclass(frozen=True)
class Competency:
    key: str
    title: str
    group: str
    compulsory: bool = True


@dataclass(frozen=True)
class DateRule:
    """Applies to starts on or after ``starts_from`` and before ``starts_before``."""

    starts_from: date | None = None
    starts_before: date | None = None

    def applies(self, start: date) -> bool:
        if self.starts_from is not None and start < self.starts_from:
            return False
        return self.starts_before is None or start < self.starts_before

    def words(self) -> str:
        """Which starts the rule covers: "from 1 August 2025", "before 1 August 2025"."""
        parts = []
        if self.starts_from is not None:
            parts.append(f"from {format_date(self.starts_from)}")
        if self.starts_before is not None:
            parts.append(f"before {format_date(self.starts_before)}")
        return " and ".join(parts) or "on any date"


@dataclass(frozen=True)
class CompetencyVariant:
    rule: DateRule
    profession_groups: tuple[str, ...]  # empty: every profession
    items: tuple[Competency, ...]


@dataclass(frozen=True)
class CompetencyGroup:
    key: str
    title: str
    noun: str  # plural noun used in reasons: "Care Certificate standards"
    variants: tuple[CompetencyVariant, ...]
    due_weeks_from_start: int | None = None

    def items_for(self, start: date, profession_group: str | None) -> tuple[Competency, ...]:
        for variant in self.variants:
            if not variant.rule.applies(start):
                continue
            if variant.profession_groups and profession_group not in variant.profession_groups:
                continue
            return variant.items
        return ()


@dataclass(frozen=True)
class ReviewSpec:
    key: str
    title: str
    at: str  # "days" | "midpoint" | "end"
    days: int = 0


@dataclass(frozen=True)
class ReviewSchedule:
    rule: DateRule
    when: Mapping[str, Any]
    slots: tuple[ReviewSpec, ...]
    every_weeks: int | None = None
    every_months: int | None = None
    interval_title: str = "Review {n}"
    # Rolling: each repeating review falls due one interval after the last review held.
    rolling: bool = False


@dataclass(frozen=True)
class DurationRule:
    rule: DateRule
    months: int


@dataclass(frozen=True)
class HoursRule:
    """One way of working out an hours target; the largest rule that applies to a start wins.

    ``per_week`` applies from ``per_week_from_contracted`` contracted hours a week (always, when
    unset); below it ``percent_of_contracted`` does. Weekly figures run over the planned length less
    ``less_leave_weeks_a_year`` of statutory leave. ``total`` is a floor under ``total_setting``
    (less recorded prior learning when ``less_prior_learning``).
    """

    rule: DateRule
    per_week: float | None = None
    per_month: float | None = None
    per_month_setting: str | None = None
    total: float | None = None
    percent_of_contracted: float | None = None
    per_week_from_contracted: float | None = None
    less_leave_weeks_a_year: float = 0.0
    total_setting: str | None = None
    less_prior_learning: bool = False


@dataclass(frozen=True)
class Notice:
    text: str
    unless: GuardRef


@dataclass(frozen=True)
class Definition:
    """One version of one programme, as read from its TOML file."""

    key: str
    version: int
    title: str
    summary: str
    stages: tuple[Stage, ...]
    transitions: tuple[Transition, ...]
    settings: Mapping[str, SettingSpec]
    source: str = ""
    setting_rules: tuple[SettingRule, ...] = ()
    competency_groups: tuple[CompetencyGroup, ...] = ()
    profession_groups: Mapping[str, str] = field(default_factory=dict)  # profession -> group
    confirmations: Mapping[str, str] = field(default_factory=dict)  # name -> title
    review_schedules: tuple[ReviewSchedule, ...] = ()
    review_roles: tuple[str, str] = ("learner", "preceptor")
    duration_setting: str = "duration_months"
    duration_unit: str = "months"
    duration_minimums: tuple[DurationRule, ...] = ()
    clock_stage: str | None = None
    hours_label: str = ""
    hours_rules: tuple[HoursRule, ...] = ()
    attendance_unit: str = ""
    attendance_required_setting: str | None = None
    attendance_planned_setting: str | None = None
    rules: Mapping[str, Any] = field(default_factory=dict)
    notices: tuple[Notice, ...] = ()
    # The programme's word for the person a lead assigns to support a learner ([preceptor] title), and
    # whether the national preceptor rules apply to them ([preceptor] registered).
    preceptor_title: str = "preceptor"
    registered_preceptor: bool = False

    def stage(self, key: str) -> Stage:
        for stage in self.stages:
            if stage.key == key:
                return stage
        raise KeyError(f"{self.key} v{self.version} has no stage {key!r}")

    def stage_index(self, key: str) -> int:
        return [s.key for s in self.stages].index(key)

    def transitions_from(self, key: str) -> tuple[Transition, ...]:
        return tuple(t for t in self.transitions if t.source == key)

    def profession_group(self, profession: str) -> str | None:
        return self.profession_groups.get(profession)

    def group(self, key: str) -> CompetencyGroup:
        for group in self.competency_groups:
            if group.key == key:
                return group
        raise KeyError(key)

    def competencies_for(self, start_date: date, profession: str = "") -> tuple[Competency, ...]:
        """Every competency the learner must have signed off, for their start date and profession."""
        pgroup = self.profession_group(profession)
        out: list[Competency] = []
        for group in self.competency_groups:
            out.extend(group.items_for(start_date, pgroup))
        return tuple(out)

    def all_competencies(self) -> tuple[Competency, ...]:
        """Every competency any learner on this version could need, each key once."""
        seen: dict[str, Competency] = {}
        for group in self.competency_groups:
            for variant in group.variants:
                for item in variant.items:
                    seen.setdefault(item.key, item)
        return tuple(seen.values())

    def resolve_settings(
        self, overrides: Mapping[str, Any] | None = None, *, starting_on: date | None = None
    ) -> dict[str, Any]:
        """The organisation's settings: defaults with ``overrides`` applied and checked.

        ``starting_on``, for settings that take effect on that day, also refuses a programme length
        below the national minimum for starts on it (the engine never goes below it either way).
        """
        resolved = resolve_settings(self.title, self.settings, self.setting_rules, overrides or {})
        if starting_on is not None and self.duration_setting in self.settings:
            for minimum in self.duration_minimums:
                if minimum.rule.applies(starting_on):
                    spec = self.settings[self.duration_setting]
                    value = resolved[self.duration_setting]
                    check_national_minimum(spec, value, minimum.months, minimum.rule.words())
        return resolved
