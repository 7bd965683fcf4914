"""Validation of uploaded permit documents: PDF, or a JPEG/PNG/WebP scan or photo.

A PDF is checked by its signature and end marker and stored as sent; an image goes through the
photo pipeline (decoded, limits, re-encoded without EXIF/GPS). The stored name is generated.
"""

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from vendors.images import process_photo


@dataclass(frozen=True)
class CleanDocument:
    content: ContentFile
    content_type: str


def clean_document(upload) -> CleanDocument:
    limit = settings.DOCUMENT_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("The file is too large; the limit is %(mb)s MB.") % {"mb": limit // 1_048_576},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        data = upload.read(limit + 1)
        if len(data) > limit:
            raise ValidationError(_("The file is too large."), code="too_large")
        if b"%%EOF" not in data[-2048:]:
            raise ValidationError(
                _("The PDF is damaged or incomplete: export or scan it again."), code="corrupt"
            )
        return CleanDocument(ContentFile(data, name=f"{uuid.uuid4().hex}.pdf"), "application/pdf")
    try:
        photo = process_photo(upload)
    except ValidationError as error:
        if error.code != "not_image":  # a damaged or oversized photo: say so, not "wrong type"
            raise
        raise ValidationError(
            _("Upload the document as a PDF, or as a JPEG, PNG or WebP photo or scan."),
            code="bad_type",
        ) from None
    return CleanDocument(photo.image, "image/jpeg")
