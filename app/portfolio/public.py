"""Pages anyone may open without signing in: a review to sign through an emailed link."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from app.form_pages import render_form, submit, values
from app.portfolio.forms import LinkSignatureForm
from app.services import certificates, signing_links
from app.services.errors import StateConflict

bp = Blueprint("public", __name__)


@bp.route("/sign/<token>", methods=["GET", "POST"])
def sign_review(token: str):
    try:
        opened = signing_links.open_link(token[:100])
    except StateConflict as refused:
        if request.method == "POST":
            signing_links.record_refused_use(token[:100], refused)
        return render_template("portfolio/link_refused.html", message=refused.fields["link"]), 410
    form = LinkSignatureForm()
    outcome = submit(form, lambda: signing_links.sign_with_link(None, token[:100], **values(form)))
    if outcome.done:
        return render_template("portfolio/link_signed.html", signature=outcome.result)
    return render_form("portfolio/link_sign.html", form, outcome.errors, opened=opened)


@bp.get("/verify/<code>")
def verify(code: str):
    result = certificates.verify(code)
    return render_template("portfolio/verify.html", result=result), (404 if result.status == "unknown" else 200)
