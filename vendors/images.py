"""The photo pipeline: decode, refuse what is not a safe JPEG/PNG/WebP, re-encode clean.

Every upload is decoded for real (``Image.verify()`` alone passes truncated files), limited in
bytes and pixels (a decompression bomb is refused before it is decoded), turned upright from its
EXIF orientation, stripped of EXIF/GPS/comments by re-encoding, and scaled to a display copy and
a thumbnail. Output is always JPEG with a generated name; the uploader's file name is ignored.
"""

from __future__ import annotations

import io
import uuid
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

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


def _refuse(message, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _flatten(img: Image.Image) -> Image.Image:
    """RGB on white for anything with alpha, palette, CMYK or 16-bit samples."""
    if img.mode in ("I;16", "I;16B", "I;16L", "I"):
        img = img.point(lambda v: v / 256).convert("L")
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        img = img.convert("RGBA")
        background = Image.new("RGB", img.size, (255, 255, 255))
        background.paste(img, mask=img.getchannel("A"))
        return background
    if img.mode != "RGB":
        return img.convert("RGB")
    return img


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
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            img = Image.open(io.BytesIO(data), formats=sorted(ALLOWED_FORMATS))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _refuse(
                _("The photo has too many pixels; the limit is %(mp)s megapixels.")
                % {"mp": max_pixels // 1_000_000},
                "too_many_pixels",
            ) from None
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
            raise _refuse(not_an_image, "not_image") from None
        if img.format not in ALLOWED_FORMATS:
            raise _refuse(not_an_image, "not_image")
        width, height = img.size
        if width * height > max_pixels or width > 20_000 or height > 20_000:
            raise _refuse(
                _("The photo has too many pixels (%(w)s×%(h)s); the limit is %(mp)s megapixels.")
                % {"w": width, "h": height, "mp": max_pixels // 1_000_000},
                "too_many_pixels",
            )
        if getattr(img, "n_frames", 1) > 1:
            raise _refuse(_("Animated images are not accepted: upload a still photo."), "animated")
        try:
            if img.format == "JPEG":
                # Decode at reduced scale when the display copy is much smaller: same result,
                # a fraction of the work for 12-megapixel phone photos.
                img.draft("RGB", (DISPLAY_SIZE, DISPLAY_SIZE))
            img.load()
            img = ImageOps.exif_transpose(img)
            img = _flatten(img)
        except (
            OSError,
            ValueError,
            SyntaxError,
            Image.DecompressionBombWarning,
            Image.DecompressionBombError,
        ):
            raise _refuse(
                _("The photo is damaged or incomplete: take or export it again."), "corrupt"
            ) from None
    display = img.copy()
    display.thumbnail((DISPLAY_SIZE, DISPLAY_SIZE), Image.Resampling.LANCZOS)
    thumb = display.copy()
    thumb.thumbnail((THUMBNAIL_SIZE, THUMBNAIL_SIZE), Image.Resampling.LANCZOS)
    stem = uuid.uuid4().hex
    return ProcessedPhoto(
        image=ContentFile(_encode(display), name=f"{stem}.jpg"),
        thumbnail=ContentFile(_encode(thumb), name=f"{stem}_thumb.jpg"),
        width=display.width,
        height=display.height,
    )
