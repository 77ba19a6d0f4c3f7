from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.notifications import bp
from app.services import notifications, scan_problems
from app.services.errors import ValidationFailed


@bp.app_context_processor
def unread_notifications() -> dict:
    """The header shows how many notifications are unread."""
    if not current_user.is_authenticated:
        return {}
    return {"unread_notifications": notifications.unread_count(current_user)}


@bp.route("/notifications")
@login_required
def index():
    items = notifications.list_notifications(current_user)
    return render_template("notifications/index.html", title="Notifications", items=items)


@bp.route("/notifications/<int(max=2147483647):notification_id>/read", methods=["POST"])
@login_required
def mark_read(notification_id: int):
    notification = notifications.mark_read(current_user, notification_id)
    if request.form.get("open") and notification.link.startswith("/"):
        return redirect(notification.link)
    return redirect(url_for("notifications.index"))


@bp.route("/notifications/read-all", methods=["POST"])
@login_required
def mark_all_read():
    count = notifications.mark_all_read(current_user)
    flash(f"{count} notification{'s' if count != 1 else ''} marked as read")
    return redirect(url_for("notifications.index"))


@bp.route("/notifications/preferences", methods=["GET", "POST"])
@login_required
def preferences():
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            notifications.set_preferences(current_user, request.form.getlist("email"))
        except ValidationFailed as failure:
            errors = failure.fields
        else:
            flash("Your email choices have been saved")
            return redirect(url_for("notifications.preferences"))
    choices = notifications.preferences(current_user)
    page = render_template("notifications/preferences.html", title="Email reminders", choices=choices, errors=errors)
    return page, (400 if errors else 200)


@bp.route("/admin/outbox")
@login_required
def outbox():
    rows = notifications.outbox_problems(current_user)
    unchecked = scan_problems.for_admin(current_user)
    return render_template("notifications/outbox.html", title="Reminders not delivered", rows=rows, unchecked=unchecked)


@bp.route("/admin/outbox/<int(max=2147483647):outbox_id>/retry", methods=["POST"])
@login_required
def retry(outbox_id: int):
    try:
        notifications.retry_outbox(current_user, outbox_id)
    except ValidationFailed as failure:
        flash(failure.fields["message"])
    else:
        flash("The message will be sent again on the next delivery run, within 5 minutes")
    return redirect(url_for("notifications.outbox"))
