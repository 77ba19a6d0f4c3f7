"""/admin/retention and /admin/pages: how long the organisation keeps people, and its footer pages' text."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user

from app.form_pages import render_form, submit, values
from app.people import bp
from app.people.forms import PagesForm, RetentionForm
from app.services import footer_pages, retention
from app.services.errors import PermissionDenied


def _admin_only() -> None:
    """Shown to administrators only (leads reach the rest of /admin); the services check it again."""
    if current_user.role != "admin":
        raise PermissionDenied("Only an administrator can change this")


@bp.route("/retention", methods=["GET", "POST"])
def retention_period():
    _admin_only()
    form = RetentionForm(data={"years": str(retention.years_for(current_user.organisation_id))})
    outcome = submit(form, lambda: retention.set_period(current_user, form.years.data))
    if outcome.done:
        flash(f"People are now kept for {outcome.result.years_after_leaving} years after their leaving date")
        return redirect(url_for("people.retention_period"))
    return render_form(
        "form_page.html",
        form,
        outcome.errors,
        title="How long people are kept",
        intro="Each night the scheduler anonymises people whose leaving date is this many years ago: their names, "
        "contact details and dates go, and their enrolments stay for the reports. Run "
        "'flask people anonymise --dry-run' to see who is next.",
        submit="Save",
        back=url_for("people.users"),
    )


@bp.route("/pages", methods=["GET", "POST"])
def organisation_pages():
    _admin_only()
    organisation = current_user.organisation
    form = PagesForm(data={kind: footer_pages.source_text(organisation, kind) for kind in footer_pages.TITLES})
    outcome = submit(form, lambda: footer_pages.set_pages(current_user, values(form)))
    if outcome.done:
        flash("Pages saved" if outcome.result else "Nothing to change")
        return redirect(url_for("people.organisation_pages"))
    return render_form(
        "form_page.html",
        form,
        outcome.errors,
        title="Accessibility, privacy and contact pages",
        intro="The footer of every page links to these. '{organisation}' and '{years}' (how long people are "
        "kept) are filled in.",
        submit="Save pages",
        back=url_for("people.users"),
    )
