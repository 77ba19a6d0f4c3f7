"""The report page's charts, drawn once per organisation, filters, as-of date and last change to the data.

Drawing is most of a cold report page's time; the report's own numbers are quick to rebuild. Every
write leaves an audit event, so the newest audit event of the organisation (leaving out sign-ins,
notifications, tokens and downloads, which change nothing the report counts) marks the last change.
The cache is per process: each gunicorn worker draws a chart once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import func, not_, or_, select

from app.extensions import db
from app.models import AuditEvent
from app.services.catalogue import catalogue
from reports import charts
from reports.report import Report

CACHE_SIZE = 64
NOT_DATA = ("auth.", "notification.", "api_token.", "report.", "outbox.", "transfer.exported", "review.link_issued")


@dataclass(frozen=True)
class Chart:
    name: str
    image: str  # an SVG data URI (the page's CSP allows images from data:, not inline styles)
    summary: str
    table: pd.DataFrame


_drawn: OrderedDict[tuple, dict[str, str]] = OrderedDict()
_lock = threading.Lock()


def titles() -> dict[str, str]:
    """Every programme key's title, for what people read; the downloads keep the keys."""
    return {key: catalogue().latest(key).title for key in catalogue().keys()}


def last_change(organisation_id: int) -> int:
    """The id of the organisation's newest audit event that records a change to its data."""
    quiet = or_(*(AuditEvent.action.startswith(prefix) for prefix in NOT_DATA))
    newest = select(func.max(AuditEvent.id)).where(AuditEvent.organisation_id == organisation_id, not_(quiet))
    return db.session.scalar(newest) or 0


def page_charts(organisation_id: int, report: Report) -> list[Chart]:
    """The report's charts with their summaries and numbers, each image drawn at most once per data version."""
    names = titles()
    tables = charts.tables(report.views["cohort"], report.per_enrolment, report.as_of, names)
    key = (
        organisation_id,
        tuple(sorted(report.filters.describe().items())),
        report.as_of,
        last_change(organisation_id),
    )
    with _lock:
        images = _drawn.get(key)
        if images is not None:
            _drawn.move_to_end(key)
    if images is None:
        images = {name: charts.svg_data_uri(charts.DRAW[name](table)) for name, table in tables.items()}
        with _lock:
            _drawn[key] = images
            while len(_drawn) > CACHE_SIZE:
                _drawn.popitem(last=False)
    return [
        Chart(name, images[name], charts.SUMMARY[name](table), _shown(name, table)) for name, table in tables.items()
    ]


def _shown(name: str, table: pd.DataFrame) -> pd.DataFrame:
    """The chart's numbers as the page writes them: shares as percentages, hours to one decimal."""
    out = table.copy()
    for column in out.columns:
        if pd.api.types.is_float_dtype(out[column]):
            pattern = "{:.0%}" if name == "Completion over time" else "{:,.1f}"
            out[column] = [pattern.format(v) for v in out[column]]
        elif pd.api.types.is_integer_dtype(out[column]):
            out[column] = [f"{v:,}" for v in out[column]]
    return out


def forget_all() -> None:
    """Drop every drawn chart (a benchmark's cold start; tests that count drawings)."""
    with _lock:
        _drawn.clear()
