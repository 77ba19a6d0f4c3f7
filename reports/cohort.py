"""The cohort completion report (docs/CONTRACT.md), DataFrames in and DataFrames out.

``measures`` works out each enrolment's standing on the as-of date; ``build`` sums them per
organisation × pathway × version × cohort, and per site, profession and stage.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from pathways import Definition
from reports import plan, timeline

COLUMNS = [
    "organisation", "pathway", "pathway_version", "cohort", "cohort_start", "enrolled", "active", "on_hold",
    "completed", "withdrawn", "completion_rate", "completed_on_time", "on_time_rate", "median_days_to_complete",
    "overdue_reviews", "hours_logged", "hours_target", "preceptor_overrides",
]  # fmt: skip
MEASURES = COLUMNS[5:]
BREAKDOWNS = {"site": "site", "profession": "profession", "stage": "stage"}
COHORT_KEYS = ["organisation", "pathway", "pathway_version", "cohort", "cohort_start"]


@dataclass
class Frames:
    """What the edge reads: one frame per table (already limited to the as-of date and the filters)."""

    as_of: date
    enrolments: pd.DataFrame  # id, settings_version_id, organisation, pathway, pathway_version, cohort, cohort_start,
    #                           site, profession, start_date, contracted_hours, prior_learning_hours
    cohorts: pd.DataFrame  # organisation, pathway, cohort, cohort_start (every cohort in scope, empty ones too)
    events: pd.DataFrame  # id, enrolment_id, action, to_stage, to_state, effective_on, new_end
    reviews: pd.DataFrame  # enrolment_id, slot (held on or before as_of, not since corrected)
    hours: pd.DataFrame  # enrolment_id, hours (protected learning and off-the-job, worked on or before as_of)
    settings: Mapping[int | None, Mapping[str, Any]] = field(default_factory=dict)  # choices by settings version
    # enrolment_id: enrolments with a preceptor assigned by a lead's override on or before as_of
    overrides: pd.DataFrame = field(default_factory=lambda: pd.DataFrame({"enrolment_id": pd.Series(dtype="int64")}))


def _stage_facts(frame: pd.DataFrame, definition_of: Callable[[str, int], Definition]) -> pd.DataFrame:
    pairs = frame[["pathway", "pathway_version"]].drop_duplicates()
    rows = []
    for pathway, version in pairs.itertuples(index=False):
        d = definition_of(pathway, int(version))
        clock_index = d.stage_index(d.clock_stage) if d.clock_stage else -1
        rows.append((pathway, version, d.stages[0].key, d.clock_stage, clock_index))
    info = pd.DataFrame(rows, columns=["pathway", "pathway_version", "first_stage", "clock_stage", "clock_stage_index"])
    return frame.merge(info, on=["pathway", "pathway_version"], how="left")


def measures(frames: Frames, definition_of: Callable[[str, int], Definition]) -> pd.DataFrame:
    """One row per enrolment: state on the as-of date and its share of every measure."""
    as_of = pd.Timestamp(frames.as_of)
    e = _stage_facts(frames.enrolments, definition_of)
    if e.empty:
        return e.assign(**{m: pd.Series(dtype="float64") for m in [*MEASURES, "stage", "state"]})
    now = timeline.current(e, frames.events)
    e = e.join(now, on="id")
    stages = pd.DataFrame(
        [(p, v, s.key, i) for p, v in e[["pathway", "pathway_version"]].drop_duplicates().itertuples(index=False)
         for i, s in enumerate(definition_of(p, int(v)).stages)],
        columns=["pathway", "pathway_version", "stage", "stage_index"],
    )  # fmt: skip
    e = e.merge(stages, on=["pathway", "pathway_version", "stage"], how="left")
    clocks = timeline.clock_starts(e, frames.events, frames.as_of)
    e = e.join(clocks, on="id")
    held = timeline.holds(frames.events, clocks, frames.as_of)
    e["settings_key"] = plan.settings_keys(e, definition_of, frames.settings)
    ends, slots = plan.nominal(e, definition_of)
    e = e.merge(ends, on=plan.KEYS, how="left").set_index("id", drop=False)
    e["hours_target_total"] = plan.hours_targets(e, definition_of)
    expected = timeline.shift(e["nominal_end"], e["id"], held)
    extensions = frames.events[(frames.events["action"] == "extend") & frames.events["new_end"].notna()]
    e["expected_end"] = timeline.extended(expected, extensions, held)
    e["days_on_hold"] = timeline.days_on_hold(held, pd.Series(as_of, index=e.index))
    until_done = e["completed_on"].fillna(as_of)
    hold_to_done = timeline.days_on_hold(held, until_done)
    for state in ("active", "on_hold", "completed", "withdrawn"):
        e[state] = (e["state"] == state).astype("int64")
    e["enrolled"] = 1
    e["completed_on_time"] = (e["completed"].astype(bool) & (e["completed_on"] <= e["expected_end"])).astype("int64")
    # pandas-stubs have no Series / numpy.timedelta64 (pandas divides them, giving days as floats)
    e["days_to_complete"] = ((e["completed_on"] - e["start_date"]) / timeline.DAY - hold_to_done).where(  # type: ignore[operator]
        e["completed"].astype(bool)
    )
    e["overdue_reviews"] = _overdue(e, slots, held, frames.reviews, as_of)
    e["hours_logged"] = frames.hours.groupby("enrolment_id")["hours"].sum().reindex(e.index, fill_value=0.0)
    e["hours_target"] = _target_to_date(e, as_of).where(e["state"] == "active", 0.0)
    e["preceptor_overrides"] = e["id"].isin(frames.overrides["enrolment_id"]).astype("int64")
    return e.reset_index(drop=True)


def _overdue(e: pd.DataFrame, slots: pd.DataFrame, held: pd.DataFrame, reviews: pd.DataFrame, as_of) -> pd.Series:
    """Review slots due before the as-of date and not held, for active and on-hold enrolments with a running clock."""
    live = e[e["state"].isin(("active", "on_hold")) & e["clock_started"]][["id", *plan.KEYS]]
    if live.empty or slots.empty:  # an empty slots frame has untyped columns, which pandas refuses to merge on
        return pd.Series(0, index=e.index)
    due = live.merge(slots, on=plan.KEYS, how="inner")
    if due.empty:
        return pd.Series(0, index=e.index)
    due["due"] = timeline.shift(due["nominal_due"], due["id"], held).to_numpy()
    done = reviews.drop_duplicates(["enrolment_id", "slot"]).assign(held=True)
    due = due.merge(done, left_on=["id", "slot"], right_on=["enrolment_id", "slot"], how="left")
    overdue = due[(due["due"] < as_of) & due["held"].isna()]
    return overdue.groupby("id").size().reindex(e.index, fill_value=0)


def _target_to_date(e: pd.DataFrame, as_of: pd.Timestamp) -> pd.Series:
    """The engine's hours target to date: the total pro rata to clock days run, to one decimal."""
    # pandas-stubs have no Series / numpy.timedelta64 (pandas divides them, giving days as floats)
    total_days = (e["nominal_end"] - e["clock_start"]) / timeline.DAY  # type: ignore[operator]
    clock_days = ((as_of - e["clock_start"]) / timeline.DAY - e["days_on_hold"]).where(  # type: ignore[operator]
        e["clock_started"] & (as_of > e["clock_start"]), 0
    )
    share = np.minimum(1.0, clock_days / total_days.where(total_days > 0))
    target = (e["hours_target_total"] * share).where((e["hours_target_total"] > 0) & (total_days > 0), 0.0)
    return target.round(1).fillna(0.0)


def summarise(per: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Sum the measures per group and derive the rates and medians."""
    counts = ["enrolled", "active", "on_hold", "completed", "withdrawn", "completed_on_time", "overdue_reviews",
              "preceptor_overrides"]  # fmt: skip
    grouped = per.groupby(keys, dropna=False, sort=True)
    out = grouped[counts].sum().astype("int64")
    out["hours_logged"] = grouped["hours_logged"].sum().round(2)
    out["hours_target"] = grouped["hours_target"].sum().round(1)
    out["median_days_to_complete"] = grouped["days_to_complete"].median()
    out = out.reset_index()
    out["completion_rate"] = (out["completed"] / out["enrolled"]).round(3)
    out["on_time_rate"] = (out["completed_on_time"] / out["completed"].where(out["completed"] > 0)).round(3)
    return out


def build(
    frames: Frames, definition_of: Callable[[str, int], Definition], per: pd.DataFrame | None = None
) -> dict[str, pd.DataFrame]:
    """The report: the ``cohort`` view and its ``site``, ``profession`` and ``stage`` breakdowns."""
    per = measures(frames, definition_of) if per is None else per
    cohorts = summarise(per, COHORT_KEYS) if not per.empty else pd.DataFrame(columns=COHORT_KEYS)
    empty = frames.cohorts.merge(per[["organisation", "pathway", "cohort"]].drop_duplicates(), how="left",
                                 on=["organisation", "pathway", "cohort"], indicator=True)  # fmt: skip
    empty = empty[empty["_merge"] == "left_only"].drop(columns="_merge")
    if not empty.empty:
        # pandas-stubs leave NAType out of what assign takes; pandas takes it
        zeros = empty.assign(pathway_version=pd.NA, completion_rate=np.nan, hours_logged=0.0, hours_target=0.0,  # type: ignore[arg-type]
                             **{c: 0 for c in MEASURES if c not in ("completion_rate", "on_time_rate",
                                "median_days_to_complete", "hours_logged", "hours_target")})  # fmt: skip
        cohorts = pd.concat([cohorts, zeros], ignore_index=True) if not cohorts.empty else zeros
    views = {"cohort": _order(cohorts.reindex(columns=COLUMNS), ["organisation", "pathway", "cohort_start", "cohort"])}
    for name, column in BREAKDOWNS.items():
        keys = ["organisation", "pathway", column]
        view = summarise(per, keys) if not per.empty else pd.DataFrame(columns=keys)
        views[name] = _order(view.reindex(columns=[*keys, *MEASURES]), keys)
    return views


def _order(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    return frame.sort_values(keys, kind="stable").reset_index(drop=True)
