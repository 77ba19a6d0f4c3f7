"""The report's views as the page shows them: grouped by programme, titles for keys, numbers the UK way."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pandas as pd

from app.services.catalogue import catalogue
from app.templating import uk_date
from pathways.professions import profession_title

# (column, heading, what it means): "completed" and "completed_on_time" carry their rate beside them,
# "hours_logged" its target to date
MEASURES = [
    ("enrolled", "Enrolled", "Learners enrolled"), ("active", "Active", "Neither completed, withdrawn nor on hold"),
    ("on_hold", "On hold", "On hold on the as-of date"),
    ("completed", "Completed", "Completed, and the share of those enrolled"),
    ("completed_on_time", "On time", "Completed by their expected end, and the share of those completed"),
    ("withdrawn", "Withdrawn", "Withdrawn on or before the as-of date"),
    ("median_days_to_complete", "Median days", "Median days from start to completion, not counting days on hold"),
    ("overdue_reviews", "Overdue reviews", "Reviews due and not yet held"),
    ("hours_logged", "Hours", "Hours logged, against the target to date of active learners"),
    ("preceptor_overrides", "Overrides", "Learners whose preceptor a lead assigned by overriding the rules"),
]  # fmt: skip
VIEWS = {"cohort": ("Cohorts", "Cohort"), "site": ("By site", "Site"), "profession": ("By profession", "Profession"),
         "stage": ("By stage", "Stage")}  # fmt: skip
RATES = {"completed": "completion_rate", "completed_on_time": "on_time_rate"}


@dataclass(frozen=True)
class Row:
    label: str
    detail: str  # under the label: a cohort's start date
    cells: list[str]


@dataclass(frozen=True)
class Section:
    """One programme's rows of a view."""

    programme: str
    rows: list[Row]


@cache
def _stage_titles(pathway: str) -> dict[str, str]:
    return {s.key: s.title for s in catalogue().latest(pathway).stages} if pathway in catalogue().keys() else {}


def programme_title(key: str) -> str:
    return catalogue().latest(key).title if key in catalogue().keys() else key


def label(view: str, row: dict) -> tuple[str, str]:
    value = row[view]
    if view == "cohort":
        return str(value), f"Started {uk_date(row['cohort_start'].date())}" if not pd.isna(row["cohort_start"]) else ""
    if pd.isna(value):
        return ("No site" if view == "site" else "Not recorded"), ""
    if view == "stage":
        return _stage_titles(row["pathway"]).get(str(value), str(value)), ""
    if view == "profession":
        return profession_title(str(value)), ""
    return str(value), ""


def cell(column: str, row: dict) -> str:
    value = row[column]
    if pd.isna(value):
        return "–"
    if column == "hours_logged":
        return f"{float(value):,.0f} of {float(row['hours_target']):,.0f}"
    text = f"{int(value):,}"
    rate = row.get(RATES.get(column, ""))
    return f"{text} ({float(rate):.0%})" if rate is not None and not pd.isna(rate) and int(value) else text


def sections(view: str, frame: pd.DataFrame) -> list[Section]:
    """The view's rows grouped by programme, programmes in title order."""
    grouped: dict[str, list[Row]] = {}
    for row in frame.to_dict("records"):
        shown = label(view, row)
        grouped.setdefault(programme_title(str(row["pathway"])), []).append(
            Row(shown[0], shown[1], [cell(column, row) for column, *_ in MEASURES])
        )
    return [Section(title, rows) for title, rows in sorted(grouped.items())]
