"""Public catalogue pages and the machine feed (no login needed; nothing private shown)."""

import hashlib
import json

from django.http import HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from catalogue.feed import FeedError, feed_page


@require_GET
def feed(request):
    try:
        page = feed_page(
            request=request,
            updated_since=request.GET.get("updated_since"),
            cursor=request.GET.get("cursor"),
            limit=request.GET.get("limit"),
        )
    except FeedError as error:
        return JsonResponse({"error": str(error)}, status=400)
    next_url = None
    if page.next_cursor:
        query = request.GET.copy()
        query["cursor"] = page.next_cursor
        query.pop("updated_since", None)
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    body = json.dumps(
        {"items": page.items, "next": next_url}, ensure_ascii=False, separators=(",", ":")
    ).encode()
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=30"
    return response
