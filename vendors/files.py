"""Handing out private files (product photos, permit documents), shared by every view that has
already checked access.

Private files are never served from a public URL; a view decides who may see a file and then
hands it to ``serve_private_file`` (or ``serve_photo`` for a photo and its thumbnail). On local
storage the bytes are streamed through Django; on S3 the response is a redirect to a signed URL
that expires within ``PRIVATE_FILE_URL_EXPIRE`` seconds, so the object store sends the bytes and
still only to someone this view let through.
"""

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.utils.http import content_disposition_header
from storages.backends.s3 import S3Storage

PHOTO_VARIANTS = ("display", "thumb")

# What the streamed response and the object store's response both tell the browser.
PRIVATE_CACHE_CONTROL = "private, max-age=3600"


def serve_private_file(
    field, content_type: str, *, download_name: str | None = None
) -> FileResponse | HttpResponseRedirect:
    """The stored file of ``field`` as a private, non-sniffed response; with ``download_name``
    the browser saves it instead of opening it (a PDF is not rendered inside Kurasi's origin)."""
    if not field.name:
        raise Http404
    if _signs_urls(field.storage):
        return _redirect_to_signed_url(field, content_type, download_name)
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
    response["Cache-Control"] = PRIVATE_CACHE_CONTROL
    response["X-Content-Type-Options"] = "nosniff"
    return response


def serve_photo(photo, variant: str) -> FileResponse | HttpResponseRedirect:
    """The photo's file (``display``) or thumbnail (``thumb``) as a private JPEG, shown inline."""
    if variant not in PHOTO_VARIANTS:
        raise Http404
    return serve_private_file(photo.thumbnail if variant == "thumb" else photo.image, "image/jpeg")


def _signs_urls(storage) -> bool:
    # An S3 storage without query-string auth would hand out a URL anyone could reuse: such a
    # misconfigured storage is streamed through Django like a local one.
    return isinstance(storage, S3Storage) and storage.querystring_auth


def _redirect_to_signed_url(field, content_type, download_name) -> HttpResponseRedirect:
    expire = settings.PRIVATE_FILE_URL_EXPIRE
    # The object store answers with these headers because they are part of the signed request:
    # a document still downloads, and nothing is sniffed into another type.
    parameters = {
        "ResponseContentType": content_type,
        "ResponseContentDisposition": content_disposition_header(
            download_name is not None, download_name or ""
        )
        or "inline",
        "ResponseCacheControl": PRIVATE_CACHE_CONTROL,
    }
    response = HttpResponseRedirect(field.storage.url(field.name, parameters, expire=expire))
    # The browser may reuse the redirect for half the URL's lifetime, so a cached redirect never
    # points at an expired URL.
    response["Cache-Control"] = f"private, max-age={expire // 2}"
    return response
