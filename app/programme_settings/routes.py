"""The administrator's settings pages: every programme, one programme's history, and a change from a date."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from app.form_pages import render_form, submit
from app.programme_settings import bp
from app.programme_settings.forms import chosen_values, settings_form
from app.services.settings_changes import set_settings
from app.services.settings_reads import every_programme_settings, programme_settings
from app.templating import uk_date

KEY = "<string(maxlength=200):key>"


@bp.get("/")
def index():
    return render_template("settings/index.html", views=every_programme_settings(current_user))


@bp.get(f"/{KEY}")
def programme(key: str):
    return render_template("settings/programme.html", view=programme_settings(current_user, key))


@bp.route(f"/{KEY}/change", methods=["GET", "POST"])
def change(key: str):
    view = programme_settings(current_user, key)
    form = settings_form(view.definition, view.values)
    outcome = submit(
        form,
        lambda: set_settings(
            current_user, current_user.organisation_id, key, effective_from=form.effective_from.data,
            values=chosen_values(form, view.definition), as_text=True,
        ),
    )  # fmt: skip
    if outcome.done:
        flash(f"New {view.definition.title.lower()} settings from {uk_date(outcome.result.effective_from)} saved")
        return redirect(url_for("settings.programme", key=key))
    return render_form(
        "settings/change.html", form, outcome.errors, title="Change settings", caption=view.definition.title,
        submit="Save settings", back=url_for("settings.programme", key=key),
    )  # fmt: skip
