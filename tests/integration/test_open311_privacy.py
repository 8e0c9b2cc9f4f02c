"""Open311 reads over real sockets: no public window unless the centre opens one, and then only what it
chose; an app reads its own submissions in full and nothing of anyone else's; what an app posts is kept."""

from __future__ import annotations

from dataclasses import replace

import httpx2 as httpx
import pytest

from tests.integration.served import serving

ADDRESS = "东昌府区古楼街道东关社区3号楼2单元401"
POSTED = {"service_code": "water.outage", "address_string": ADDRESS, "lat": "36.4562", "long": "115.9853",
          "media_url": "https://img.example.cn/311/4711.jpg", "first_name": "女士", "last_name": "张",
          "phone": "13800138000", "description": "停水两天了，我的电话13800138000"}


def app_key(api, people, name: str) -> str:
    return api.post("/api/v1/api-clients", json={"name": name, "channel": "app"},
                    headers=people["admin"].headers).json()["api_key"]


def post(base: str, key: str, **changes) -> httpx.Response:
    return httpx.post(f"{base}/open311/v2/requests.json", data={**POSTED, "api_key": key, **changes}, timeout=10)


def centre(ctx, **settings):
    return replace(ctx, settings=ctx.settings.model_copy(update=settings))


@pytest.fixture
def two_apps(api, people):
    return app_key(api, people, "311-a"), app_key(api, people, "311-b")


def test_without_a_key_nothing_is_read_by_default_not_even_by_ticket_number(ctx, two_apps):
    with serving(ctx) as base:
        [receipt] = post(base, two_apps[0]).json()
        ticket = receipt["service_request_id"]
        listing = httpx.get(f"{base}/open311/v2/requests.json", timeout=10)
        one = httpx.get(f"{base}/open311/v2/requests/{ticket}.json", timeout=10)
        xml = httpx.get(f"{base}/open311/v2/requests/{ticket}.xml", timeout=10)
    assert listing.status_code == one.status_code == xml.status_code == 401
    assert ticket not in listing.text + one.text + xml.text and "停水" not in listing.text + one.text
    assert one.json()[0]["description"].startswith("an api_key is required")


def test_an_app_reads_its_own_submission_in_full_and_nothing_of_another_apps(ctx, two_apps):
    mine, theirs = two_apps
    with serving(ctx) as base:
        ticket = post(base, mine).json()[0]["service_request_id"]
        [own] = httpx.get(f"{base}/open311/v2/requests/{ticket}.json", params={"api_key": mine}, timeout=10).json()
        own_list = httpx.get(f"{base}/open311/v2/requests.json", params={"api_key": mine}, timeout=10).json()
        other_one = httpx.get(f"{base}/open311/v2/requests/{ticket}.json", params={"api_key": theirs}, timeout=10)
        other_list = httpx.get(f"{base}/open311/v2/requests.json", params={"api_key": theirs}, timeout=10)
        wrong_key = httpx.get(f"{base}/open311/v2/requests.json", params={"api_key": "hk_guess"}, timeout=10)
    assert own["description"] == POSTED["description"] and own["address"] == ADDRESS
    assert (own["lat"], own["long"], own["media_url"]) == (36.4562, 115.9853, POSTED["media_url"])
    assert [r["service_request_id"] for r in own_list] == [ticket]
    assert other_one.status_code == 404 and "停水" not in other_one.text  # the same 404 as an unknown ticket
    assert other_list.json() == []
    assert wrong_key.status_code == 401
    assert "张" not in str(own)  # names never leave through Open311, not even to the submitting app


def test_a_publishing_centre_shows_only_what_it_chose_with_the_place_coarsened(ctx, two_apps):
    mine, theirs = two_apps
    with serving(centre(ctx, open311_public_reads=True)) as base:
        ticket = post(base, mine).json()[0]["service_request_id"]
        anonymous = httpx.get(f"{base}/open311/v2/requests.json", timeout=10)
        by_ticket = httpx.get(f"{base}/open311/v2/requests/{ticket}.json", timeout=10)
        other_app = httpx.get(f"{base}/open311/v2/requests/{ticket}.json", params={"api_key": theirs}, timeout=10)
    [listed] = anonymous.json()
    assert listed == by_ticket.json()[0] == other_app.json()[0]
    assert {k for k, v in listed.items() if v is not None} == {
        "service_request_id", "service_code", "service_name", "status", "address", "requested_datetime",
        "updated_datetime"}  # expected_datetime too, once the order has a completion deadline
    assert listed["address"] == "东昌府区古楼街道" and listed["status"] == "open"
    raw = anonymous.text + by_ticket.text + other_app.text
    for private in ("13800138000", "张女士", "东关社区", "401", "36.4562", "img.example.cn", "停水两天"):
        assert private not in raw


def test_published_text_is_masked_when_a_centre_chooses_to_publish_it(ctx, two_apps):
    with serving(centre(ctx, open311_public_reads=True, open311_public_fields="service_request_id,description")) \
            as base:
        post(base, two_apps[0])
        [row] = httpx.get(f"{base}/open311/v2/requests.json", timeout=10).json()
    assert row["description"] == "停水两天了，我的电话138****8000"
    assert row["address"] is None and row["status"] is None


@pytest.mark.parametrize("field,value", [("lat", "north"), ("lat", "91"), ("long", "-181"),
                                         ("media_url", "javascript:alert(1)")])
def test_unusable_coordinates_or_media_links_are_refused_and_nothing_is_filed(ctx, two_apps, field, value):
    with serving(ctx) as base:
        refused = post(base, two_apps[0], **{field: value})
        listing = httpx.get(f"{base}/open311/v2/requests.json", params={"api_key": two_apps[0]}, timeout=10)
    assert refused.status_code == 422 and refused.json()[0]["code"] == 422
    assert listing.json() == []
