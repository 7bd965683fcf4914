"""The machine feed: keyset pages in (updated_at, id) order, tombstones, errors, ETag, mirror."""

import datetime
import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from catalogue.feed import CURSOR_SALT
from catalogue.models import Listing
from catalogue.services import update_listing_terms
from certification import services
from tests.catalogue.helpers import copies, live_listing

FEED = "/catalogue/feed.json"


@pytest.fixture(autouse=True)
def _no_settle_window(settings):
    settings.CATALOGUE_FEED_SETTLE_SECONDS = 0


def get(client, url=FEED, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()


def walk(client, **params) -> list[dict]:
    """Every item, following next links."""
    page = get(client, **params)
    items = list(page["items"])
    while page["next"]:
        page = get(client, page["next"])
        items.extend(page["items"])
    return items


def cursor_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["cursor"][0]


@pytest.fixture
def three(db):
    live = live_listing()
    others = copies(live.listing, 2)
    return live, [live.listing, *others]


@pytest.mark.django_db
def test_the_first_page_and_the_next_cursor(client, three):
    _, listings = three
    first = get(client, limit=2)
    assert [item["id"] for item in first["items"]] == [listings[0].pk, listings[1].pk]
    assert first["next"].startswith("http://testserver/catalogue/feed.json?")
    assert "cursor=" in first["next"]
    second = get(client, first["next"])
    assert [item["id"] for item in second["items"]] == [listings[2].pk]
    assert second["next"] is None

    item = first["items"][0]
    listing = listings[0]
    assert item["status"] == "live"
    assert item["price"] == listing.price
    assert item["product"]["name"] == listing.product_name
    assert item["certificate"]["number"] == listing.certificate_number
    assert len(item["photos"]) == 3
    assert "nik" not in json.dumps(item).lower()


@pytest.mark.django_db
def test_items_come_in_updated_at_then_id_order(client, three):
    _, listings = three
    same = timezone.now() - datetime.timedelta(minutes=1)
    Listing.objects.filter(pk__in=[listings[1].pk, listings[2].pk]).update(updated_at=same)
    ids = [item["id"] for item in walk(client, limit=1)]
    assert ids == [listings[1].pk, listings[2].pk, listings[0].pk]


@pytest.mark.django_db
def test_a_delisted_listing_comes_back_as_a_tombstone(client, three):
    live, _ = three
    services.suspend_certificate(certificate=live.certificate, by=live.approver, reason="Aduan")
    live.listing.refresh_from_db()
    items = walk(client)
    assert items[-1] == {
        "id": live.listing.pk,
        "status": "delisted",
        "updated_at": live.listing.updated_at.isoformat(),
    }
    assert len(items) == 3


@pytest.mark.django_db
def test_updated_since_returns_only_later_changes(client, three):
    _, listings = three
    cut = timezone.now()
    later = copies(listings[0], 1)[0]
    items = get(client, updated_since=cut.isoformat())["items"]
    assert [item["id"] for item in items] == [later.pk]
    # A naive time is read as UTC; "Z" is accepted.
    utc = cut.astimezone(datetime.UTC).replace(tzinfo=None).isoformat()
    assert [i["id"] for i in get(client, updated_since=utc + "Z")["items"]] == [later.pk]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"limit": "0"},
        {"limit": "501"},
        {"limit": "abc"},
        {"cursor": "not-a-cursor"},
        {"cursor": signing.dumps({"u": "2026-01-01T00:00:00+00:00", "i": 1}, salt="other")},
        {"cursor": signing.dumps({"u": "yesterday", "i": 1}, salt=CURSOR_SALT)},
        {"cursor": signing.dumps({"x": 1}, salt=CURSOR_SALT)},
        {"updated_since": "yesterday"},
        {"updated_since": "2026-13-45T00:00:00Z"},
    ],
    ids=[
        "limit-0",
        "limit-501",
        "limit-abc",
        "malformed-cursor",
        "forged-cursor",
        "cursor-bad-date",
        "cursor-bad-shape",
        "since-words",
        "since-impossible",
    ],
)
def test_bad_requests_are_400_json(client, params):
    response = client.get(FEED, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]


@pytest.mark.django_db
def test_a_tampered_cursor_is_refused(client, three):
    first = get(client, limit=1)
    cursor = cursor_of(first["next"])
    tampered = cursor[:-2] + ("AA" if not cursor.endswith("AA") else "BB")
    response = client.get(FEED, {"cursor": tampered})
    assert response.status_code == 400


@pytest.mark.django_db
def test_limit_500_is_allowed(client, three):
    assert len(get(client, limit=500)["items"]) == 3


@pytest.mark.django_db
def test_etag_and_if_none_match(client, three):
    response = client.get(FEED)
    etag = response["ETag"]
    assert etag.startswith('"')
    again = client.get(FEED, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    live, _ = three
    update_listing_terms(
        listing=live.listing,
        by=live.case.owner,
        price=99_000,
        price_includes_tax=False,
        minimum_order=1,
        capacity_per_month=100,
        delivery_provinces=[],
    )
    changed = client.get(FEED, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag


@pytest.mark.django_db
def test_pagination_is_stable_when_a_listing_is_created_between_pages(client, three):
    _, listings = three
    more = copies(listings[0], 2)
    first = get(client, limit=2)
    newcomer = copies(listings[0], 1)[0]
    items = list(first["items"])
    page = first
    while page["next"]:
        page = get(client, page["next"])
        items.extend(page["items"])
    ids = [item["id"] for item in items]
    assert sorted(ids) == sorted([*(x.pk for x in listings), *(x.pk for x in more), newcomer.pk])
    assert len(ids) == len(set(ids))


@pytest.mark.django_db
def test_the_settle_window_holds_back_fresh_changes(client, settings, three):
    settings.CATALOGUE_FEED_SETTLE_SECONDS = 60
    assert get(client)["items"] == []


# The mirror round trip, over HTTP


def served(client) -> dict[int, int]:
    """{id: price} of the live listings the feed serves, tombstones applied."""
    state: dict[int, int] = {}
    for item in walk(client):
        if item["status"] == "live":
            state[item["id"]] = item["price"]
        else:
            state.pop(item["id"], None)
    return state


def mirrored(path) -> dict[int, int]:
    data = json.loads(path.read_text())
    return {int(key): item["price"] for key, item in data["items"].items()}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_mirror_round_trip(client, live_server, tmp_path, capsys):
    first = live_listing()
    second = live_listing(programme=first.case.programme)
    third = live_listing(programme=first.case.programme)
    url = live_server.url + reverse("catalogue:feed")
    out = tmp_path / "mirror.json"

    call_command("mirror_catalogue", url, "--out", str(out), "--limit", "2")
    assert "3 live listing(s)" in capsys.readouterr().out
    assert mirrored(out) == served(client)
    assert set(mirrored(out)) == {first.listing.pk, second.listing.pk, third.listing.pk}

    update_listing_terms(
        listing=first.listing,
        by=first.case.owner,
        price=77_000,
        price_includes_tax=True,
        minimum_order=5,
        capacity_per_month=500,
        delivery_provinces=[],
    )
    services.suspend_certificate(certificate=second.certificate, by=second.approver, reason="x")
    call_command("mirror_catalogue", url, "--out", str(out), "--limit", "2")
    assert mirrored(out) == served(client) == {first.listing.pk: 77_000, third.listing.pk: ANY}

    services.reinstate_certificate(certificate=second.certificate, by=second.approver, reason="y")
    call_command("mirror_catalogue", url, "--out", str(out))
    expected = {
        listing.pk: listing.price for listing in Listing.objects.filter(status=Listing.Status.LIVE)
    }
    assert mirrored(out) == served(client) == expected
    assert len(expected) == 3 and expected[first.listing.pk] == 77_000


class _Any:
    def __eq__(self, other):
        return True


ANY = _Any()


# live_server makes the test transactional; serialized_rollback restores the migrated data
# (roles, regions, rubrics) afterwards instead of a flush that would re-create content types.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_mirror_reports_http_errors_as_command_errors(live_server, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="HTTP 400"):
        call_command(
            "mirror_catalogue",
            live_server.url + FEED + "?limit=abc",
            "--out",
            str(tmp_path / "m.json"),
            "--limit",
            "0",
        )
    with pytest.raises(CommandError):
        call_command("mirror_catalogue", "ftp://example/feed", "--out", str(tmp_path / "m.json"))
    assert not (tmp_path / "m.json").exists()


@pytest.mark.django_db
def test_a_later_page_starts_reading_the_index_at_its_cursor(three):
    """Without a lower bound the database read every earlier row of the feed for each page."""
    from django.db import connection

    from catalogue.feed import encode_cursor, feed_rows

    _, listings = three
    rows = feed_rows(updated_since=None, cursor=encode_cursor(listings[1].updated_at, 1))
    query = rows.values_list("id")[:500]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Three rows would be read sequentially; ask for the plan a full table gets.
            cursor.execute("SET LOCAL enable_seqscan = off")
            plan = query.explain()
        index_condition = next(line for line in plan.splitlines() if "Index Cond" in line)
        assert "updated_at >=" in index_condition, plan
    else:
        plan = query.explain()
        assert "SEARCH catalogue_listing USING" in plan and "(updated_at>? AND" in plan, plan


@pytest.mark.django_db
def test_a_region_renamed_in_admin_is_named_so_in_the_feed_at_once(client, three):
    from regions.models import Province

    live, _ = three
    province = Province.objects.get(pk=live.listing.province_id)
    assert get(client)["items"][0]["vendor"]["province"]["name"] == province.name
    province.name = "Jawa Barat (baru)"
    province.save()
    assert get(client)["items"][0]["vendor"]["province"]["name"] == "Jawa Barat (baru)"
