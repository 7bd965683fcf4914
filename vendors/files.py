"""Streaming of private files (product photos, permit documents), shared by every view that
has already checked access.

Private files are never served from a public URL; a view decides who may see a file and then
hands it to ``stream_private_file`` (or ``stream_photo`` for a photo and its thumbnail).
"""

from django.http import FileResponse, Http404

PHOTO_VARIANTS = ("display", "thumb")


def stream_private_file(
    field, content_type: str, *, download_name: str | None = None
) -> FileResponse:
    """The stored file of ``field`` as a private, non-sniffed response; with ``download_name``
    the browser saves it instead of opening it (a PDF is not rendered inside Kurasi's origin)."""
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(
        handle,
        content_type=content_type,
        as_attachment=download_name is not None,
        filename=download_name or "",
    )
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def stream_photo(photo, variant: str) -> FileResponse:
    """The photo's file (``display``) or thumbnail (``thumb``) as a private, non-sniffed JPEG."""
    if variant not in PHOTO_VARIANTS:
        raise Http404
    return stream_private_file(photo.thumbnail if variant == "thumb" else photo.image, "image/jpeg")
