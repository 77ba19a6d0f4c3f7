"""Evidence files through the web app: uploaded with a sign-off request, opened by the assessor, hidden from others."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import select

from app.extensions import db
from app.models import EvidenceFile, Notification, OutboxMessage
from app.services import signoffs
from tests.conftest import table_counts
from tests.portfolio.conftest import PDF, phone_photo, png, stored_files

KEY = "alert_course"


def request_url(world) -> str:
    return f"/learner/enrolments/{world.enrolment.id}/competencies/{KEY}/request"


def ask_with_files(as_user, world, *files: tuple[bytes, str], evidence: str = "Completed ALERT course"):
    body = {"evidence": evidence, "files": [(io.BytesIO(data), name) for data, name in files]}
    return as_user(world.learner).post(request_url(world), data=body, content_type="multipart/form-data")


def files_on_record() -> list[EvidenceFile]:
    db.session.expire_all()
    return list(db.session.scalars(select(EvidenceFile).order_by(EvidenceFile.id)))


def test_a_learner_asks_for_a_sign_off_with_a_pdf_and_a_phone_photo(as_user, world, evidence_dir):
    response = ask_with_files(as_user, world, (PDF, "ALERT certificate.pdf"), (phone_photo(), "IMG_0042.JPG"))
    assert response.status_code == 302
    pdf, photo = files_on_record()
    assert (pdf.file_name, pdf.content_type, pdf.attached_to) == ("ALERT certificate.pdf", "application/pdf", "signoff")
    assert (photo.file_name, photo.content_type, photo.is_image) == ("IMG_0042.jpg", "image/jpeg", True)
    assert len(stored_files(evidence_dir)) == 3  # the two files and the photo's thumbnail
    assert {p.name for p in stored_files(evidence_dir)} == {pdf.storage_key, photo.storage_key, photo.thumbnail_key}


def test_the_assessor_opens_both_files_as_downloads_and_signs_off(as_user, world):
    ask_with_files(as_user, world, (PDF, "ALERT certificate.pdf"), (phone_photo(), "IMG_0042.JPG"))
    pdf, photo = files_on_record()
    preceptor = as_user(world.preceptor)
    page = preceptor.get(f"/preceptor/enrolments/{world.enrolment.id}/competencies/{KEY}").get_data(as_text=True)
    assert "ALERT certificate.pdf" in page and "IMG_0042.jpg" in page and f"/evidence/{photo.id}/thumbnail" in page
    for row, kind in ((pdf, "application/pdf"), (photo, "image/jpeg")):
        response = preceptor.get(f"/evidence/{row.id}")
        assert response.status_code == 200
        assert response.mimetype == kind
        assert response.headers["Content-Disposition"].startswith("attachment;")
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response.headers["Content-Security-Policy"]
        assert "no-store" in response.headers["Cache-Control"]
    assert preceptor.get(f"/evidence/{pdf.id}").data == PDF
    served_photo = Image.open(io.BytesIO(preceptor.get(f"/evidence/{photo.id}").data))
    assert served_photo.getexif().get_ifd(0x8825) == {}  # no location in what is kept
    thumbnail = preceptor.get(f"/evidence/{photo.id}/thumbnail")
    assert thumbnail.mimetype == "image/jpeg" and thumbnail.headers["X-Content-Type-Options"] == "nosniff"

    signed = preceptor.post(f"/preceptor/enrolments/{world.enrolment.id}/competencies/{KEY}/sign")
    assert signed.status_code == 302
    notice = db.session.scalar(select(Notification).where(Notification.user_id == world.learner.id))
    assert notice.kind == "signoff_decided" and notice.title.startswith("Signed off:")
    email = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient_id == world.learner.id))
    assert email.status == "queued" and "signed off" in email.body_text


@pytest.mark.parametrize("who", ["other_preceptor", "other_learner", "foreign_lead", "foreign_learner"])
def test_people_who_may_not_see_the_record_get_not_found(as_user, world, who):
    ask_with_files(as_user, world, (phone_photo(), "IMG_0042.JPG"))
    (photo,) = files_on_record()
    outsider = as_user(getattr(world, who))
    assert outsider.get(f"/evidence/{photo.id}").status_code == 404
    assert outsider.get(f"/evidence/{photo.id}/thumbnail").status_code == 404
    assert outsider.get("/evidence/424242").status_code == 404


def test_the_lead_may_open_the_file(as_user, world):
    ask_with_files(as_user, world, (PDF, "cert.pdf"))
    (pdf,) = files_on_record()
    assert as_user(world.lead).get(f"/evidence/{pdf.id}").status_code == 200


ABUSE = [
    (b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>", "notes.pdf"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "badge.svg"),
    (PDF + b"<html><script>fetch('/api/v1/people')</script></html>", "polyglot.pdf"),
    (b"%PDF-1.7\n" + b"0" * 20_000_001, "big.pdf"),
]


@pytest.mark.parametrize(("data", "name"), ABUSE, ids=["html-as-pdf", "svg-script", "pdf-html-polyglot", "oversized"])
def test_abusive_uploads_are_refused_and_nothing_is_stored(as_user, world, evidence_dir, nothing_written, data, name):
    with nothing_written():
        response = ask_with_files(as_user, world, (PDF, "good.pdf"), (data, name))
    assert response.status_code == 400
    assert "There is a problem" in response.get_data(as_text=True)
    assert stored_files(evidence_dir) == []


def test_a_decompression_bomb_is_refused_and_nothing_is_stored(as_user, world, evidence_dir, nothing_written):
    bomb = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(bomb, "PNG")
    with nothing_written():
        response = ask_with_files(as_user, world, (bomb.getvalue(), "photo.png"))
    assert response.status_code == 400 and "too large to open safely" in response.get_data(as_text=True)
    assert stored_files(evidence_dir) == []


def test_path_characters_in_a_name_do_not_reach_the_disk(as_user, world, evidence_dir, tmp_path):
    ask_with_files(as_user, world, (png(), "../../../../app/static/evil.png"))
    (row,) = files_on_record()
    assert row.file_name == "evil.png"
    assert all(path.is_relative_to(evidence_dir) for path in tmp_path.rglob("*") if path.is_file())
    assert not any(p.name == "evil.png" for p in tmp_path.rglob("*"))


def test_a_request_larger_than_the_server_takes_is_refused(as_user, world, app, evidence_dir):
    before = table_counts()
    app.config["MAX_CONTENT_LENGTH"], limit = 50_000, app.config["MAX_CONTENT_LENGTH"]
    try:
        response = ask_with_files(as_user, world, (PDF + b"0" * 60_000, "big.pdf"))
    finally:
        app.config["MAX_CONTENT_LENGTH"] = limit
    assert response.status_code == 413
    after = table_counts()
    assert after == before
    assert stored_files(evidence_dir) == []


def test_the_learner_adds_a_file_later_and_removes_it_which_keeps_it(as_user, world, evidence_dir):
    event = signoffs.act(world.learner, world.enrolment.id, KEY, "request", text="Completed ALERT")
    learner = as_user(world.learner)
    page = f"/learner/enrolments/{world.enrolment.id}/evidence"
    assert "Sign-off request: " in learner.get(page).get_data(as_text=True)
    body = {"record": f"signoff:{event.id}", "files": [(io.BytesIO(PDF), "workbook.pdf")]}
    assert learner.post(page, data=body, content_type="multipart/form-data").status_code == 302
    (row,) = files_on_record()
    listed = learner.get(page).get_data(as_text=True)
    assert "workbook.pdf" in listed and f'action="/evidence/{row.id}/remove"' in listed
    assert as_user(world.other_learner).post(f"/evidence/{row.id}/remove").status_code == 404
    assert learner.post(f"/evidence/{row.id}/remove").status_code == 302
    (kept,) = files_on_record()
    assert kept.removed_at is not None and kept.removed_by_id == world.learner.id
    assert len(stored_files(evidence_dir)) == 1  # the bytes stay for the retention period
    assert learner.get(f"/evidence/{row.id}").status_code == 404
    assert "workbook.pdf" not in learner.get(page).get_data(as_text=True)


def test_evidence_goes_only_on_this_learners_waiting_records(as_user, world, nothing_written):
    other = signoffs.act(world.other_learner, world.other_enrolment.id, KEY, "request", text="Someone else's")
    page = f"/learner/enrolments/{world.enrolment.id}/evidence"
    body = {"record": f"signoff:{other.id}", "files": [(io.BytesIO(PDF), "x.pdf")]}
    with nothing_written():
        response = as_user(world.learner).post(page, data=body, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "There is no such sign-off request still waiting on this record" in response.get_data(as_text=True)
