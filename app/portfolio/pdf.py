"""Records as PDF with WeasyPrint (needs pango; see the Makefile's ``pdf`` step), in the NHS look."""

from __future__ import annotations

import io

import segno
from flask import Response, render_template
from markupsafe import Markup
from weasyprint import HTML

from app.models import User
from app.services import portfolio_record
from app.services.clock import today


def qr_svg(url: str) -> Markup:
    """An inline SVG QR code for a URL (segno; medium error correction survives a crease)."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=4, border=2, xmldecl=False, svgns=True)
    return Markup(out.getvalue().decode())  # noqa: S704  (segno's own SVG, no user text in it)


def render_pdf(template: str, **context: object) -> bytes:
    html = render_template(template, **context)
    return HTML(string=html).write_pdf()


def pdf_response(data: bytes, file_name: str) -> Response:
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{file_name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def portfolio_document(actor: User, enrolment_id: int) -> bytes:
    """The printed portfolio of one enrolment, for anyone who may see the record."""
    record = portfolio_record.portfolio(actor, enrolment_id)
    learner = record.assessed.enrolment.learner
    footer = f"{learner.full_name} – {record.assessed.definition.title} – printed {today():%-d %B %Y}"
    return render_pdf(
        "portfolio/portfolio_pdf.html", record=record, organisation=record.organisation, footer=footer, as_of=today()
    )
