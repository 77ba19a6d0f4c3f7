"""What the engine works out per programme version rather than per learner, remembered.

A definition is frozen, and its programme length, review schedule, hours target and competencies
for a start date follow from the start date and the settings alone, as does the plan of reviews from
the programme clock. The reminder scan evaluates 200,000 enrolments on a handful of versions and a
few dozen start dates, so each of these is worked out once per (start date, settings) instead of
once per enrolment.

Each table is keyed by the exact inputs of the function it remembers (settings by key, type and
value, so ``True`` and ``1`` are not confused), and only answers are kept: a call that raises is not
remembered and raises again. A memo holds its definition, so the definition's ``id`` is never reused
while its memo lives; tables are emptied when they grow past ``LIMIT`` entries.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from datetime import date
from typing import Any, TypeVar

from pathways.model import Competency, Definition, ReviewSchedule, Stage, Transition
from pathways.results import ReviewSlot
from pathways.schedule import duration_end, duration_label, hours_target, pick_schedule

LIMIT = 4096  # entries per table: start dates times settings times holds, far more than a scan meets
DEFINITIONS = 64  # memos kept, one per definition object
T = TypeVar("T")
SettingsKey = tuple[tuple[str, type, Any], ...] | None  # None: the settings cannot be a key (unhashable)
Plan = tuple[tuple[str, str, date, ReviewSlot], ...]  # (key, title, due, the slot when it is not held)


def settings_key(settings: Mapping[str, Any]) -> SettingsKey:
    key = tuple((name, type(value), value) for name, value in settings.items())
    try:
        hash(key)
    except TypeError:
        return None
    return key


class Memo:
    """The remembered answers for one definition."""

    def __init__(self, definition: Definition) -> None:
        self.definition = definition
        self._tables: dict[str, dict[Hashable, Any]] = {}

    def _remember(self, table: str, key: Hashable, work: Callable[[], T]) -> T:
        found = self._tables.setdefault(table, {})
        try:
            return found[key]
        except KeyError:
            pass
        value = work()
        if len(found) >= LIMIT:
            found.clear()
        found[key] = value
        return value

    def settings(self, overrides: Mapping[str, Any]) -> tuple[dict[str, Any], SettingsKey]:
        """``definition.resolve_settings(overrides)`` (a copy each time: callers may change it), and its key."""
        key = settings_key(overrides)
        if key is None:
            return self.definition.resolve_settings(overrides), None
        return dict(self._remember("settings", key, lambda: self.definition.resolve_settings(overrides))), key

    def _by_settings(self, table: str, key: Hashable, settings_of: SettingsKey, work: Callable[[], T]) -> T:
        return work() if settings_of is None else self._remember(table, (key, settings_of), work)

    def duration_end(self, start: date, settings: dict[str, Any], key: SettingsKey) -> date:
        return self._by_settings("end", start, key, lambda: duration_end(self.definition, start, settings))

    def duration_label(self, start: date, settings: dict[str, Any], key: SettingsKey) -> str:
        return self._by_settings("label", start, key, lambda: duration_label(self.definition, start, settings))

    def schedule(self, start: date, settings: dict[str, Any], key: SettingsKey) -> ReviewSchedule | None:
        return self._by_settings("schedule", start, key, lambda: pick_schedule(self.definition, start, settings))

    def hours_target(
        self, start: date, settings: dict[str, Any], key: SettingsKey, contracted: float | None, prior: float
    ) -> float:
        return self._by_settings(
            "hours",
            (start, contracted, prior),
            key,
            lambda: hours_target(self.definition, start, settings, contracted, prior),
        )

    def competencies(self, start: date, profession: str) -> tuple[Competency, ...]:
        return self._remember(
            "competencies", (start, profession), lambda: self.definition.competencies_for(start, profession)
        )

    def stage(self, key: str) -> Stage:
        return self._remember("stage", key, lambda: self.definition.stage(key))

    def transitions_from(self, stage: str) -> tuple[Transition, ...]:
        return self._remember("transitions", stage, lambda: self.definition.transitions_from(stage))

    def stage_index(self, stage: str) -> int:
        return self._remember("stage_index", stage, lambda: self.definition.stage_index(stage))

    def plan(self, schedule: ReviewSchedule, key: Hashable, work: Callable[[], list[tuple[str, str, date]]]) -> Plan:
        """The plan of reviews ``work`` makes, for a schedule of this definition and the plan's inputs ``key``."""
        return self._remember(
            "plans", (id(schedule), key), lambda: tuple((k, t, due, ReviewSlot(k, t, due)) for k, t, due in work())
        )


_memos: dict[int, Memo] = {}


def memo_for(definition: Definition) -> Memo:
    """This definition's memo (made on first use)."""
    memo = _memos.get(id(definition))
    if memo is None or memo.definition is not definition:
        if len(_memos) >= DEFINITIONS:
            _memos.clear()
        memo = _memos[id(definition)] = Memo(definition)
    return memo


def forget() -> None:
    """Drop every memo (tests compare remembered answers with fresh ones)."""
    _memos.clear()
