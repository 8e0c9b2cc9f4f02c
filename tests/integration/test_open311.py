"""Open311 GeoReport v2 round trip with the spec's field names, in JSON and XML."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from tests.integration.conftest import step

FIELDS = {"service_request_id", "status", "status_notes", "service_name", "service_code", "description",
          "agency_responsible", "service_notice", "requested_datetime", "updated_datetime", "expected_datetime",
          "address", "address_id", "zipcode", "lat", "long", "media_url"}


def app_key(api, people) -> str:
    return api.post("/api/v1/api-clients", json={"name": "311-app", "channel": "app"},
                    headers=people["admin"].headers).json()["api_key"]


def test_services_list_and_definition(api):
    services = api.get("/open311/v2/services.json").json()
    heating = next(s for s in services if s["service_code"] == "utility.heat.cold")  # the catalogue's leaves
    assert set(heating) == {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
    assert heating["service_name"] == "暖气不热" and heating["type"] == "realtime" and heating["group"] == "utility"
    assert api.get("/open311/v2/services/heating.json").json() == {"service_code": "heating", "attributes": []}
    xml = ET.fromstring(api.get("/open311/v2/services.xml").content)
    assert xml.tag == "services" and xml.find("service/service_code").text == services[0]["service_code"]


def test_request_round_trip_never_shows_names_or_phones(api, people):
    key = app_key(api, people)
    form = {"api_key": key, "service_code": "water.outage", "address_string": "东昌府区古楼街道东关社区",
            "description": "停水两天了，我的电话13800138000", "first_name": "女士", "last_name": "张", "phone": "13800138000"}
    created = api.post("/open311/v2/requests.json", data=form)
    assert created.status_code == 200, created.text
    [receipt] = created.json()
    ticket = receipt["service_request_id"]
    assert receipt["service_notice"] == "民生：24小时内反馈"
    step(api, people["operator"], ticket, "accept")
    step(api, people["operator"], ticket, "dispatch")
    [request] = api.get(f"/open311/v2/requests/{ticket}.json", params={"api_key": key}).json()
    assert set(request) == FIELDS
    assert request["status"] == "open" and request["agency_responsible"] == "聊城市水务集团有限公司"
    assert request["expected_datetime"].startswith("2026-11-26T16:00:00")  # 3 working days, 24:00 local
    assert request["address"] == "东昌府区古楼街道东关社区"
    raw = (api.get(f"/open311/v2/requests/{ticket}.json", params={"api_key": key}).text
           + api.get("/open311/v2/requests.json", params={"api_key": key}).text)
    assert "张女士" not in raw and "13800138000" not in raw.replace(form["description"], "")
    assert request["description"] == form["description"]  # the app's own submission, as it posted it


def test_request_list_filters(api, people):
    key = app_key(api, people)
    for code in ("water.outage", "heating"):
        api.post("/open311/v2/requests.json", data={"api_key": key, "service_code": code, "description": code})
    only_heating = api.get("/open311/v2/requests.json", params={"service_code": "heating", "api_key": key}).json()
    assert [r["service_code"] for r in only_heating] == ["utility.heat.cold"]  # filed under the leaf
    assert api.get("/open311/v2/requests.json", params={"status": "closed", "api_key": key}).json() == []
    assert len(api.get("/open311/v2/requests.json", params={"status": "open", "api_key": key}).json()) == 2
    window = api.get("/open311/v2/requests.json", params={"start_date": "2026-11-24T00:00:00+08:00",
                                                                "api_key": key}).json()
    assert window == []
    ids = ",".join(r["service_request_id"] for r in only_heating)
    assert len(api.get("/open311/v2/requests.json", params={"service_request_id": ids, "api_key": key}).json()) == 1


def test_xml_requests_and_spec_errors(api, people):
    bad_key = api.post("/open311/v2/requests.xml", data={"api_key": "nope", "service_code": "heating"})
    assert bad_key.status_code == 401
    error = ET.fromstring(bad_key.content)
    assert error.tag == "errors" and error.find("error/code").text == "401"
    key = app_key(api, people)
    unknown = api.post("/open311/v2/requests.json", data={"api_key": key, "service_code": "ufo"})
    assert unknown.status_code == 422 and unknown.json()[0]["description"].startswith("service_code ufo")
    assert api.get("/open311/v2/requests/20990101-0001.json", params={"api_key": key}).json()[0]["code"] == 404
    xml = ET.fromstring(api.get("/open311/v2/requests.xml", params={"api_key": key}).content)
    assert xml.tag == "service_requests"
