"""What an upload is, from its bytes: the accepted kinds, the refused ones, and what is taken out."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from app.services.evidence_checks import DOCX as DOCX_TYPE
from app.services.evidence_checks import XLSX as XLSX_TYPE
from app.services.evidence_checks import FileRefused, check_file, display_name
from tests.portfolio.conftest import DOCM, DOCX, HEIC, PDF, XLSX, phone_photo, png

LIMIT, PIXELS = 20_000_000, 50_000_000


def check(name: str, data: bytes):
    return check_file(name, data, limit=LIMIT, max_pixels=PIXELS)


@pytest.mark.parametrize(
    ("name", "data", "kind", "shown"),
    [
        ("Reflective account.pdf", PDF, "application/pdf", "Reflective account.pdf"),
        ("IMG_2041.JPEG", phone_photo(), "image/jpeg", "IMG_2041.jpg"),
        ("screenshot.png", png(), "image/png", "screenshot.png"),
        ("IMG_2042.HEIC", HEIC, "image/heic", "IMG_2042.heic"),
        ("Workbook.docx", DOCX, DOCX_TYPE, "Workbook.docx"),
        ("Hours.xlsx", XLSX, XLSX_TYPE, "Hours.xlsx"),
        ("certificate", PDF, "application/pdf", "certificate.pdf"),  # no extension: the real one is added
        ("photo.pdf", png(), "image/png", "photo.png"),  # a wrong one is replaced
    ],
)
def test_the_kind_comes_from_the_content(name, data, kind, shown):
    checked = check(name, data)
    assert (checked.content_type, checked.file_name) == (kind, shown)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("notes.pdf", b"<!doctype html><html><script>alert(1)</script></html>", "must be a PDF, JPEG"),
        ("badge.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "must be a PDF"),
        ("badge.png", b'<?xml version="1.0"?><svg onload="alert(1)"/>', "must be a PDF"),
        ("macro.docx", DOCM, "must be a PDF"),
        ("archive.docx", b"PK\x03\x04" + b"\x00" * 60, "must be a PDF"),
        ("polyglot.pdf", PDF + b"<html><body><script>fetch('/api')</script></body></html>", "web page code"),
        ("action.pdf", PDF.replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript >>"), "scripts"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_refused_kinds(name, data, message):
    with pytest.raises(FileRefused, match=message):
        check(name, data)


def test_a_file_over_the_limit_is_refused_with_the_limit_in_words():
    with pytest.raises(FileRefused, match="must be 20 MB or smaller"):
        check("big.pdf", PDF + b"0" * LIMIT)


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    out = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(out, "PNG")  # a few KB on disk, 400 million pixels decoded
    assert len(out.getvalue()) < 100_000
    with pytest.raises(FileRefused, match="too large to open safely"):
        check("bomb.png", out.getvalue())


def test_a_damaged_image_is_refused():
    with pytest.raises(FileRefused, match="cannot be read"):
        check("broken.jpg", phone_photo()[:600])


def test_location_is_taken_out_of_a_photo_and_the_picture_kept():
    original = phone_photo()
    checked = check("IMG_1.jpg", original)
    kept = Image.open(io.BytesIO(checked.data))
    assert kept.getexif().get_ifd(0x8825) == {}
    assert kept.getexif()[0x010F] == "Apple"
    assert kept.size == (1200, 900)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the sample did carry it


def test_a_thumbnail_is_small_and_holds_no_metadata():
    thumbnail = Image.open(io.BytesIO(check("IMG_1.jpg", phone_photo()).thumbnail))
    assert max(thumbnail.size) <= 480
    assert not thumbnail.getexif()


def test_png_text_and_exif_chunks_are_dropped():
    image = Image.new("RGB", (8, 8))
    info = __import__("PIL.PngImagePlugin", fromlist=["PngInfo"]).PngInfo()
    info.add_text("Location", "51.5074 N, 0.1278 W")
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info)
    checked = check("map.png", out.getvalue())
    assert b"51.5074" not in checked.data
    assert Image.open(io.BytesIO(checked.data)).size == (8, 8)


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("../../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\system32\\evil.pdf", "evil.pdf"),
        ("/var/www/index.pdf", "index.pdf"),
        ("\x00\x1b[31mred.pdf", "[31mred.pdf"),
        ("...", "evidence.pdf"),
        ("Siân's reflection – ward 7.pdf", "Siân's reflection – ward 7.pdf"),
    ],
)
def test_names_lose_their_folders_and_control_characters(name, shown):
    assert display_name(name, ".pdf") == shown


def test_an_image_over_the_pixel_limit_is_refused_with_its_size():
    with pytest.raises(FileRefused, match="3000 × 2000 pixels; upload one of at most 5 million"):
        check_file("wide.png", png((3000, 2000)), limit=LIMIT, max_pixels=5_000_000)
