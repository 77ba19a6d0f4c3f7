"""Charts with matplotlib's object API (``Figure``), never ``pyplot``: safe in a web process.

Each chart is drawn from its table in ``reports.chart_data`` on a fixed layout: margins are set in
inches rather than worked out by constrained layout, which measured twice as slow (text extents).
"""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping
from datetime import date

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from reports import chart_data

# Text in SVG as text, not glyph outlines: a third of the size, several times faster, and readable by
# assistive technology. Set once at import (no pyplot, no per-request global state changes).
matplotlib.rcParams["svg.fonttype"] = "none"

NHS_BLUE, DARK, GREEN, GREY, WARM = "#005EB8", "#003087", "#009639", "#768692", "#ED8B00"
WIDTH = 9.0  # inches
LABELS = 3.1  # inches left of a bar chart's axes, for labels of up to 40 characters


def _figure(
    height: float, left: float, right: float = 0.25, top: float = 0.8, bottom: float = 0.6
) -> tuple[Figure, Axes]:
    """A figure whose axes sit at fixed margins (inches), so no layout engine runs."""
    figure = Figure(figsize=(WIDTH, height))
    axes = figure.add_axes((left / WIDTH, bottom / height, 1 - (left + right) / WIDTH, 1 - (top + bottom) / height))
    return figure, axes


def funnel(table: pd.DataFrame) -> Figure:
    """Per cohort (newest at the top): enrolled, still in or completed, completed, completed on time."""
    rows = table.iloc[::-1]
    figure, axes = _figure(0.55 * max(len(rows), 3) + 1.4, LABELS)
    y = np.arange(len(rows))
    height = 0.2
    for n, (name, colour) in enumerate(zip(chart_data.FUNNEL, [GREY, NHS_BLUE, GREEN, DARK], strict=True)):
        axes.barh(y + (1.5 - n) * height, rows[name], height, label=name, color=colour)
    axes.set_yticks(y, [_short(str(name)) for name in rows["Cohort"]])
    axes.set_xlabel("Learners")
    axes.set_title("Completion funnel by cohort", loc="left", pad=24)
    axes.legend(loc="lower left", bbox_to_anchor=(0, 1), ncols=4, fontsize="small", frameon=False, borderaxespad=0)
    return figure


def completion_curve(table: pd.DataFrame) -> Figure:
    """Share completed (solid) and expected (dashed) by months since start, one colour per programme."""
    figure, axes = _figure(4.8, 0.9, right=3.1, top=0.5)
    for (programme, group), colour in zip(table.groupby("Programme", sort=False), [NHS_BLUE, GREEN, WARM, DARK],
                                          strict=False):  # fmt: skip
        axes.plot(group["Months since start"], group["Completed"], color=colour, label=_short(f"{programme}", 34))
        axes.plot(group["Months since start"], group["Expected"], color=colour, linestyle="--")
    axes.plot([], [], color=GREY, label="Completed (solid)")
    axes.plot([], [], color=GREY, linestyle="--", label="Expected (dashed)")
    axes.set_xlabel("Months since start")
    axes.set_ylabel("Share of learners who started that long ago")
    axes.yaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    axes.set_ylim(0, 1.02)
    axes.set_title("Completion over time against the expected curve", loc="left")
    axes.legend(loc="upper left", bbox_to_anchor=(1.02, 1), fontsize="small", frameon=False, borderaxespad=0)
    return figure


def hours_by_site(table: pd.DataFrame) -> Figure:
    """Hours logged by active learners against their target to date, per site."""
    figure, axes = _figure(0.5 * max(len(table), 3) + 1.4, LABELS)
    y = np.arange(len(table))
    axes.barh(y + 0.2, table["Hours logged"], 0.4, label="Hours logged", color=NHS_BLUE)
    axes.barh(y - 0.2, table["Target to date"], 0.4, label="Target to date", color=GREY)
    axes.set_yticks(y, [_short(str(site)) for site in table["Site"]])
    axes.set_xlabel("Hours (active learners)")
    axes.set_title("Hours logged against target by site", loc="left", pad=24)
    axes.legend(loc="lower left", bbox_to_anchor=(0, 1), ncols=2, fontsize="small", frameon=False, borderaxespad=0)
    return figure


def _short(label: str, limit: int = 40) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def tables(cohorts: pd.DataFrame, per: pd.DataFrame, as_of: date, titles: Mapping[str, str]) -> dict[str, pd.DataFrame]:
    """Each chart's numbers, by the chart's name."""
    return {
        "Completion funnel": chart_data.funnel(cohorts),
        "Completion over time": chart_data.completion_curve(per, as_of, titles),
        "Hours by site": chart_data.hours_by_site(per),
    }


DRAW = {"Completion funnel": funnel, "Completion over time": completion_curve, "Hours by site": hours_by_site}
SUMMARY = {
    "Completion funnel": chart_data.funnel_summary,
    "Completion over time": chart_data.curve_summary,
    "Hours by site": chart_data.hours_summary,
}


def all_charts(cohorts: pd.DataFrame, per: pd.DataFrame, as_of: date, titles: Mapping[str, str]) -> dict[str, Figure]:
    return {name: DRAW[name](table) for name, table in tables(cohorts, per, as_of, titles).items()}


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
