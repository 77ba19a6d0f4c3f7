from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from app.importing import bp, uploads
from app.services import importer, job_work, people
from app.services.errors import ValidationFailed
from app.services.import_file import COLUMNS, REQUIRED
from app.services.permissions import require_lead

PREVIEW_ROWS = 50


@bp.before_request
@login_required
def leads_only() -> None:
    require_lead(current_user, current_user.organisation_id)


@bp.get("/")
def upload():
    return render_template("importing/upload.html", columns=COLUMNS, required=REQUIRED, errors={})


@bp.post("/")
def check():
    """Check the whole file and show what it would change; nothing is written yet."""
    limit = current_app.config.get("IMPORT_MAX_BYTES", 5_000_000)
    try:
        data = uploads.read_csv(request, limit)
    except ValidationFailed as failure:
        return render_template("importing/upload.html", columns=COLUMNS, required=REQUIRED, errors=failure.fields), 400
    if uploads.rows_in(data) > current_app.config["IMPORT_BACKGROUND_ROWS"]:  # too long to check in a request
        job = job_work.start_check(current_user, request.files["file"].filename or "the file", data)
        return redirect(url_for("jobs.show", job_id=job.id))
    plan, _ = importer.preview(current_user, current_user.organisation, data)
    if plan.problems:
        return render_template("importing/problems.html", plan=plan, filename=request.files["file"].filename), 400
    session["import_upload"] = uploads.keep(data)
    enrolments = {e.row: e for e in plan.enrolments}
    sites = {site.id: site.name for site in current_user.organisation.sites}
    return render_template(
        "importing/preview.html",
        plan=plan,
        enrolments=enrolments,
        sites=sites,
        upload_id=session["import_upload"],
        rows=PREVIEW_ROWS,
    )


@bp.post("/confirm")
def confirm():
    """Import the file checked on the preview, checking it again: the organisation may have changed since."""
    upload_id = request.form.get("upload_id", "")
    data = uploads.load(upload_id) if upload_id == session.get("import_upload") else None
    if data is None:
        flash("That import has expired or was already done. Upload the file again.")
        return redirect(url_for("importing.upload"))
    plan = importer.run(current_user, current_user.organisation, data)
    if plan.problems:
        return render_template("importing/problems.html", plan=plan, filename="the file"), 400
    uploads.discard(upload_id)
    session.pop("import_upload", None)
    to_invite = people.awaiting_invitation(current_user, [change.employee_number for change in plan.people])
    return render_template("importing/done.html", plan=plan, to_invite=to_invite)


@bp.get("/template.csv")
def template():
    """An empty file with every column, to fill in."""
    headers = {"Content-Disposition": "attachment; filename=waymark-learners.csv"}
    return ",".join(COLUMNS) + "\r\n", 200, {"Content-Type": "text/csv; charset=utf-8", **headers}
