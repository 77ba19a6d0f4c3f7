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
from pathways.review_plan import nominal_reviews
from pathways.schedule import duration_end, hours_target, pick_schedule

KEYS = ["pathway", "pathway_version", "settings_key", "clock_start"]


def settings_keys(
    frame: pd.DataFrame,
    definition_of: Callable[[str, int], Definition],
    settings: Mapping[tuple[int, str], Mapping[str, Any]],
) -> pd.Series:
    """Each row's resolved settings as canonical JSON: organisations with the same choices share plans."""
    pairs = frame[["pathway", "pathway_version", "organisation_id"]].drop_duplicates()
    keys = [
        json.dumps(definition_of(p, int(v)).resolve_settings(settings.get((int(o), p), {})), sort_keys=True)
        for p, v, o in pairs.itertuples(index=False)
    ]
    pairs = pairs.assign(settings_key=keys)
    merged = frame[["pathway", "pathway_version", "organisation_id"]].merge(
        pairs, on=["pathway", "pathway_version", "organisation_id"], how="left"
    )
    return pd.Series(merged["settings_key"].to_numpy(), index=frame.index)


def nominal(starts: pd.DataFrame, definition_of: Callable[[str, int], Definition]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per distinct KEYS: (nominal end, hours target total); and the nominal review slots."""
    ends: list[tuple[Any, ...]] = []  # rows of the frame below; NaT where no end can be computed
    slots = []
    for pathway, version, key, start in starts[KEYS].drop_duplicates().itertuples(index=False):
        definition = definition_of(pathway, int(version))
        resolved = json.loads(key)
        day = start.date()
        try:
            end = duration_end(definition, day, resolved)
        except (OverflowError, ValueError):  # a start stored before dates were checked: no end, no slots
            ends.append((pathway, version, key, start, pd.NaT, float("nan")))
            continue
        ends.append((pathway, version, key, start, pd.Timestamp(end), hours_target(definition, day, resolved)))
        schedule = pick_schedule(definition, day, resolved)
        if schedule is not None:
            for slot, _, due in nominal_reviews(schedule, day, end):
                slots.append((pathway, version, key, start, slot, pd.Timestamp(due)))
    return (
        pd.DataFrame(ends, columns=[*KEYS, "nominal_end", "hours_target_total"]),
        pd.DataFrame(slots, columns=[*KEYS, "slot", "nominal_due"]),
    )
