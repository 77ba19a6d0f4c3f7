"""The report page's numbers and charts, shared by every worker and machine, worked out again at most every few minutes.

Building the report and drawing its charts is nearly all of a cold page's time, and both depend only
on the organisation's data, the filters and the as-of date. The built page is kept in the database
(``report_page_cache``, one row per organisation, filters and as-of date), so every gunicorn worker
on every machine shares one copy. Every write leaves an audit event, so the organisation's newest
audit event (leaving out sign-ins, notifications, tokens, downloads and refusals, which change nothing
the report counts) marks the last change. The copy is shown while nothing has changed since it was
worked out, or while it is younger than ``REPORT_PAGE_MAX_AGE_SECONDS`` (300): on a working day every
hours save is a change, so without that window every visit would work the page out afresh. The page
says when its figures were worked out.

A visit that finds the copy stale shows it at once and marks its row wanted (``rebuild_requested_at``;
only the first such visit writes). The job worker (``flask jobs work``) works wanted pages out again
between its jobs (``rebuild_wanted``). Working a page out is about 700 ms of CPU (pandas and charts):
in a web worker, even after the response, it held the GIL from the threads serving the pages beside
it. A mark in the row rather than a job in ``background_jobs``: a job audits and notifies the person
who asked, and a cache refresh is nobody's data, so nobody is told and no audit event is left; the mark
also folds every stale visit into one build, and costs the worker one indexed query when nothing is
wanted. One worker at a time works a row out (the lease ``rebuilding_until``, claimed as jobs are); a
build that fails is logged and keeps its lease, so it is tried again once the lease runs out, while
visitors see the copy there is. Only a page never stored (new filters, a new day) is worked out while
its visitor waits. Each process also keeps the pages it last read, so a repeat visit reads one small row.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pandas as pd
from flask import current_app, has_app_context
from sqlalchemy import Row, delete, func, not_, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.extensions import db
from app.models import AuditEvent, ReportPageCache, User
from app.models.base import utcnow
from app.services import reports
from app.services.clock import LONDON
from app.services.report_page_data import Chart, ReportPage, page_from_json, page_to_json
from app.services.row_claims import oldest_unclaimed
from app.services.unit_of_work import unit_of_work
from reports import chart_data, charts
from reports.frames import Filters

__all__ = ["Chart", "ReportPage", "draw", "figures_note", "forget_all", "last_change", "rebuild_wanted", "report_page"]

CACHE_SIZE = 32  # pages each process keeps decoded
LEASE = timedelta(seconds=60)  # how long one worker may take to work a page out before another may
KEEP = timedelta(days=1)  # rows older than this are deleted when the organisation's next page is stored
NOT_DATA = ("auth.", "notification.", "api_token.", "report.", "outbox.", "transfer.exported", "review.link_issued")

_decoded: OrderedDict[tuple[int, datetime], ReportPage] = OrderedDict()
_lock = threading.Lock()


def last_change(organisation_id: int) -> int:
    """The id of the organisation's newest audit event that records a change to its data."""
    quiet = or_(AuditEvent.action.endswith(".refused"), *(AuditEvent.action.startswith(p) for p in NOT_DATA))
    newest = select(func.max(AuditEvent.id)).where(AuditEvent.organisation_id == organisation_id, not_(quiet))
    return db.session.scalar(newest) or 0


def max_age() -> timedelta:
    return timedelta(seconds=current_app.config.get("REPORT_PAGE_MAX_AGE_SECONDS", 300))


def report_page(actor: User, as_of: date, filters: Filters) -> ReportPage:
    """The page for the actor's organisation; refused as ``reports.cohort_report`` refuses."""
    own = reports.checked_filters(actor, filters)
    organisation_id = actor.organisation_id
    described = json.dumps(own.describe(), sort_keys=True)
    changed, now = last_change(organisation_id), utcnow()
    where = (ReportPageCache.organisation_id == organisation_id, ReportPageCache.filters == described,
             ReportPageCache.as_of == as_of)  # fmt: skip
    columns = (ReportPageCache.id, ReportPageCache.changes_upto, ReportPageCache.built_at,
               ReportPageCache.rebuild_requested_at)  # fmt: skip
    row = db.session.execute(select(*columns).where(*where)).first()
    if row is not None and (kept := _read(row.id, _aware(row.built_at))) is not None:
        stale = row.changes_upto < changed and now - _aware(row.built_at) >= max_age()
        if stale and row.rebuild_requested_at is None:
            _request_rebuild(row.id, now)  # the copy now; the new figures once the job worker has stored them
        return kept
    page = _build(as_of, own, now)
    _store(organisation_id, described, as_of, changed, page)
    return page


def rebuild_wanted(most: int | None = None) -> int:
    """Work out again the pages visitors found stale (``most``: how many to try); how many were stored.

    The job worker calls this between jobs, one page at a time, so a queued job waits for one build at most.
    """
    tried = rebuilt = 0
    while most is None or tried < most:
        wanted = _claim_wanted(utcnow())
        if wanted is None:
            break
        tried += 1
        try:
            changed = last_change(wanted.organisation_id)  # read before the data the build reads
            page = _build(wanted.as_of, Filters(**json.loads(wanted.filters)), utcnow())
            _store(wanted.organisation_id, wanted.filters, wanted.as_of, changed, page)
            rebuilt += 1
        except Exception:  # its lease stands: tried again once it runs out, here or by another worker
            db.session.rollback()
            current_app.logger.exception(
                "The report page %s of organisation %s could not be worked out again; it is tried again in %s",
                wanted.id, wanted.organisation_id, LEASE,
            )  # fmt: skip
    return rebuilt


def _aware(moment: datetime) -> datetime:
    """SQLite gives timestamps back without their zone; they were written in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _request_rebuild(row_id: int, now: datetime) -> None:
    """Mark the page wanted by the job worker (nothing is written if another visit marked it first)."""
    with unit_of_work():
        db.session.execute(
            update(ReportPageCache)
            .where(ReportPageCache.id == row_id, ReportPageCache.rebuild_requested_at.is_(None))
            .values(rebuild_requested_at=now)
            .execution_options(synchronize_session=False)
        )


def _claim_wanted(now: datetime) -> Row[Any] | None:
    """Lease the longest-wanted page no worker holds, and commit; None when there is none (as ``jobs.claim``)."""
    table = ReportPageCache.__table__
    free = or_(table.c.rebuilding_until.is_(None), table.c.rebuilding_until < now)
    oldest = (select(table.c.id).where(table.c.rebuild_requested_at.is_not(None), free)
              .order_by(table.c.rebuild_requested_at).limit(1))  # fmt: skip
    db.session.commit()  # a fresh transaction: SQLite's snapshot must not predate the claim
    with unit_of_work():
        if (chosen := oldest_unclaimed(table, oldest)) is None:
            return None
        return db.session.execute(
            update(table)
            .where(chosen, free)
            .values(rebuilding_until=now + LEASE)
            .returning(table.c.id, table.c.organisation_id, table.c.filters, table.c.as_of)
        ).first()


def _read(row_id: int, built_at: datetime) -> ReportPage | None:
    """The stored page, decoded once per process (None: written by another version of the page's parts)."""
    key = (row_id, built_at)
    with _lock:
        page = _decoded.get(key)
        if page is not None:
            _decoded.move_to_end(key)
            return page
    payload = db.session.scalar(select(ReportPageCache.payload).where(ReportPageCache.id == row_id))
    page = page_from_json(payload or "{}")
    if page is not None:
        _remember(key, page)
    return page


def _remember(key: tuple[int, datetime], page: ReportPage) -> None:
    with _lock:
        _decoded[key] = page
        while len(_decoded) > CACHE_SIZE:
            _decoded.popitem(last=False)


def _build(as_of: date, own: Filters, now: datetime) -> ReportPage:
    report = reports.any_report(as_of, own)
    names = reports.titles()
    tables = charts.tables(report.views["cohort"], report.per_enrolment, as_of, names)
    images = draw(tables)
    shown = [Chart(name, images[name], charts.SUMMARY[name](t), _shown(name, t)) for name, t in tables.items()]
    summary = chart_data.programme_summary(report.per_enrolment, names)
    return ReportPage(as_of, own, report.views, summary, shown, now)


def _store(organisation_id: int, described: str, as_of: date, changed: int, page: ReportPage) -> None:
    """Write the page for every worker (the newest build wins) and forget the organisation's old ones."""
    values = {"organisation_id": organisation_id, "filters": described, "as_of": as_of, "changes_upto": changed,
              "built_at": page.built_at, "rebuild_requested_at": None, "rebuilding_until": None,
              "payload": page_to_json(page)}  # fmt: skip
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    upsert = insert(ReportPageCache).values(**values)
    kept = ("changes_upto", "built_at", "rebuild_requested_at", "rebuilding_until", "payload")
    upsert = upsert.on_conflict_do_update(
        index_elements=["organisation_id", "filters", "as_of"], set_={name: upsert.excluded[name] for name in kept}
    )
    with unit_of_work():
        db.session.execute(upsert)
        db.session.execute(
            delete(ReportPageCache).where(
                ReportPageCache.organisation_id == organisation_id, ReportPageCache.built_at < page.built_at - KEEP
            )
        )


def figures_note(page: ReportPage) -> str:
    """When the page's figures were worked out, and how often they are worked out again, in words."""
    minutes = max(1, round(max_age().total_seconds() / 60))
    within = "1 minute" if minutes == 1 else f"{minutes} minutes"
    moment = page.built_at.astimezone(LONDON)
    return (
        f"Figures worked out at {moment:%H:%M} on {moment.day} {moment:%B %Y}, "
        f"and again every {within} while the data changes."
    )


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


def forget_all(stored: bool = True) -> None:
    """Drop the pages this process decoded (as a new worker starts) and, with ``stored``, the stored ones
    when there is an app to reach the database through (a benchmark's cold start; tests that count drawings)."""
    with _lock:
        _decoded.clear()
    if stored and has_app_context():
        with unit_of_work():
            db.session.execute(delete(ReportPageCache))
