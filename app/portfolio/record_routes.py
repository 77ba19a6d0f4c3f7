from __future__ import annotations

from flask import current_app, flash, redirect, url_for
from flask_login import current_user

from app.learner.forms import ConfirmForm
from app.portfolio import bp
from app.portfolio.pdf import pdf_response, portfolio_document, qr_svg, render_pdf
from app.services import certificates
from app.services.enrolments import get_enrolment
from app.services.errors import NotFound, StateConflict

ENROLMENT = "/enrolments/<int(max=2147483647):enrolment_id>"


@bp.get(f"{ENROLMENT}/portfolio.pdf")
def portfolio_pdf(enrolment_id: int):
    return pdf_response(portfolio_document(current_user, enrolment_id), f"portfolio-{enrolment_id}.pdf")


@bp.post(f"{ENROLMENT}/certificate")
def issue_certificate(enrolment_id: int):
    if ConfirmForm().validate_on_submit():
        try:
            certificates.issue(current_user, enrolment_id)
        except StateConflict as refused:
            flash(refused.fields["certificate"])
            return redirect(url_for("home.index"))
    return redirect(url_for("portfolio.certificate_pdf", enrolment_id=enrolment_id))


@bp.get(f"{ENROLMENT}/certificate.pdf")
def certificate_pdf(enrolment_id: int):
    get_enrolment(current_user, enrolment_id)
    certificate = certificates.certificate_of(enrolment_id)
    if certificate is None or certificate.revoked_at is not None:
        raise NotFound("This programme has no certificate, or it was revoked")
    verification = certificates.verify(certificate.code)
    verify_url = current_app.config["BASE_URL"].rstrip("/") + url_for("public.verify", code=certificate.code)
    data = render_pdf(
        "portfolio/certificate_pdf.html",
        certificate=certificate,
        verification=verification,
        organisation=verification.organisation,
        footer=f"Verification code {certificate.code}",
        qr=qr_svg(verify_url),
        verify_url=verify_url,
    )
    return pdf_response(data, f"certificate-{certificate.code}.pdf")
