"""Region names by code, kept in the cache: the catalogue feed names a province and a regency
for every item it serves, and joining both tables into each page's query cost about a fifth
of its time (docs/performance.md). Officers may correct a name in admin; saving or deleting a
region clears the cache (``regions.subscribers``), and each process rereads it after
``NAMES_TIMEOUT`` at the latest.
"""

from __future__ import annotations

from django.core.cache import cache

from regions.models import Province, Regency

NAMES_KEY = "regions:names"
NAMES_TIMEOUT = 300


def region_names() -> tuple[dict[str, str], dict[str, str]]:
    """``(province names, regency names)``, each by Kemendagri code."""
    names = cache.get(NAMES_KEY)
    if names is None:
        names = (
            dict(Province.objects.values_list("code", "name")),
            dict(Regency.objects.values_list("code", "name")),
        )
        cache.set(NAMES_KEY, names, NAMES_TIMEOUT)
    return names
