"""What an uploaded file really is, read from its bytes, never its name; and what is taken out of it.

A file is accepted when its content is one of the kinds below. Web page code hidden in a PDF, an
image too large to decode safely and a workbook with macros are refused. Location data is taken
out of photos (JPEG, PNG and HEIC, as iPhones take them), and an image gets a small thumbnail
re-drawn from its pixels (so it holds no metadata).
"""

from __future__ import annotations

import io
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass

import filetype
from PIL import Image, ImageOps, UnidentifiedImageError
from pillow_heif import register_heif_opener

register_heif_opener()  # Pillow opens HEIC/HEIF through libheif

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ACCEPTED = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/heic": ".heic",
    DOCX: ".docx",
    XLSX: ".xlsx",
}
KINDS_IN_WORDS = "PDF, JPEG, PNG, HEIC, Word (.docx) or Excel (.xlsx)"
# The main part each Office document declares in [Content_Types].xml.
_OFFICE_MAIN_PARTS = {
    b"wordprocessingml.document.main+xml": DOCX,
    b"spreadsheetml.sheet.main+xml": XLSX,
}
_ACTIVE_PDF_CONTENT = re.compile(
    rb"<\s*/?\s*(?:html|script|body|iframe|svg|object|embed)\b|/JavaScript\b|/JS\s*[(<]", re.IGNORECASE
)
THUMBNAIL_SIZE = (480, 480)
GPS_IFD = 0x8825


class FileRefused(ValueError):
    """The file cannot be accepted; the message says why in words the uploader understands."""


@dataclass(frozen=True)
class CheckedFile:
    file_name: str
    content_type: str
    data: bytes
    thumbnail: bytes | None


def size_in_words(limit: int) -> str:
    return f"{limit / 1_000_000:g} MB" if limit >= 1_000_000 else f"{limit / 1000:g} KB"


def check_file(name: str, data: bytes, *, limit: int, max_pixels: int) -> CheckedFile:
    """The file as Waymark keeps it, or ``FileRefused``."""
    if not data:
        raise FileRefused("The selected file is empty")
    if len(data) > limit:
        raise FileRefused(f"The file must be {size_in_words(limit)} or smaller")
    content_type = sniff(data)
    thumbnail = None
    if content_type == "application/pdf" and _ACTIVE_PDF_CONTENT.search(data):
        raise FileRefused("The PDF contains web page code or scripts. Save or print it as a new PDF and upload that")
    if content_type in ("image/jpeg", "image/png"):
        thumbnail = _thumbnail(data, max_pixels)
        data = without_location(data, content_type)
    elif content_type == "image/heic":
        thumbnail = _thumbnail(data, max_pixels)
        data = heic_without_location(data, max_pixels)
    return CheckedFile(display_name(name, ACCEPTED[content_type]), content_type, data, thumbnail)


def sniff(data: bytes) -> str:
    """The accepted kind the content is, whatever the file is called."""
    guess = filetype.guess(data[:8192])
    mime = guess.mime if guess else None
    if mime in ("application/zip", DOCX, XLSX):
        mime = _office_kind(data)
    if mime not in ACCEPTED:
        raise FileRefused(f"The file must be a {KINDS_IN_WORDS} file")
    return mime


def _office_kind(data: bytes) -> str | None:
    """A Word or Excel document is a ZIP whose content types name its main part (macros are another type)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > 1_000_000:
                return None
            types = archive.read(info)
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, NotImplementedError):
        return None
    return next((kind for marker, kind in _OFFICE_MAIN_PARTS.items() if marker in types), None)


def _open_image(data: bytes, max_pixels: int) -> Image.Image:
    """The image, opened only when its size is safe to decode (a 'decompression bomb' is refused)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > max_pixels:
                raise FileRefused(
                    f"The image is {image.width} × {image.height} pixels; "
                    f"upload one of at most {max_pixels // 1_000_000} million pixels"
                )
            image.draft("RGB", (THUMBNAIL_SIZE[0] * 2, THUMBNAIL_SIZE[1] * 2))  # JPEG decodes at a smaller scale
            image.load()
        except FileRefused:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise FileRefused("The image is too large to open safely") from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise FileRefused("The image cannot be read: it may be damaged") from None
    return image


def _thumbnail(data: bytes, max_pixels: int) -> bytes:
    image = _open_image(data, max_pixels)
    upright = ImageOps.exif_transpose(image)
    upright.thumbnail(THUMBNAIL_SIZE)
    out = io.BytesIO()
    upright.convert("RGB").save(out, "JPEG", quality=82)  # no exif= given: the thumbnail keeps no metadata
    return out.getvalue()


def without_location(data: bytes, content_type: str) -> bytes:
    """The photo with its GPS position and XMP packet taken out, its picture untouched (no re-encoding)."""
    if content_type == "image/jpeg":
        return _jpeg_without_location(data)
    return _png_without_metadata(data)


def _jpeg_without_location(data: bytes) -> bytes:
    out, at = bytearray(data[:2]), 2
    while at + 4 <= len(data) and data[at] == 0xFF:
        marker = data[at + 1]
        if marker == 0xDA:  # start of scan: the picture itself follows
            break
        end = at + 2 + int.from_bytes(data[at + 2 : at + 4], "big")
        segment = data[at:end]
        if marker == 0xE1 and segment[4:10] == b"Exif\x00\x00":
            segment = _exif_segment_without_gps(segment)
        elif marker == 0xE1 and b"ns.adobe.com/xap" in segment[4:40]:
            segment = b""  # XMP can carry the location too
        out += segment
        at = end
    return bytes(out + data[at:])


def _exif_segment_without_gps(segment: bytes) -> bytes:
    exif = Image.Exif()
    exif.load(segment[4:])
    if GPS_IFD not in exif:
        return segment
    del exif[GPS_IFD]
    body = exif.tobytes()
    return b"\xff\xe1" + (len(body) + 2).to_bytes(2, "big") + body


def heic_without_location(data: bytes, max_pixels: int) -> bytes:
    """The HEIC with its GPS position and XMP packet blanked where they lie, its picture untouched.

    The Exif item is rewritten without its GPS directory, padded to its old length so the file's
    item locations still hold; the result is read back, and if a position were still there the
    picture would be encoded afresh without it (slower, and a little loss of quality).
    """
    image = _open_image(data, max_pixels)
    out = bytearray(data)
    raw_exif, xmp = image.info.get("exif") or b"", image.info.get("xmp") or b""
    exif = Image.Exif()
    if raw_exif:
        exif.load(raw_exif)
    if exif.get_ifd(GPS_IFD):
        old = raw_exif.removeprefix(b"Exif\x00\x00")
        del exif[GPS_IFD]
        new = exif.tobytes().removeprefix(b"Exif\x00\x00")
        _overwrite(out, old, new.ljust(len(old), b"\x00"))
    if xmp:
        _overwrite(out, xmp, _EMPTY_XMP.ljust(len(xmp) - len(_XMP_END), b" ") + _XMP_END)
    cleaned = bytes(out)
    if _heic_holds_location(cleaned):
        return _heic_encoded_afresh(image, exif)
    return cleaned


_EMPTY_XMP = b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"/>'
_XMP_END = b'<?xpacket end="w"?>'


def _overwrite(out: bytearray, old: bytes, new: bytes) -> None:
    """Replace the one place ``old`` is found with ``new`` of the same length; leave it when not found once."""
    at = out.find(old)
    if len(new) == len(old) and at >= 0 and out.find(old, at + 1) < 0:
        out[at : at + len(old)] = new


def _heic_holds_location(data: bytes) -> bool:
    image = Image.open(io.BytesIO(data))
    exif = image.getexif()
    return bool(exif.get_ifd(GPS_IFD)) or b"exif:GPS" in (image.info.get("xmp") or b"")


def _heic_encoded_afresh(image: Image.Image, exif: Image.Exif) -> bytes:
    out = io.BytesIO()
    image.save(out, "HEIF", quality=90, exif=exif.tobytes(), xmp=None)
    return out.getvalue()


def _png_without_metadata(data: bytes) -> bytes:
    """PNG chunks, less eXIf and text chunks (where cameras and editors put location and other metadata)."""
    out, at = bytearray(data[:8]), 8
    while at + 8 <= len(data):
        length = int.from_bytes(data[at : at + 4], "big")
        kind = data[at + 4 : at + 8]
        end = at + 12 + length
        if kind not in (b"eXIf", b"tEXt", b"zTXt", b"iTXt"):
            out += data[at:end]
        at = end
    return bytes(out)


def display_name(name: str, extension: str) -> str:
    """The name shown and offered on download: no folders, no control characters, the real extension."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip().lstrip(".")
    stem = base.rsplit(".", 1)[0].strip() if "." in base else base
    return (stem[:120].strip() or "evidence") + extension
