"""A job's page (progress until it ends, then its outcome), its progress as JSON, its download, and confirming
a checked import. Only the person who asked sees any of them: anyone else gets 404."""

from __future__ import annotations

import json

from flask import Response, abort, flash, jsonify, redirect, render_template, url_for
from flask_login import current_user, login_required

from app.access import fresh_login_required
from app.jobs import bp
from app.models import BackgroundJob
from app.services import job_work, jobs
from app.services.errors import NotFound, StateConflict

REFRESH_SECONDS = 3


def _own(job_id: int) -> BackgroundJob:
    try:
        return jobs.job_for(current_user, job_id)
    except NotFound:
        abort(404)


def progress(job: BackgroundJob) -> dict[str, object]:
    """What the page and its script show: the stage, the count (when countable) and the percentage."""
    total, done = job.progress_total, min(job.progress_done, job.progress_total)
    return {"status": job.status, "label": job.progress_label, "done": done, "total": total,
            "percent": round(100 * done / total) if total else None}  # fmt: skip


@bp.before_request
@login_required
def signed_in() -> None:
    return None


@bp.get("/<int(max=2147483647):job_id>")
def show(job_id: int):
    job = _own(job_id)
    outcome = json.loads(job.result or "{}")
    params = json.loads(job.params)
    return render_template("jobs/show.html", job=job, outcome=outcome, params=params, progress=progress(job),
                           refresh=REFRESH_SECONDS, importable=jobs.keeps_file(job.id))  # fmt: skip


@bp.get("/<int(max=2147483647):job_id>/progress.json")
def progress_json(job_id: int):
    return jsonify(progress(_own(job_id)))


@bp.post("/<int(max=2147483647):job_id>/import")
def start_import(job_id: int):
    """Import the file this finished check approved, as a job of its own (the command checks whose it is,
    and records a refusal)."""
    try:
        job = job_work.start_import(current_user, job_id)
    except StateConflict as refused:
        flash(refused.fields["file"])
        return redirect(url_for("importing.upload"))
    return redirect(url_for("jobs.show", job_id=job.id))


@bp.get("/<int(max=2147483647):job_id>/download")
@fresh_login_required()
def download(job_id: int):
    job = _own(job_id)
    if job.kind != "report.export" or job.status != "done" or job.output_data is None:
        abort(404)
    headers = {"Content-Disposition": f'attachment; filename="{job.output_filename}"', "Cache-Control": "no-store"}
    return Response(job.output_data, mimetype=job.output_mimetype, headers=headers)
