"""The programme's own dates and targets, from the engine's schedule functions, once per distinct start.

Enrolments that share a definition, the same resolved settings and a clock start share their
nominal end, hours target and review slots, so ``pathways.schedule`` is called once per distinct
combination (hundreds) rather than once per enrolment (hundreds of thousands); holds are then
applied in ``timeline`` exactly as ``Clock.shift`` does.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from pathways import Definition
from pathways.effective_settings import settings_of
from pathways.review_plan import nominal_reviews
from pathways.schedule import duration_end, hours_target, pick_schedule

KEYS = ["pathway", "pathway_version", "settings_key", "clock_start"]
# The hours target also reads the learner's contracted hours and recognised prior learning, as the engine does.
TARGET_KEYS = [*KEYS, "contracted_hours", "prior_learning_hours"]


def settings_keys(
    frame: pd.DataFrame,
    definition_of: Callable[[str, int], Definition],
    settings: Mapping[int | None, Mapping[str, Any]],
) -> pd.Series:
    """Each row's resolved settings as canonical JSON: enrolments that keep the same choices share plans.

    ``settings`` holds each settings version's choices; a row with no version follows the defaults.
    """
    columns = ["pathway", "pathway_version", "settings_version_id"]
    pairs = frame[columns].drop_duplicates()
    keys = [
        json.dumps(settings_of(definition_of(p, int(v)), settings.get(_version(s), {})), sort_keys=True)
        for p, v, s in pairs.itertuples(index=False)
    ]
    pairs = pairs.assign(settings_key=keys)
    merged = frame[columns].merge(pairs, on=columns, how="left")
    return pd.Series(merged["settings_key"].to_numpy(), index=frame.index)


def _version(value: Any) -> int | None:
    return None if pd.isna(value) else int(value)


def nominal(starts: pd.DataFrame, definition_of: Callable[[str, int], Definition]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per distinct KEYS: the nominal end; and the nominal review slots."""
    ends: list[tuple[Any, ...]] = []  # rows of the frame below; NaT where no end can be computed
    slots = []
    for pathway, version, key, start in starts[KEYS].drop_duplicates().itertuples(index=False):
        definition = definition_of(pathway, int(version))
        resolved = json.loads(key)
        day = start.date()
        try:
            end = duration_end(definition, day, resolved)
        except (OverflowError, ValueError):  # a start stored before dates were checked: no end, no slots
            ends.append((pathway, version, key, start, pd.NaT))
            continue
        ends.append((pathway, version, key, start, pd.Timestamp(end)))
        schedule = pick_schedule(definition, day, resolved)
        if schedule is not None:
            for slot, _, due in nominal_reviews(schedule, day, end):
                slots.append((pathway, version, key, start, slot, pd.Timestamp(due)))
    return (
        pd.DataFrame(ends, columns=[*KEYS, "nominal_end"]),
        pd.DataFrame(slots, columns=[*KEYS, "slot", "nominal_due"]),
    )


def hours_targets(frame: pd.DataFrame, definition_of: Callable[[str, int], Definition]) -> pd.Series:
    """Each row's hours target over the whole programme (``pathways.schedule.hours_target``), computed once
    per distinct start, settings, contracted hours and prior learning; NaN where no end can be computed."""
    totals = []
    for pathway, version, key, start, contracted, prior in frame[TARGET_KEYS].drop_duplicates().itertuples(index=False):
        definition = definition_of(pathway, int(version))
        hours = None if pd.isna(contracted) else float(contracted)
        try:
            total = hours_target(definition, start.date(), json.loads(key), hours, float(prior))
        except (OverflowError, ValueError):  # a start stored before dates were checked
            total = float("nan")
        totals.append((pathway, version, key, start, contracted, prior, total))
    table = pd.DataFrame(totals, columns=[*TARGET_KEYS, "hours_target_total"])
    merged = frame[TARGET_KEYS].merge(table, on=TARGET_KEYS, how="left")
    return pd.Series(merged["hours_target_total"].to_numpy(), index=frame.index)
