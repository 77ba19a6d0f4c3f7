"""What each chart shows, as a small table, and its summary in words: the chart is drawn from the same table.

DataFrames in and out; programme keys become titles through the ``titles`` mapping the caller gives.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import numpy as np
import pandas as pd

MAX_COHORTS = 12
MAX_PROGRAMMES = 4
MONTH = 30.44  # days
FUNNEL = ["Enrolled", "Not withdrawn", "Completed", "Completed on time"]


def funnel(cohorts: pd.DataFrame) -> pd.DataFrame:
    """The most recent cohorts, newest first: enrolled, not withdrawn, completed, completed on time."""
    rows = cohorts.sort_values("cohort_start", ascending=False, kind="stable").head(MAX_COHORTS)
    return pd.DataFrame(
        {
            "Cohort": rows["cohort"].astype(str).to_numpy(),
            "Enrolled": rows["enrolled"].astype("int64").to_numpy(),
            "Not withdrawn": (rows["enrolled"] - rows["withdrawn"]).astype("int64").to_numpy(),
            "Completed": rows["completed"].astype("int64").to_numpy(),
            "Completed on time": rows["completed_on_time"].astype("int64").to_numpy(),
        }
    )


def funnel_summary(table: pd.DataFrame) -> str:
    if table.empty:
        return "No cohorts match these filters."
    enrolled, withdrawn = int(table["Enrolled"].sum()), int((table["Enrolled"] - table["Not withdrawn"]).sum())
    completed, on_time = int(table["Completed"].sum()), int(table["Completed on time"].sum())
    return (
        f"Across the {_plural(len(table), 'most recent cohort')}, {_plural(enrolled, 'learner')} enrolled: "
        f"{completed} completed, {on_time} of them on time, and {withdrawn} withdrew."
    )


def completion_curve(per: pd.DataFrame, as_of: date, titles: Mapping[str, str]) -> pd.DataFrame:
    """Share completed by months since start, against the share whose expected end had passed, per programme.

    At each month only learners who started at least that long before the as-of date count, so
    recent intakes do not drag the curve down before they could have finished. Columns: Programme,
    Months since start, Learners (who started that long ago), Completed, Expected (shares, 0 to 1).
    """
    rows: list[tuple[str, int, int, float, float]] = []
    pathways = per["pathway"].value_counts().index[:MAX_PROGRAMMES].tolist() if not per.empty else []
    for pathway in pathways:
        group = per[per["pathway"] == pathway]
        elapsed = ((pd.Timestamp(as_of) - group["start_date"]).dt.days / MONTH).to_numpy()
        done = ((group["completed_on"] - group["start_date"]).dt.days / MONTH).to_numpy()
        due = ((group["expected_end"] - group["start_date"]).dt.days / MONTH).to_numpy()
        for month in range(int(max(np.nanmax(elapsed), 0)) + 1):
            seen = elapsed >= month
            n = int(seen.sum())
            if n:
                rows.append((titles.get(pathway, pathway), month, n, float(((done <= month) & seen).sum() / n),
                             float(((due <= month) & seen).sum() / n)))  # fmt: skip
    return pd.DataFrame(rows, columns=["Programme", "Months since start", "Learners", "Completed", "Expected"])


def curve_summary(table: pd.DataFrame) -> str:
    if table.empty:
        return "No learners match these filters."
    parts = []
    for programme, group in table.groupby("Programme", sort=False):
        last = group.iloc[-1]
        parts.append(
            f"{programme}: {int(last['Months since start'])} months after starting, {last['Completed']:.0%} of "
            f"{_plural(int(last['Learners']), 'learner')} had completed, against {last['Expected']:.0%} expected."
        )
    return " ".join(parts)


def hours_by_site(per: pd.DataFrame) -> pd.DataFrame:
    """Hours logged by active learners against their target to date, per site."""
    active = per[per["state"] == "active"] if not per.empty else per
    if active.empty:
        return pd.DataFrame({"Site": pd.Series(dtype=str), "Hours logged": [], "Target to date": []})
    sums = (
        active.groupby(active["site"].astype(object).fillna("No site"))[["hours_logged", "hours_target"]].sum().round(1)
    )
    return pd.DataFrame(
        {
            "Site": sums.index.astype(str),
            "Hours logged": sums["hours_logged"].to_numpy(),
            "Target to date": sums["hours_target"].to_numpy(),
        }  # fmt: skip
    )


def hours_summary(table: pd.DataFrame) -> str:
    if table.empty:
        return "No active learners match these filters."
    logged, target = float(table["Hours logged"].sum()), float(table["Target to date"].sum())
    behind = table[table["Hours logged"] < table["Target to date"]]["Site"].tolist()
    tail = f"; behind at {_listed(behind)}" if behind else "; no site is behind"
    return (
        f"Active learners logged {logged:,.0f} hours against a target to date of {target:,.0f} hours"
        f" across {_plural(len(table), 'site')}{tail}."
    )


def programme_summary(per: pd.DataFrame, titles: Mapping[str, str]) -> pd.DataFrame:
    """One row per programme: enrolled, active, completed on time, overdue reviews."""
    columns = ["enrolled", "active", "completed", "completed_on_time", "overdue_reviews"]
    if per.empty:
        return pd.DataFrame(columns=["pathway", "Programme", *columns])
    out = per.groupby("pathway", sort=False)[columns].sum().astype("int64").reset_index()
    out.insert(1, "Programme", [titles.get(key, key) for key in out["pathway"]])
    return out.sort_values("Programme", kind="stable").reset_index(drop=True)


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
