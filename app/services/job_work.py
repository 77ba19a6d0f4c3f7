"""What each kind of background job does: check an import file, import it, prepare a report download.

Asking for a job checks permission as the work itself would; the worker checks it again when it
runs, as the requester, so a lead who lost the role in between has their job refused.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from app.extensions import db
from app.models import BackgroundJob, Organisation, User
from app.services import importer, jobs, reports
from app.services.errors import PermissionDenied, ServiceError, StateConflict, ValidationFailed
from app.services.import_file import Plan
from app.services.jobs import LeaseLost
from app.services.permissions import STAFF_ROLES, require_lead
from app.services.unit_of_work import command
from pathways import format_date
from reports.frames import Filters

log = logging.getLogger("waymark.jobs")
SAMPLE_ROWS = 50  # rows of a checked file shown on its page
MAX_PROBLEMS = 1000  # problems kept for the page; the count says how many more
EXPIRED = "That import has expired or was already done. Upload the file again."
CHANGES = {"create": "New person", "update": "Details updated", "unchanged": "No change"}


class JobProgress:
    """Reports a job's progress at most twice a second, renewing its lease each time.

    On SQLite nothing else can write while the import's transaction is open, so from ``saving()``
    the page shows "saving" without a count (and the lease must outlast the write).
    """

    def __init__(self, job: BackgroundJob, holder: str, saved: Callable[[dict[str, Any]], None]) -> None:
        self.job_id, self.holder, self._saved = job.id, holder, saved
        self.quiet = False
        self.reported = 0.0

    def step(self, label: str, done: int, total: int) -> None:
        now = time.monotonic()
        if self.quiet or (now - self.reported < 0.5 and 0 < done < total):
            return
        self.reported = now
        jobs.report(self.job_id, self.holder, label, done, total)

    def saving(self) -> None:
        if db.engine.dialect.name == "sqlite":
            self.step("Saving every row in one transaction", 0, 0)
            self.quiet = True

    def saved(self, result: dict[str, Any]) -> None:
        self._saved(result)


def start_check(actor: User, filename: str, data: bytes) -> BackgroundJob:
    """Check a big import file in the background; its page then shows what it would change."""
    require_lead(actor, actor.organisation_id)
    return jobs.queue(actor, "import.check", {"filename": filename, "bytes": len(data)}, data)


@command("learners.import")
def start_import(actor: User, check_job_id: int) -> BackgroundJob:
    """Import the file a finished check approved; the file moves to the new job, so it imports once."""
    require_lead(actor, actor.organisation_id)
    check = jobs.job_for(actor, check_job_id)
    outcome = json.loads(check.result or "{}")
    data = check.input_data
    if check.kind != "import.check" or check.status != "done" or outcome.get("problem_count") or data is None:
        raise StateConflict({"file": EXPIRED})
    check.input_data = None
    params = {"filename": json.loads(check.params)["filename"], "checked_by_job": check.id}
    return jobs.queue(actor, "import.write", params, data)


def start_export(actor: User, fmt: str, as_of: date, filters: Filters) -> BackgroundJob:
    """Prepare a report download in the background; its page links to the file when it is ready."""
    if actor.role not in STAFF_ROLES:
        raise PermissionDenied("Only programme leads and administrators can see reports")
    if fmt not in reports.FORMATS:
        raise ValidationFailed({"format": "Choose CSV, XLSX or JSON"})
    if problems := reports.filter_problems(filters, actor.organisation_id):
        raise ValidationFailed(problems)
    chosen = {name: value for name, value in vars(filters).items() if value and name != "organisation"}
    return jobs.queue(actor, "report.export", {"format": fmt, "as_of": as_of.isoformat(), "filters": chosen})


def _requester(job: BackgroundJob) -> tuple[User, Organisation]:
    actor = db.session.get_one(User, job.requested_by_id)
    if not actor.is_enabled:
        raise PermissionDenied(f"{actor.full_name}'s account is disabled")
    return actor, actor.organisation


def _check(job: BackgroundJob, holder: str) -> None:
    actor, organisation = _requester(job)
    progress = JobProgress(job, holder, lambda result: None)
    assert job.input_data is not None, "a check job keeps its file until it is imported"
    plan, _ = importer.preview(actor, organisation, job.input_data, progress)
    jobs.finish(job, holder, checked(plan, {site.id: site.name for site in organisation.sites}))
    db.session.commit()


def checked(plan: Plan, sites: dict[int, str]) -> dict[str, Any]:
    """A checked file's page, as plain values: its problems, or what it would change and its first rows."""
    enrolments = {e.row: e for e in plan.enrolments}

    def details(values: dict[str, Any]) -> str:
        parts = []
        for name, value in values.items():
            parts.append(f"site: {sites.get(value, '')}" if name == "site_id" else f"{name.replace('_', ' ')}: {value}")
        return "; ".join(parts)

    def enrolment(row: int) -> dict[str, Any] | None:
        e = enrolments.get(row)
        if e is None:
            return None
        start = format_date(e.start_date)
        return {"pathway": e.pathway, "cohort": e.cohort, "start_date": start, "preceptor": e.preceptor_employee_number}

    rows = len(plan.people)
    return {
        "headline": f"{len(plan.problems):,} problems found; nothing was imported" if plan.problems
        else f"The file was checked: {rows:,} rows are ready to import",
        "problems": plan.problems[:MAX_PROBLEMS],
        "problem_count": len(plan.problems),
        "summary": plan.summary(),
        "new_cohorts": [[name, key, format_date(start)] for name, (key, start) in plan.new_cohorts.items()],
        "ignored_columns": plan.ignored_columns,
        "sample": [{"row": p.row, "employee_number": p.employee_number, "change": CHANGES[p.action],
                    "details": details(p.values), "enrolment": enrolment(p.row)} for p in plan.people[:SAMPLE_ROWS]],
    }  # fmt: skip


def _import(job: BackgroundJob, holder: str) -> None:
    actor, organisation = _requester(job)

    def saved(summary: dict[str, Any]) -> None:
        jobs.finish(job, holder, {"headline": f"{summary['rows']:,} rows imported", "summary": summary})

    assert job.input_data is not None, "an import job keeps its file until it ends"
    plan = importer.run(actor, organisation, job.input_data, progress=JobProgress(job, holder, saved))
    if plan.problems:  # the organisation changed since the check: nothing was written
        more = len(plan.problems) - 20
        shown = "; ".join(plan.problems[:20]) + (f"; and {more:,} more" if more > 0 else "")
        jobs.fail(job, holder, f"Nothing was imported: the file has {len(plan.problems):,} problems now. {shown}")


def _export(job: BackgroundJob, holder: str) -> None:
    actor, _ = _requester(job)
    params = json.loads(job.params)
    jobs.report(job.id, holder, "Reading the records and writing the file", 0, 0)
    made = reports.prepare_export(actor, params["format"], date.fromisoformat(params["as_of"]),
                                  Filters(**params["filters"]))  # fmt: skip
    jobs.finish(job, holder, {"headline": f"{made.filename} is ready to download"},
                (made.content, made.filename, made.mimetype))  # fmt: skip
    db.session.commit()


RUNNERS: dict[str, Callable[[BackgroundJob, str], None]] = {
    "import.check": _check,
    "import.write": _import,
    "report.export": _export,
}


def execute(job: BackgroundJob, holder: str) -> None:
    """Run one claimed job to its end: done, failed with a reason, or (the worker is stopping) given back."""
    started = time.perf_counter()
    try:
        RUNNERS[job.kind](job, holder)
    except LeaseLost:
        db.session.rollback()
        log.warning("job %s: another worker took it over; this run saved nothing", job.id)
        return
    except ServiceError as error:
        jobs.fail(job, holder, error.message)
    except Exception as error:
        log.exception("job %s (%s) failed", job.id, job.kind)
        jobs.fail(job, holder, f"Something went wrong and nothing was saved ({type(error).__name__}). "
                               "Try again, and tell your administrator if it happens again.")  # fmt: skip
    except BaseException:
        jobs.release(job, holder)
        raise
    log.info("job %s (%s) ended in %.1f s", job.id, job.kind, time.perf_counter() - started)
