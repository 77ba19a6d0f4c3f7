"""The lists behind the lead's home: sortable, filtered by site, cohort and programme, paged, and as CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

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
from app.services.standing import Standing
from reports.export import safe_text

PER_PAGE = 50
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
    pages = max(1, -(-total // PER_PAGE))
    if page is not None:
        page = min(max(page, 1), pages)
        rows = rows[(page - 1) * PER_PAGE : page * PER_PAGE]
    title, description = LEARNER_LISTS[kind]
    return LearnerList(kind, title, description, DETAIL.get(kind, ""), scope, sort, descending, rows,
                       page or 1, pages, total)  # fmt: skip


def as_csv(listing: LearnerList) -> bytes:
    """Every row of a list as CSV (UTF-8 with a BOM for Excel); text a spreadsheet would run is neutralised."""
    out = io.StringIO()
    writer = csv.writer(out)
    extra = [listing.detail_label] if listing.detail_label else []
    writer.writerow(["Name", "Employee number", "Programme", "Cohort", "Site", "Stage", "Status", "Reason",
                     "Preceptor", *extra])  # fmt: skip
    for row in listing.rows:
        detail = row.detail.isoformat() if isinstance(row.detail, date | datetime) else row.detail
        values: list[object] = [row.name, row.employee_number, row.programme, row.cohort, row.site, row.stage,
                  row.rag.capitalize(), row.reason, row.preceptors]  # fmt: skip
        values += ["" if detail is None else detail] if extra else []
        writer.writerow([safe_text(v) for v in values])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


LOAD_SORTS = {
    "name": lambda load: (load.preceptor.last_name.casefold(), load.preceptor.first_name.casefold()),
    "site": lambda load: (load.preceptor.site.name if load.preceptor.site else "\uffff").casefold(),
    "learners": lambda load: load.learners,
}


def sorted_loads(loads: list[PreceptorLoad], sort: str, descending: bool) -> tuple[list[PreceptorLoad], str]:
    """The preceptors over capacity sorted by name, site or learners held (ties by name); an unknown sort is name."""
    sort = sort if sort in LOAD_SORTS else "name"
    by_name = sorted(loads, key=LOAD_SORTS["name"])
    return (by_name if sort == "name" and not descending else
            sorted(by_name, key=LOAD_SORTS[sort], reverse=descending)), sort  # fmt: skip


def loads_as_csv(loads: list[PreceptorLoad]) -> bytes:
    """The preceptors over capacity as CSV (UTF-8 with a BOM), text a spreadsheet would run neutralised."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Preceptor", "Employee number", "Site", "Learners", "May hold"])
    for load in loads:
        person = load.preceptor
        site = person.site.name if person.site else ""
        writer.writerow([safe_text(v) for v in (person.full_name, person.employee_number, site, load.learners,
                                                load.capacity)])  # fmt: skip
    return ("\ufeff" + out.getvalue()).encode("utf-8")
