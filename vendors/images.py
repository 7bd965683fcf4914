"""The photo pipeline: decode, refuse what is not a safe JPEG/PNG/WebP, re-encode clean.

Every upload is decoded for real (``Image.verify()`` alone passes truncated files), limited in
bytes and pixels (a decompression bomb is refused before it is decoded), turned upright from its
EXIF orientation, stripped of EXIF/GPS/comments by re-encoding, and scaled to a display copy and
a thumbnail. Output is always JPEG with a generated name; the uploader's file name is ignored.
A multi-picture JPEG (MPO, as phones write with a depth or preview picture) counts as a JPEG:
its first picture is used. tests/security/test_hostile_uploads.py runs a hostile corpus through.
"""

from __future__ import annotations

import io
import math
import uuid
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
DISPLAY_SIZE = 1600
THUMBNAIL_SIZE = 400
JPEG_QUALITY = 85


@dataclass(frozen=True)
class ProcessedPhoto:
    image: ContentFile
    thumbnail: ContentFile
    width: int
    height: int


def _has_photo_signature(data: bytes) -> bool:
    return data.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")) or (
        data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    )


def _refuse(message, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _normalise(img: Image.Image) -> Image.Image:
    """One of L, LA, RGB or RGBA: modes that resize with proper filtering (alpha premultiplied).

    Greyscale stays one channel until after scaling, so a large black-and-white scan costs a
    third of the memory and time of an RGB one.
    """
    if img.mode in ("I;16", "I;16B", "I;16L", "I"):
        return img.point(lambda v: v / 256).convert("L")
    if img.mode == "1":
        return img.convert("L")
    if img.mode == "PA" or (img.mode == "P" and "transparency" in img.info):
        return img.convert("RGBA")
    if img.mode not in ("L", "LA", "RGB", "RGBA"):
        return img.convert("RGB")
    return img


def _on_white(img: Image.Image) -> Image.Image:
    """RGB, with anything transparent laid on white (not black, as a plain convert would)."""
    if img.mode in ("RGBA", "LA"):
        rgba = img.convert("RGBA")
        background = Image.new("RGB", img.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return img.convert("RGB") if img.mode != "RGB" else img


def _encode(img: Image.Image) -> bytes:
    buffer = io.BytesIO()
    # No exif=, and an empty comment: the clean copy carries no metadata of the upload.
    img.save(
        buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True, comment=b""
    )
    return buffer.getvalue()


def process_photo(upload) -> ProcessedPhoto:
    """Validate and clean one uploaded photo, or raise ValidationError saying what is wrong."""
    max_bytes = settings.PHOTO_MAX_BYTES
    max_pixels = settings.PHOTO_MAX_PIXELS
    if upload.size is not None and upload.size > max_bytes:
        raise _refuse(
            _("The photo is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": round(upload.size / 1_048_576, 1), "limit": max_bytes // 1_048_576},
            "too_large",
        )
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _refuse(
            _("The photo is too large; the limit is %(limit)s MB.")
            % {"limit": max_bytes // 1_048_576},
            "too_large",
        )
    not_an_image = _("This file is not a photo Kurasi can read: use JPEG, PNG or WebP.")
    damaged = _("The photo is damaged or incomplete: take or export it again.")
    too_many_pixels = _("The photo has too many pixels; the limit is %(mp)s megapixels.") % {
        "mp": max_pixels // 1_000_000
    }
    # A file that starts like a JPEG, PNG or WebP but does not open is a damaged photo, and the
    # person should hear that rather than "wrong kind of file".
    unreadable = (damaged, "corrupt") if _has_photo_signature(data) else (not_an_image, "not_image")
    with warnings.catch_warnings():
        # Pillow warns about broken EXIF; the metadata is dropped anyway, so that is no news.
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            img = Image.open(io.BytesIO(data), formats=sorted(ALLOWED_FORMATS))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _refuse(too_many_pixels, "too_many_pixels") from None
        except Exception:
            # Pillow's parsers report a malformed file with many exception types (OSError,
            # SyntaxError, EOFError, struct.error, IndexError …): each means "cannot use it".
            raise _refuse(*unreadable) from None
        if img.format not in ALLOWED_FORMATS | {"MPO"}:
            raise _refuse(not_an_image, "not_image")
        width, height = img.size
        if width * height > max_pixels or width > 20_000 or height > 20_000:
            raise _refuse(
                _("The photo has too many pixels (%(w)s×%(h)s); the limit is %(mp)s megapixels.")
                % {"w": width, "h": height, "mp": max_pixels // 1_000_000},
                "too_many_pixels",
            )
        # A multi-picture JPEG (MPO) is a still photo with a depth map or preview picture after
        # it, as many phones write; only its first picture is used.
        if img.format != "MPO" and getattr(img, "n_frames", 1) > 1:
            raise _refuse(_("Animated images are not accepted: upload a still photo."), "animated")
        try:
            if img.format in ("JPEG", "MPO") and max(width, height) > DISPLAY_SIZE:
                # Let libjpeg decode at 1/2, 1/4 or 1/8 scale (DCT scaling) while the longer
                # side stays at least DISPLAY_SIZE: same display copy and thumbnail, a fraction
                # of the work for 12-megapixel phone photos. The box keeps the photo's aspect
                # ratio: a square box would ask a 4:3 photo for DISPLAY_SIZE on its short side
                # too and leave it at full scale.
                factor = DISPLAY_SIZE / max(width, height)
                img.draft("RGB", (math.ceil(width * factor), math.ceil(height * factor)))
            img.load()
            img = _normalise(ImageOps.exif_transpose(img))
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise _refuse(too_many_pixels, "too_many_pixels") from None
        except Exception:
            raise _refuse(damaged, "corrupt") from None
    # Scaled in place: a second full-size copy would double the memory a large upload costs.
    img.thumbnail((DISPLAY_SIZE, DISPLAY_SIZE), Image.Resampling.LANCZOS)
    display = _on_white(img)
    thumb = display.copy()
    thumb.thumbnail((THUMBNAIL_SIZE, THUMBNAIL_SIZE), Image.Resampling.LANCZOS)
    stem = uuid.uuid4().hex
    return ProcessedPhoto(
        image=ContentFile(_encode(display), name=f"{stem}.jpg"),
        thumbnail=ContentFile(_encode(thumb), name=f"{stem}_thumb.jpg"),
        width=display.width,
        height=display.height,
    )
