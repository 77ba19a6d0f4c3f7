"""The report page's numbers and charts, worked out once per organisation, filters, as-of date and last change.

Building the report and drawing its charts is nearly all of a cold page's time, and both depend only
on the organisation's data, the filters and the as-of date. Every write leaves an audit event, so
the organisation's newest audit event (leaving out sign-ins, notifications, tokens and downloads,
which change nothing the report counts) marks the last change. Only the page's small tables are
kept, never the per-enrolment frame. The cache is per process: each gunicorn worker builds a page once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import func, not_, or_, select

from app.extensions import db
from app.models import AuditEvent, User
from app.services import reports
from reports import chart_data, charts
from reports.frames import Filters

CACHE_SIZE = 32
NOT_DATA = ("auth.", "notification.", "api_token.", "report.", "outbox.", "transfer.exported", "review.link_issued")


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


_built: OrderedDict[tuple, ReportPage] = OrderedDict()
_lock = threading.Lock()


def last_change(organisation_id: int) -> int:
    """The id of the organisation's newest audit event that records a change to its data."""
    quiet = or_(*(AuditEvent.action.startswith(prefix) for prefix in NOT_DATA))
    newest = select(func.max(AuditEvent.id)).where(AuditEvent.organisation_id == organisation_id, not_(quiet))
    return db.session.scalar(newest) or 0


def report_page(actor: User, as_of: date, filters: Filters) -> ReportPage:
    """The page for the actor's organisation; refused as ``reports.cohort_report`` refuses."""
    own = reports.checked_filters(actor, filters)
    key = (actor.organisation_id, tuple(sorted(own.describe().items())), as_of, last_change(actor.organisation_id))
    with _lock:
        page = _built.get(key)
        if page is not None:
            _built.move_to_end(key)
            return page
    report = reports.any_report(as_of, own)
    names = reports.titles()
    tables = charts.tables(report.views["cohort"], report.per_enrolment, as_of, names)
    images = draw(tables)
    shown = [Chart(name, images[name], charts.SUMMARY[name](t), _shown(name, t)) for name, t in tables.items()]
    page = ReportPage(as_of, own, report.views, chart_data.programme_summary(report.per_enrolment, names), shown)
    with _lock:
        _built[key] = page
        while len(_built) > CACHE_SIZE:
            _built.popitem(last=False)
    return page


def draw(tables: dict[str, pd.DataFrame]) -> dict[str, str]:
    """Each chart as an SVG data URI."""
    return {name: charts.svg_data_uri(charts.DRAW[name](table)) for name, table in tables.items()}


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
    """Drop every page built (a benchmark's cold start; tests that count drawings)."""
    with _lock:
        _built.clear()
