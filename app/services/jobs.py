"""Background jobs: queued by a request, leased and run by ``flask jobs work``, read by the person who asked.

The queue is a table, not a broker: it needs no service beyond the database, survives restarts,
and is claimed as the outbox is (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, one UPDATE under
SQLite's write lock). A worker holds a job by a lease it renews while reporting progress; a job
whose lease ran out while running lost its worker, and is run again until ``JOBS_MAX_ATTEMPTS``,
then marked failed with the reason. A job's outcome is written in the same transaction as its
work (an import's rows and the job's "done" commit together), so a worker that dies between the
two leaves either both or neither.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import and_, or_, select, update

from app.extensions import db
from app.models import BackgroundJob, User
from app.services import audit, notices
from app.services.errors import NotFound
from app.services.row_claims import oldest_unclaimed
from app.services.unit_of_work import command

KINDS = {"import.check": "checking a file", "import.write": "an import", "report.export": "a report"}


class LeaseLost(Exception):
    """Another worker took this job (this one was too slow to renew its lease): stop without saving."""


def _lease() -> timedelta:
    return timedelta(seconds=current_app.config["JOBS_LEASE_SECONDS"])


@command("job.queue")
def queue(actor: User, kind: str, params: dict[str, Any], input_data: bytes | None = None) -> BackgroundJob:
    """A job for the worker; the caller has checked that ``actor`` may ask for it."""
    job = BackgroundJob(
        kind=kind,
        organisation_id=actor.organisation_id,
        requested_by_id=actor.id,
        status="queued",
        params=json.dumps(params, sort_keys=True),
        input_data=input_data,
        progress_label="Waiting to start",
    )
    db.session.add(job)
    db.session.flush()
    audit.record(actor, "job.queued", job, organisation_id=actor.organisation_id, kind=kind, **params)
    return job


def job_for(actor: User, job_id: int) -> BackgroundJob:
    """The job, to the person who asked for it only: anyone else is told it does not exist."""
    job = db.session.get(BackgroundJob, job_id)
    if job is None or job.requested_by_id != actor.id or job.organisation_id != actor.organisation_id:
        raise NotFound("There is no such job")
    return job


def keeps_file(job_id: int) -> bool:
    """Whether the job still holds its uploaded file (without reading the file)."""
    found = select(BackgroundJob.id).where(BackgroundJob.id == job_id, BackgroundJob.input_data.is_not(None))
    return db.session.scalar(found) is not None


def _claimable(now: datetime) -> Any:
    table = BackgroundJob.__table__
    expired = and_(table.c.status == "running", table.c.claimed_until < now)
    return or_(table.c.status == "queued", expired)


def claim(holder: str, now: datetime | None = None) -> BackgroundJob | None:
    """Lease the oldest job waiting (or whose worker died) to ``holder`` and commit; None when there is none.

    A job that has used up its attempts is marked failed here instead, and the next one is tried.
    """
    now = now or datetime.now(UTC)
    table = BackgroundJob.__table__
    while True:
        db.session.commit()  # a fresh transaction: SQLite's snapshot must not predate the claim
        chosen = oldest_unclaimed(table, select(table.c.id).where(_claimable(now)).order_by(table.c.id).limit(1))
        if chosen is None:
            db.session.commit()
            return None
        claimed = db.session.execute(
            update(table)
            .where(chosen, _claimable(now))
            .values(status="running", claimed_by=holder, claimed_until=now + _lease(), attempts=table.c.attempts + 1,
                    started_at=now)  # fmt: skip
            .returning(table.c.id, table.c.attempts)
        ).first()
        db.session.commit()
        if claimed is None:
            return None
        job = db.session.get(BackgroundJob, claimed.id, populate_existing=True)
        assert job is not None, "a claimed job exists"
        if claimed.attempts <= current_app.config["JOBS_MAX_ATTEMPTS"]:
            return job
        fail(job, holder, f"The worker running this stopped {claimed.attempts - 1} times before it finished. "
                          "Nothing was saved. Try again, and tell your administrator if it happens again.")  # fmt: skip


def report(job_id: int, holder: str, label: str, done: int, total: int) -> None:
    """Progress, and a renewed lease, on a connection of its own: the page sees it while the work goes on."""
    with db.engine.begin() as connection:
        renewed = connection.execute(
            update(BackgroundJob.__table__)
            .where(BackgroundJob.id == job_id, BackgroundJob.claimed_by == holder, BackgroundJob.status == "running")
            .values(progress_label=label[:200], progress_done=done, progress_total=total,
                    claimed_until=datetime.now(UTC) + _lease())  # fmt: skip
        ).rowcount
    if renewed != 1:
        raise LeaseLost(f"job {job_id} is no longer leased to {holder}")


def finish(
    job: BackgroundJob, holder: str, result: dict[str, Any], output: tuple[bytes, str, str] | None = None
) -> None:
    """Mark the job done in the caller's transaction (which commits it with its work) and notify the requester.

    ``output`` is (content, filename, mimetype) of a file to download.
    """
    values: dict[str, Any] = {
        "status": "done",
        "result": json.dumps(result, sort_keys=True, default=str),
        "finished_at": datetime.now(UTC),
        "claimed_by": "",
        "claimed_until": None,
        "progress_label": "Done",
        "progress_done": BackgroundJob.progress_total,
    }
    if output is not None:
        values |= {"output_data": output[0], "output_filename": output[1], "output_mimetype": output[2]}
    if job.kind != "import.check":  # a checked file is kept until it is imported; nothing else needs its file
        values["input_data"] = None
    _end(job, holder, values)
    notices.notify(db.session.get_one(User, job.requested_by_id), kind="job.done", key=str(job.id),
                   enrolment_id=None, title=f"{KINDS[job.kind].capitalize()} is finished",
                   lines=[result.get("headline", "It is ready.")], path=f"/jobs/{job.id}", email=False)  # fmt: skip


def fail(job: BackgroundJob, holder: str, reason: str) -> None:
    """Mark the job failed with the reason, in a transaction of its own, and tell the requester."""
    db.session.rollback()
    _end(job, holder, {"status": "failed", "error": reason, "finished_at": datetime.now(UTC), "claimed_by": "",
                       "claimed_until": None, "input_data": None, "progress_label": "Stopped"})  # fmt: skip
    notices.notify(db.session.get_one(User, job.requested_by_id), kind="job.failed", key=str(job.id),
                   enrolment_id=None, title=f"{KINDS[job.kind].capitalize()} did not finish", lines=[reason],
                   path=f"/jobs/{job.id}", email=False)  # fmt: skip
    db.session.commit()


def release(job: BackgroundJob, holder: str) -> None:
    """The worker is stopping (Ctrl+C, a restart): give the job back untried, for the next worker to run."""
    db.session.rollback()
    table = BackgroundJob.__table__
    db.session.execute(
        update(table)
        .where(table.c.id == job.id, table.c.claimed_by == holder)
        .values(status="queued", claimed_by="", claimed_until=None, attempts=table.c.attempts - 1,
                progress_label="Waiting to start again")  # fmt: skip
    )
    db.session.commit()


def _end(job: BackgroundJob, holder: str, values: dict[str, Any]) -> None:
    ended = db.session.execute(
        update(BackgroundJob.__table__)
        .where(BackgroundJob.id == job.id, BackgroundJob.claimed_by == holder)
        .values(**values)
        .returning(BackgroundJob.id)
    ).first()
    if ended is None:
        raise LeaseLost(f"job {job.id} is no longer leased to {holder}")


def forget_files(now: datetime | None = None) -> int:
    """Drop the files of jobs finished more than ``JOBS_KEEP_DAYS`` ago (uploads hold personal data)."""
    before = (now or datetime.now(UTC)) - timedelta(days=current_app.config["JOBS_KEEP_DAYS"])
    table = BackgroundJob.__table__
    dropped = db.session.execute(
        update(table)
        .where(table.c.finished_at < before, or_(table.c.input_data.is_not(None), table.c.output_data.is_not(None)))
        .values(input_data=None, output_data=None)
        .returning(table.c.id)
    ).all()
    db.session.commit()
    return len(dropped)
