"""The lists behind the lead's home: sortable, filtered by site, cohort and programme, paged, and as CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models import Cohort, Enrolment, PathwayVersion, Site, TransitionEvent, User
from app.services.attention import FINISHED, LEARNER_LISTS, PreceptorLoad, Scope, open_in_list, scoped
from app.services.catalogue import definition_for
from app.services.clock import today
from app.services.errors import NotFound
from app.services.facts import among
from app.services.listings import current_preceptors
from app.services.permissions import require_lead
from app.services.protected_time import PreceptorTime, preceptors_short_of_time
from app.services.standing import Standing
from reports.export import safe_text

PER_PAGE = 50
T = TypeVar("T")
# the column each list adds, after the ones every list has
DETAIL = {
    "overdue-reviews": "Overdue reviews",
    "sign-offs-waiting": "Waiting since",
    "no-preceptor": "Started",
    "returning": "Expected end",
    "completing": "Expected end",
    "completed": "Completed on",
    "withdrawn": "Withdrawn on",
}
SORTS = ("name", "programme", "cohort", "site", "stage", "status", "detail")
RAG_ORDER = {"red": 0, "amber": 1, "green": 2, "grey": 3}


@dataclass(frozen=True)
class Row:
    enrolment_id: int
    name: str
    sort_name: str
    employee_number: str
    programme: str
    cohort: str
    site: str
    stage: str
    rag: str
    reason: str
    preceptors: str
    detail: date | datetime | int | None


@dataclass
class LearnerList:
    kind: str
    title: str
    description: str
    detail_label: str
    scope: Scope
    sort: str
    descending: bool
    rows: list[Row]
    page: int
    pages: int
    total: int


def _detail(kind: str, standing: Standing | None, start: date, finished_on: date | None):
    if kind in FINISHED:
        return finished_on
    assert standing is not None
    return {
        "overdue-reviews": standing.overdue_reviews,
        "sign-offs-waiting": standing.waiting_since,
        "no-preceptor": start,
    }.get(kind, standing.expected_end if kind in DETAIL else None)


def _rows(kind: str, ids: list[int], standings: dict[int, Standing]) -> list[Row]:
    if not ids:
        return []
    finished = aliased(TransitionEvent)
    finished_on = (
        select(func.max(finished.effective_on))
        .where(finished.enrolment_id == Enrolment.id, finished.to_state == Enrolment.state)
        .scalar_subquery()
    )
    query = (
        select(Enrolment, User, Cohort.name, Site.name, PathwayVersion, finished_on)
        .join(User, User.id == Enrolment.learner_id)
        .join(PathwayVersion, PathwayVersion.id == Enrolment.pathway_version_id)
        .outerjoin(Cohort, Cohort.id == Enrolment.cohort_id)
        .outerjoin(Site, Site.id == Enrolment.site_id)
        .where(among(Enrolment.id, ids))
    )
    preceptors = current_preceptors(ids)
    rows = []
    for enrolment, learner, cohort, site, version, ended in db.session.execute(query):
        definition = definition_for(version)
        standing = standings.get(enrolment.id)
        stage = definition.stage(enrolment.stage).title
        rag, reason = (standing.rag, standing.reason) if standing else ("grey", enrolment.state.capitalize())
        rows.append(
            Row(
                enrolment.id,
                learner.full_name,
                f"{learner.last_name} {learner.first_name}".casefold(),
                learner.employee_number,
                definition.title,
                cohort or "",
                site or "",
                stage,
                rag,
                reason,
                ", ".join(p.full_name for p in preceptors[enrolment.id]),
                _detail(kind, standing, enrolment.start_date, ended),
            )  # fmt: skip
        )
    return rows


def _sort_key(sort: str):
    def key(row: Row):
        value = {"name": row.sort_name, "status": RAG_ORDER.get(row.rag, 9)}.get(sort, getattr(row, sort, None))
        if isinstance(value, datetime):
            value = value.replace(tzinfo=None)
        return (value is None, value if value is not None else 0, row.sort_name, row.enrolment_id)

    return key


def learner_list(
    actor: User,
    kind: str,
    scope: Scope,
    *,
    sort: str = "name",
    descending: bool = False,
    page: int | None = 1,
    as_of: date | None = None,
) -> LearnerList:
    """One of the home's lists, sorted; ``page=None`` gives every row (for the CSV)."""
    require_lead(actor, actor.organisation_id)
    if kind not in LEARNER_LISTS:
        raise NotFound("There is no such list")
    as_of = as_of or today()
    if kind in FINISHED:
        query = select(Enrolment.id).where(Enrolment.organisation_id == actor.organisation_id, Enrolment.state == kind)
        standings: dict[int, Standing] = {}
        ids = list(db.session.scalars(scoped(query, scope)))
    else:
        standings = open_in_list(actor, kind, scope, as_of)
        ids = list(standings)
    sort = sort if sort in SORTS else "name"
    rows = sorted(_rows(kind, ids, standings), key=_sort_key(sort), reverse=descending)
    total = len(rows)
    rows, page, pages = paged(rows, page)
    title, description = LEARNER_LISTS[kind]
    return LearnerList(kind, title, description, DETAIL.get(kind, ""), scope, sort, descending, rows,
                       page, pages, total)  # fmt: skip


def paged(rows: list[T], page: int | None) -> tuple[list[T], int, int]:
    """The rows of one page (out-of-range pages are the nearest), that page and the number of pages;
    ``page=None`` keeps every row (for the CSV)."""
    pages = max(1, -(-len(rows) // PER_PAGE))
    if page is None:
        return rows, 1, pages
    page = min(max(page, 1), pages)
    return rows[(page - 1) * PER_PAGE : page * PER_PAGE], page, pages


def csv_bytes(header: list[str], rows: Iterable[Iterable[object]]) -> bytes:
    """Rows as CSV (UTF-8 with a BOM for Excel); text a spreadsheet would run is neutralised."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([safe_text(v) for v in row] for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_csv(listing: LearnerList) -> bytes:
    """Every row of a list as CSV."""
    extra = [listing.detail_label] if listing.detail_label else []
    rows = []
    for row in listing.rows:
        detail = row.detail.isoformat() if isinstance(row.detail, date | datetime) else row.detail
        values: list[object] = [row.name, row.employee_number, row.programme, row.cohort, row.site, row.stage,
                  row.rag.capitalize(), row.reason, row.preceptors]  # fmt: skip
        rows.append(values + (["" if detail is None else detail] if extra else []))
    return csv_bytes(["Name", "Employee number", "Programme", "Cohort", "Site", "Stage", "Status", "Reason",
                      "Preceptor", *extra], rows)  # fmt: skip


def _site_name(person: User) -> str:
    return person.site.name if person.site else ""


def _by_name(person: User) -> tuple[str, str]:
    return person.last_name.casefold(), person.first_name.casefold()


LOAD_SORTS: dict[str, Callable[[PreceptorLoad], Any]] = {
    "name": lambda load: _by_name(load.preceptor),
    "site": lambda load: (_site_name(load.preceptor) or "\uffff").casefold(),
    "learners": lambda load: load.learners,
}
TIME_SORTS: dict[str, Callable[[PreceptorTime], Any]] = {
    "name": lambda row: _by_name(row.preceptor),
    "site": lambda row: (_site_name(row.preceptor) or "\uffff").casefold(),
    "used": lambda row: row.ledger.used,
    "left": lambda row: row.ledger.left,
}


def sorted_by(items: list[T], sorts: dict[str, Callable[[T], Any]], sort: str, descending: bool) -> tuple[list[T], str]:
    """Items sorted by one of ``sorts`` (ties by its "name"), either way; an unknown sort is name."""
    sort = sort if sort in sorts else "name"
    by_name = sorted(items, key=sorts["name"])
    return (by_name if sort == "name" and not descending else
            sorted(by_name, key=sorts[sort], reverse=descending)), sort  # fmt: skip


def sorted_loads(loads: list[PreceptorLoad], sort: str, descending: bool) -> tuple[list[PreceptorLoad], str]:
    """The preceptors over capacity sorted by name, site or learners held (ties by name); an unknown sort is name."""
    return sorted_by(loads, LOAD_SORTS, sort, descending)


def loads_as_csv(loads: list[PreceptorLoad]) -> bytes:
    """The preceptors over capacity as CSV."""
    rows = ((load.preceptor.full_name, load.preceptor.employee_number, _site_name(load.preceptor), load.learners,
             load.capacity) for load in loads)  # fmt: skip
    return csv_bytes(["Preceptor", "Employee number", "Site", "Learners", "May hold"], rows)


@dataclass
class TimeList:
    scope: Scope
    sort: str
    descending: bool
    rows: list[PreceptorTime]
    page: int
    pages: int
    total: int


def short_of_time(
    actor: User,
    scope: Scope,
    *,
    sort: str = "name",
    descending: bool = False,
    page: int | None = 1,
    as_of: date | None = None,
) -> TimeList:
    """The preceptors short of protected time, at the scope's site if one is chosen (cohort and programme do not
    apply: the time is the preceptor's), sorted by name, site, hours used or left; ``page=None`` gives every row."""
    require_lead(actor, actor.organisation_id)
    rows = preceptors_short_of_time(actor.organisation_id, as_of or today())
    if scope.site is not None:
        rows = [row for row in rows if row.preceptor.site_id == scope.site]
    rows, sort = sorted_by(rows, TIME_SORTS, sort, descending)
    shown, page, pages = paged(rows, page)
    return TimeList(Scope(site=scope.site), sort, descending, shown, page, pages, len(rows))


def time_as_csv(listing: TimeList) -> bytes:
    """The preceptors short of protected time as CSV."""
    rows = ((row.preceptor.full_name, row.preceptor.employee_number, _site_name(row.preceptor), row.ledger.allowance,
             row.ledger.used, row.ledger.left, row.ledger.short_by) for row in listing.rows)  # fmt: skip
    return csv_bytes(["Preceptor", "Employee number", "Site", "For the year", "Used", "Left", "Short by"], rows)
