"""协办 shares per department on the order: each department's state, sign time and its own reply, read by the
lead, the co-handler and the hotline alike; masked for departments as every reply is."""

from __future__ import annotations

from tests.integration.conftest import new_order, step


def shared(api, people) -> str:
    ticket = new_order(api, people["operator"])
    step(api, people["operator"], ticket, "accept")
    step(api, people["operator"], ticket, "dispatch", {"lead": "371500-WATER", "co": ["371500-ZJJ"],
                                                       "reason": "需住建局协办"})
    return ticket


def test_each_share_shows_its_own_state_sign_time_and_reply(api, people):
    ticket = shared(api, people)
    step(api, people["housing"], ticket, "sign")
    step(api, people["housing"], ticket, "reply", {"text": "已督促物业配合\n联系人电话13800138000"})
    for reader in ("water", "housing", "operator"):
        story = api.get(f"/api/v1/work-orders/{ticket}/story", headers=people[reader].headers).json()
        shares = {a["role"]: a for a in story["assignments"]}
        assert shares["lead"]["status"] == "dispatched" and shares["lead"]["signed_at"] is None
        assert shares["co"]["status"] == "replied" and shares["co"]["signed_at"] and shares["co"]["replied_at"]
        assert shares["co"]["department"] != shares["lead"]["department"]
        masked = reader != "operator"
        assert ("13800138000" in shares["co"]["reply"]) is not masked and "已督促物业配合" in shares["co"]["reply"]
    assert api.get(f"/api/v1/work-orders/{ticket}/story", headers=people["street"].headers).status_code == 404
