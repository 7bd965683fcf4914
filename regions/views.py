from django.shortcuts import render
from django.views.decorators.http import require_GET

from regions.models import Regency


@require_GET
def regency_options(request):
    """<option>s of one province's regencies, for the address form's dependent select."""
    province = request.GET.get("province", "")
    regencies = Regency.objects.filter(province_id=province).order_by("name") if province else []
    response = render(request, "regions/_regency_options.html", {"regencies": regencies})
    response["Cache-Control"] = "public, max-age=86400"
    return response
