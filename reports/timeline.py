"""Replay transition events to a state on the as-of date, vectorised over every enrolment.

Holds are paired by ``pathways.timeline.replay``, the rule the engine's facts use too; the rest
mirrors the engine's clock (``pathways.schedule``): an open hold counts up to the as-of date, and
holds are clipped to the programme clock's start.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from pathways.timeline import TransitionRecord, replay

DAY = np.timedelta64(1, "D")


def current(enrolments: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """Stage and state on the as-of date (events are already those effective by then)."""
    ordered = events.sort_values(["enrolment_id", "effective_on", "id"])
    last = ordered.groupby("enrolment_id", sort=False).tail(1).set_index("enrolment_id")
    done = ordered[ordered["to_state"] == "completed"].groupby("enrolment_id")["effective_on"].max()
    out = pd.DataFrame(index=enrolments["id"].to_numpy())
    out["stage"] = last["to_stage"].reindex(out.index).fillna(enrolments.set_index("id")["first_stage"])
    out["state"] = last["to_state"].reindex(out.index).fillna("active")
    out["completed_on"] = done.reindex(out.index)
    return out


def clock_starts(enrolments: pd.DataFrame, events: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """When each programme clock started, and whether it has (a clock stage may not be reached yet)."""
    frame = enrolments.set_index("id")[["start_date", "clock_stage", "clock_stage_index", "stage_index"]]
    start = frame["start_date"].copy()
    started = pd.Series(True, index=frame.index)
    staged = frame[frame["clock_stage"].notna()]
    if not staged.empty:
        entries = events[events["action"].isin(("enrol", "advance")) & events["enrolment_id"].isin(staged.index)]
        entries = entries.merge(staged[["clock_stage"]], left_on="enrolment_id", right_index=True)
        entries = entries[entries["to_stage"] == entries["clock_stage"]].sort_values(["effective_on", "id"])
        reached = entries.groupby("enrolment_id")["effective_on"].last().reindex(staged.index)
        past = staged["stage_index"] > staged["clock_stage_index"]
        has = reached.notna() | past
        waiting = np.maximum(staged["start_date"], pd.Timestamp(as_of))  # type: ignore[call-overload]  # stubs lack Series, Timestamp
        start.loc[staged.index] = reached.where(reached.notna(), waiting)
        started.loc[staged.index] = has
    return pd.DataFrame({"clock_start": start, "clock_started": started})


def holds(events: pd.DataFrame, clocks: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """One row per hold: enrolment_id, begin (clipped to the clock start) and days (open ones to as_of)."""
    pairs = _paired(events)
    as_of_ts = pd.Timestamp(as_of)
    open_ = pairs["effective_on_end"].isna()
    latest = np.maximum(pairs["effective_on"], as_of_ts)  # type: ignore[call-overload]  # stubs lack Series, Timestamp
    end = pairs["effective_on_end"].where(~open_, latest)
    begin = np.maximum(pairs["effective_on"], clocks["clock_start"].reindex(pairs["enrolment_id"]).to_numpy())
    days = ((end - begin) / DAY).astype("int64")
    keep = (days > 0) | open_
    out = pd.DataFrame({"enrolment_id": pairs["enrolment_id"], "begin": begin, "days": days.clip(lower=0)})[keep]
    return out.sort_values(["enrolment_id", "begin"]).reset_index(drop=True)


def _paired(events: pd.DataFrame) -> pd.DataFrame:
    """(enrolment_id, effective_on, effective_on_end) per hold, paired by ``replay`` in recorded order.

    Only enrolments with a hold are replayed, one Python call each: few enrolments are ever held.
    """
    held = events[events["action"].isin(("hold", "resume"))].sort_values("id")
    rows = []
    for enrolment_id, history in held.groupby("enrolment_id", sort=False):
        records = (
            TransitionRecord(action, "", on.date())
            for action, on in zip(history["action"], history["effective_on"], strict=True)
        )
        for hold in replay(records).holds:
            rows.append((enrolment_id, hold.start, hold.end))
    pairs = pd.DataFrame(rows, columns=["enrolment_id", "effective_on", "effective_on_end"])
    pairs["effective_on"] = pd.to_datetime(pairs["effective_on"]).astype("datetime64[s]")
    pairs["effective_on_end"] = pd.to_datetime(pairs["effective_on_end"]).astype("datetime64[s]")
    return pairs


def days_on_hold(held: pd.DataFrame, until: pd.Series) -> pd.Series:
    """Days held up to ``until`` (per enrolment id), as ``Clock.days_on_hold``."""
    limit = until.reindex(held["enrolment_id"]).to_numpy()
    end = np.minimum(held["begin"] + pd.to_timedelta(held["days"], unit="D"), limit)
    days = ((end - held["begin"]) / DAY).fillna(0).clip(lower=0)
    return days.groupby(held["enrolment_id"].to_numpy()).sum().reindex(until.index, fill_value=0).astype("int64")


def shift(nominal: pd.Series, owners: pd.Series, held: pd.DataFrame) -> pd.Series:
    """Move nominal dates by each hold that began on or before them, in order (``Clock.shift``)."""
    moved = nominal.copy()
    if held.empty:
        return moved
    ranked = held.assign(k=held.groupby("enrolment_id").cumcount())
    for _, layer in ranked.groupby("k"):
        layer = layer.set_index("enrolment_id")
        begin = layer["begin"].reindex(owners).to_numpy()
        days = layer["days"].reindex(owners).fillna(0).to_numpy(dtype="int64")
        hit = pd.notna(begin) & (begin <= moved.to_numpy())
        moved = moved + pd.to_timedelta(np.where(hit, days, 0), unit="D")
    return moved


def extended(expected: pd.Series, extensions: pd.DataFrame, held: pd.DataFrame) -> pd.Series:
    """The later of the shifted end and each agreed new end, moved by holds begun after it was agreed."""
    if extensions.empty:
        return expected
    ext = extensions.reset_index(drop=True)
    new_end = ext["new_end"].copy()
    ranked = held.assign(k=held.groupby("enrolment_id").cumcount())
    for _, layer in ranked.groupby("k"):
        layer = layer.set_index("enrolment_id")
        begin = layer["begin"].reindex(ext["enrolment_id"]).to_numpy()
        days = layer["days"].reindex(ext["enrolment_id"]).fillna(0).to_numpy(dtype="int64")
        hit = pd.notna(begin) & (begin >= ext["effective_on"].to_numpy()) & (begin <= new_end.to_numpy())
        new_end = new_end + pd.to_timedelta(np.where(hit, days, 0), unit="D")
    latest = new_end.groupby(ext["enrolment_id"].to_numpy()).max().reindex(expected.index)
    return expected.where(latest.isna() | (latest <= expected), latest)
