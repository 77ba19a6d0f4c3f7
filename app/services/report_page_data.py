"""The report page's parts, and the JSON they are kept in (``report_page_cache.payload``).

JSON rather than pickle: whoever can write a cache row must not be able to run code in the web
process. Each table keeps its column types (pandas' table schema, then the dtypes as they were; object
columns value by value, a gap read back as ``pd.NA``), so a page read back is the page that was built.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pandas as pd

from reports.frames import Filters

VERSION = 1  # raised when the parts change: an older row is then worked out afresh, never misread


@dataclass(frozen=True)
class Chart:
    name: str
    image: str  # an SVG data URI (the page's CSP allows images from data:, not inline styles)
    summary: str
    table: pd.DataFrame  # the chart's numbers, written as the page shows them


@dataclass(frozen=True)
class ReportPage:
    as_of: date
    filters: Filters
    views: dict[str, pd.DataFrame]  # the report's views (docs/CONTRACT.md), keys as stored
    summary: pd.DataFrame  # one row per programme
    charts: list[Chart]
    built_at: datetime  # when its figures were worked out (UTC)


def _frame_to_json(frame: pd.DataFrame) -> dict[str, Any]:
    """pandas' table schema, the dtypes, and object columns (numbers with gaps: ``pd.NA``) value by value."""
    loose = [c for c, dtype in frame.dtypes.items() if pd.api.types.is_object_dtype(dtype)]
    return {
        "table": frame.drop(columns=loose).to_json(orient="table", date_unit="s"),
        "dtypes": {str(c): str(dtype) for c, dtype in frame.dtypes.items()},
        "objects": {c: [None if pd.isna(v) else getattr(v, "item", lambda v=v: v)() for v in frame[c]] for c in loose},
    }


def _frame_from_json(data: dict[str, Any]) -> pd.DataFrame:
    frame = pd.read_json(io.StringIO(data["table"]), orient="table")
    for column, values in data["objects"].items():
        frame[column] = pd.Series([pd.NA if v is None else v for v in values], index=frame.index, dtype=object)
    return frame[list(data["dtypes"])].astype(data["dtypes"])


def page_to_json(page: ReportPage) -> str:
    return json.dumps({
        "version": VERSION,
        "as_of": page.as_of.isoformat(),
        "filters": page.filters.__dict__,
        "views": {name: _frame_to_json(frame) for name, frame in page.views.items()},
        "summary": _frame_to_json(page.summary),
        "charts": [{"name": c.name, "image": c.image, "summary": c.summary, "table": _frame_to_json(c.table)}
                   for c in page.charts],
        "built_at": page.built_at.isoformat(),
    })  # fmt: skip


def page_from_json(text: str) -> ReportPage | None:
    """The page kept in ``text``; None when it was written by another version of the parts."""
    data = json.loads(text)
    if data.get("version") != VERSION:
        return None
    return ReportPage(
        as_of=date.fromisoformat(data["as_of"]),
        filters=Filters(**data["filters"]),
        views={name: _frame_from_json(frame) for name, frame in data["views"].items()},
        summary=_frame_from_json(data["summary"]),
        charts=[Chart(c["name"], c["image"], c["summary"], _frame_from_json(c["table"])) for c in data["charts"]],
        built_at=datetime.fromisoformat(data["built_at"]),
    )
