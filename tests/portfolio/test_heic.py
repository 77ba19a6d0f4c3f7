"""HEIC photos (iPhones' own format): a thumbnail drawn from the picture, and the position taken out."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from app.services.evidence_checks import GPS_IFD, FileRefused, check_file
from tests.portfolio.conftest import LONDON, iphone_photo, stored_files
from tests.portfolio.test_evidence_uploads import ask_with_files, files_on_record

LIMIT, PIXELS = 20_000_000, 50_000_000


def test_the_photo_itself_is_real_heic_with_a_location():
    photo = Image.open(io.BytesIO(iphone_photo()))
    assert photo.format == "HEIF" and photo.getexif().get_ifd(GPS_IFD) == LONDON
    assert b"exif:GPSLatitude" in photo.info["xmp"]


def test_a_heic_gets_a_jpeg_thumbnail_and_loses_its_location_but_not_its_picture():
    original = iphone_photo()
    checked = check_file("IMG_2042.HEIC", original, limit=LIMIT, max_pixels=PIXELS)
    assert (checked.content_type, checked.file_name) == ("image/heic", "IMG_2042.heic")
    kept = Image.open(io.BytesIO(checked.data))
    assert kept.format == "HEIF" and kept.size == (640, 480)
    assert kept.getexif().get_ifd(GPS_IFD) == {}
    assert kept.getexif()[0x010F] == "Apple"  # the rest of the camera's record stays
    assert b"GPS" not in (kept.info.get("xmp") or b"")
    assert len(checked.data) == len(original)  # blanked in place: the picture was not encoded again
    assert kept.convert("RGB").getpixel((320, 240)) == Image.open(io.BytesIO(original)).convert("RGB").getpixel(
        (320, 240)
    )
    thumbnail = Image.open(io.BytesIO(checked.thumbnail))
    assert thumbnail.format == "JPEG" and thumbnail.size == (480, 360)
    assert not thumbnail.getexif() and "xmp" not in thumbnail.info


def test_a_heic_too_large_to_decode_safely_is_refused():
    with pytest.raises(FileRefused, match="The image is 640 × 480 pixels"):
        check_file("big.heic", iphone_photo(), limit=LIMIT, max_pixels=300_000)


def test_a_damaged_heic_is_refused():
    broken = iphone_photo()[:400]
    with pytest.raises(FileRefused, match="The image cannot be read"):
        check_file("IMG_1.HEIC", broken, limit=LIMIT, max_pixels=PIXELS)


def test_an_iphone_photo_uploaded_is_kept_without_its_location(as_user, world, evidence_dir):
    assert ask_with_files(as_user, world, (iphone_photo(), "IMG_2042.HEIC")).status_code == 302
    (photo,) = files_on_record()
    assert photo.content_type == "image/heic" and photo.is_image
    assert len(stored_files(evidence_dir)) == 2  # the photo and its thumbnail
    preceptor = as_user(world.preceptor)
    served = Image.open(io.BytesIO(preceptor.get(f"/evidence/{photo.id}").data))
    assert served.format == "HEIF" and served.getexif().get_ifd(GPS_IFD) == {}
    thumbnail = preceptor.get(f"/evidence/{photo.id}/thumbnail")
    assert thumbnail.mimetype == "image/jpeg" and Image.open(io.BytesIO(thumbnail.data)).format == "JPEG"
