"""Records as PDF with WeasyPrint (needs pango; see the Makefile's ``pdf`` step), in the NHS look."""

from __future__ import annotations

import io

import segno
from flask import Response, render_template
from markupsafe import Markup
from weasyprint import HTML


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
