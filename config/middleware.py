"""Project middleware: the language choice, refusing hostile requests early (NUL bytes in the
address, oversized bodies), and the client address that the login throttle counts by.

Language: Django's LocaleMiddleware follows the browser's Accept-Language, which on many
Indonesian phones says English; Kurasi's officers and applicants expect Indonesian by default.
The order here is: the language cookie (set by the language menu), the logged-in user's saved
preference, then ``LANGUAGE_CODE``.
"""

from django.conf import settings
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers


class PreferredLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def choose(self, request) -> str:
        cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if cookie in self.supported:
            return cookie
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language in self.supported:
            return user.language
        return settings.LANGUAGE_CODE

    def __call__(self, request):
        language = self.choose(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class RefuseNulInUrlMiddleware:
    """Answer 400 to a NUL byte in the path or the query string.

    No address of Kurasi has one, and PostgreSQL refuses NUL in text: a path parameter or query
    value carried into a lookup (``/verify/<number>/``) would fail as a 500 instead.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path_info or "%00" in query or "\x00" in query:
            return render(request, "400.html", status=400)
        return self.get_response(request)


class RequestSizeLimitMiddleware:
    """Refuse a request body over ``REQUEST_MAX_BYTES`` with 413 and a page that says why.

    Django limits form fields (``DATA_UPLOAD_MAX_MEMORY_SIZE``) but streams uploaded files to
    disk however large they are; the photo and document limits are checked only once the whole
    body has arrived. This answers from the declared length, before anything reads the body.
    The proxy in front should have the same limit (nginx ``client_max_body_size``).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.REQUEST_MAX_BYTES
        if length > limit:
            return render(request, "413.html", {"limit_mb": limit // 1_048_576}, status=413)
        return self.get_response(request)


def client_ip(request) -> str | None:
    """The client's address for the login throttle.

    Behind a reverse proxy (``BEHIND_PROXY``) every request comes from the proxy, so the address
    is the one the proxy appended to X-Forwarded-For: the entry ``PROXY_COUNT`` from the right.
    Entries further left were sent by the client and could be anything.
    """
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.BEHIND_PROXY and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= settings.PROXY_COUNT:
            return hops[-settings.PROXY_COUNT]
    return request.META.get("REMOTE_ADDR")
