"""Charts with matplotlib's object API (``Figure``), never ``pyplot``: safe in a web process."""

from __future__ import annotations

import base64
import io
from datetime import date

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

# Text in SVG as text, not glyph outlines: a third of the size, several times faster, and readable by
# assistive technology. Set once at import (no pyplot, no per-request global state changes).
matplotlib.rcParams["svg.fonttype"] = "none"

NHS_BLUE, DARK, GREEN, GREY, WARM = "#005EB8", "#003087", "#009639", "#768692", "#ED8B00"
MAX_COHORTS = 12
MONTH = 30.44  # days


def funnel(cohorts: pd.DataFrame) -> Figure:
    """Per cohort: enrolled, still in or completed, completed, completed on time."""
    rows = cohorts.sort_values("cohort_start", ascending=False).head(MAX_COHORTS).iloc[::-1]
    labels = [_short(str(name)) for name in rows["cohort"]]  # cohort names are unique in an organisation
    stages = [
        ("Enrolled", rows["enrolled"], GREY),
        ("Not withdrawn", rows["enrolled"] - rows["withdrawn"], NHS_BLUE),
        ("Completed", rows["completed"], GREEN),
        ("Completed on time", rows["completed_on_time"], DARK),
    ]
    figure = Figure(figsize=(9, 0.55 * max(len(rows), 3) + 1.6), layout="constrained")
    axes = figure.subplots()
    y = np.arange(len(rows))
    height = 0.2
    for n, (name, values, colour) in enumerate(stages):
        axes.barh(y + (1.5 - n) * height, values, height, label=name, color=colour)
    axes.set_yticks(y, labels)
    axes.set_xlabel("Learners")
    axes.set_title("Completion funnel by cohort")
    axes.legend(loc="lower right", fontsize="small")
    return figure


def completion_curve(per: pd.DataFrame, as_of: date) -> Figure:
    """Share completed by months since start, against the share whose expected end had passed.

    At each month only learners who started at least that long before the as-of date count, so
    recent intakes do not drag the curve down before they could have finished.
    """
    figure = Figure(figsize=(9, 4.5), layout="constrained")
    axes = figure.subplots()
    pathways = per["pathway"].value_counts().index[:4].tolist() if not per.empty else []
    for pathway, colour in zip(pathways, [NHS_BLUE, GREEN, WARM, DARK], strict=False):
        group = per[per["pathway"] == pathway]
        elapsed = (pd.Timestamp(as_of) - group["start_date"]).dt.days / MONTH
        done = (group["completed_on"] - group["start_date"]).dt.days / MONTH
        due = (group["expected_end"] - group["start_date"]).dt.days / MONTH
        months = np.arange(0, int(max(elapsed.max(), 0)) + 1)
        seen = [max((elapsed >= m).sum(), 1) for m in months]
        actual = [((done <= m) & (elapsed >= m)).sum() / n for m, n in zip(months, seen, strict=True)]
        expected = [((due <= m) & (elapsed >= m)).sum() / n for m, n in zip(months, seen, strict=True)]
        axes.plot(months, actual, color=colour, label=f"{pathway}: completed")
        axes.plot(months, expected, color=colour, linestyle="--", label=f"{pathway}: expected")
    axes.set_xlabel("Months since start")
    axes.set_ylabel("Share of learners who started that long ago")
    axes.yaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    axes.set_ylim(0, 1.02)
    axes.set_title("Completion over time against the programme's expected curve")
    if len(pathways):
        axes.legend(fontsize="small", ncols=2)
    return figure


def hours_by_site(per: pd.DataFrame) -> Figure:
    """Hours logged by active learners against their target to date, per site."""
    active = per[per["state"] == "active"]
    sums = active.groupby(active["site"].fillna("No site"))[["hours_logged", "hours_target"]].sum()
    figure = Figure(figsize=(9, 0.5 * max(len(sums), 3) + 1.6), layout="constrained")
    axes = figure.subplots()
    y = np.arange(len(sums))
    axes.barh(y + 0.2, sums["hours_logged"], 0.4, label="Hours logged", color=NHS_BLUE)
    axes.barh(y - 0.2, sums["hours_target"], 0.4, label="Target to date", color=GREY)
    axes.set_yticks(y, [_short(str(site)) for site in sums.index])
    axes.set_xlabel("Hours (active learners)")
    axes.set_title("Hours logged against target by site")
    axes.legend(loc="lower right", fontsize="small")
    return figure


def _short(label: str, limit: int = 40) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def all_charts(cohorts: pd.DataFrame, per: pd.DataFrame, as_of: date) -> dict[str, Figure]:
    return {
        "Completion funnel": funnel(cohorts),
        "Completion over time": completion_curve(per, as_of),
        "Hours by site": hours_by_site(per),
    }


def svg(figure: Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg")
    text = buffer.getvalue()
    return text[text.index("<svg") :]  # drop the XML prologue and doctype: it goes inline in a page


def png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110)
    return buffer.getvalue()


def svg_data_uri(figure: Figure) -> str:
    """The SVG as an image source: the page's Content-Security-Policy forbids inline styles, which an inline
    matplotlib SVG needs, but an SVG loaded as an image keeps them to itself."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg(figure).encode("utf-8")).decode("ascii")
