"""Protected time: a preceptor logs and sees their own; a lead sees every preceptor's and who is short."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.access import role_required
from app.form_pages import render_form, submit, values
from app.learner.forms import ConfirmForm
from app.protected_time import bp
from app.protected_time.forms import ProtectedTimeForm
from app.services import protected_time
from app.services.protected_time import ACTIVITIES


@bp.get("/")
@role_required("preceptor")
def own():
    time = protected_time.preceptor_time(current_user)
    return render_template("protected_time/ledger.html", time=time, own=True, activities=ACTIVITIES, form=ConfirmForm())


@bp.route("/log", methods=["GET", "POST"])
@role_required("preceptor")
def log():
    form = ProtectedTimeForm()
    outcome = submit(form, lambda: protected_time.log_protected_time(current_user, **values(form)))
    if outcome.done:
        flash("Your protected time has been logged")
        return redirect(url_for("protected_time.own"))
    return render_form(
        "form_page.html", form, outcome.errors, title="Log protected time", submit="Log protected time",
        intro="Time you were given for the preceptor role: meetings with preceptees, preceptor training, "
        "preparing for meetings and writing them up.",
        back=url_for("protected_time.own"),
    )  # fmt: skip


@bp.post("/<int(max=2147483647):entry_id>/remove")
@role_required("preceptor")
def remove(entry_id: int):
    if ConfirmForm().validate_on_submit():
        protected_time.remove_protected_time(current_user, entry_id)
        flash("The entry has been removed")
    return redirect(url_for("protected_time.own"))


@bp.get("/preceptors")
@role_required("lead", "admin")
def preceptors():
    short_only = request.args.get("short") == "1"
    rows = protected_time.protected_time_overview(current_user)
    shown = protected_time.short_of_time(rows) if short_only else rows
    return render_template("protected_time/preceptors.html", rows=shown, everyone=rows, short_only=short_only)


@bp.get("/preceptors/<int(max=2147483647):preceptor_id>")
@role_required("lead", "admin")
def preceptor(preceptor_id: int):
    time = protected_time.preceptor_time(current_user, preceptor_id)
    return render_template("protected_time/ledger.html", time=time, own=False, activities=ACTIVITIES)
