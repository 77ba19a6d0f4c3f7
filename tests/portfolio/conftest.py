"""Evidence files as people really upload them, and a store of their own for each test."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from tests.reminders.conftest import mailbox  # noqa: F401  (a real SMTP server on loopback)
from tests.web.conftest import World, as_user, world  # noqa: F401  (the web tests' small trust)

PDF = (
    b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
)
LONDON = {1: "N", 2: (51.0, 30.0, 26.0), 3: "W", 4: (0.0, 7.0, 39.0)}


def phone_photo(size: tuple[int, int] = (1200, 900)) -> bytes:
    """A JPEG as a phone writes it: camera make, and where it was taken."""
    exif = Image.Exif()
    exif[0x010F] = "Apple"
    exif[0x8825] = LONDON
    out = io.BytesIO()
    Image.new("RGB", size, (0, 94, 184)).save(out, "JPEG", exif=exif)
    return out.getvalue()


def png(size: tuple[int, int] = (64, 64)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "white").save(out, "PNG")
    return out.getvalue()


def office(main_part: str) -> bytes:
    """A minimal Word or Excel file: [Content_Types].xml first, naming its main part."""
    types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Override PartName="/main.xml" ContentType="application/vnd.openxmlformats-officedocument.{main_part}"/>'
        "</Types>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("word/document.xml" if "word" in main_part else "xl/workbook.xml", "<x/>")
    return out.getvalue()


DOCX = office("wordprocessingml.document.main+xml")
XLSX = office("spreadsheetml.sheet.main+xml")
DOCM = office("wordprocessingml.document.macroEnabled.main+xml")
XMP_WITH_LOCATION = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
    b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    b'xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="51,30.43N" exif:GPSLongitude="0,7.65W"/>'
    b'</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
)


def iphone_photo(size: tuple[int, int] = (640, 480)) -> bytes:
    """A real HEIC as an iPhone writes it (libheif's encoder): camera make, and where it was taken, twice."""
    exif = Image.Exif()
    exif[0x010F] = "Apple"
    exif[0x8825] = LONDON
    out = io.BytesIO()
    Image.new("RGB", size, (0, 94, 184)).save(out, "HEIF", quality=80, exif=exif.tobytes(), xmp=XMP_WITH_LOCATION)
    return out.getvalue()


HEIC = iphone_photo((64, 48))


@pytest.fixture(autouse=True)
def evidence_dir(request, tmp_path) -> Path:
    """Each test's files go in a folder of its own, checked empty or full by the test."""
    folder = tmp_path / "evidence"
    if "app" in request.fixturenames:
        application = request.getfixturevalue("app")
        previous = application.config.get("EVIDENCE_DIR")
        application.config["EVIDENCE_DIR"] = str(folder)
        yield folder
        application.config["EVIDENCE_DIR"] = previous
    else:
        yield folder


def stored_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []
