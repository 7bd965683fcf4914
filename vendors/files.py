"""Streaming of private product photos, shared by every view that has already checked access.

Photos are never served from a public URL; a view decides who may see a photo and then hands
it to ``stream_photo``.
"""

from django.http import FileResponse, Http404

PHOTO_VARIANTS = ("display", "thumb")


def stream_photo(photo, variant: str) -> FileResponse:
    """The photo's file (``display``) or thumbnail (``thumb``) as a private, non-sniffed JPEG."""
    if variant not in PHOTO_VARIANTS:
        raise Http404
    field = photo.thumbnail if variant == "thumb" else photo.image
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
