"""/admin/sites: an organisation's sites, added and renamed by its administrators."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from app.form_pages import submit, summary
from app.people import bp
from app.people.forms import SiteForm
from app.services import sites


@bp.route("/sites", methods=["GET", "POST"])
def site_list():
    form = SiteForm()
    outcome = submit(form, lambda: sites.create(current_user, form.name.data))
    if outcome.done:
        flash(f"Site {outcome.result.name} added")
        return redirect(url_for("people.site_list"))
    page = render_template(
        "people/sites.html",
        form=form,
        errors=outcome.errors,
        error_items=summary(form, outcome.errors),
        sites=sites.listing(current_user),
    )
    return page, (400 if outcome.errors else 200)


@bp.post("/sites/<int(max=2147483647):site_id>")
def rename_site(site_id: int):
    form = SiteForm()
    outcome = submit(form, lambda: sites.rename(current_user, site_id, form.name.data))
    if outcome.done:
        flash(f"Site renamed to {outcome.result.name}")
        return redirect(url_for("people.site_list"))
    flash(f"The site was not renamed: {next(iter(outcome.errors.values()))}")
    return redirect(url_for("people.site_list"))
