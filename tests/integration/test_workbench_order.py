"""The department's order page in headless Chromium: evidence previewed (thumbnails that enlarge, a PDF in
an embedded viewer), internal notes, reply templates, 协办 shares, the A4 print view, the export of a view,
on a desktop and on a 390×844 phone (live alerts and 下派: test_workbench_live.py)."""

from __future__ import annotations

import struct
import zlib

import pytest
from selenium.webdriver.common.by import By

from tests.integration.browser import Screen, viewport
from tests.integration.conftest import step
from tests.integration.test_department_steps import dispatched
from tests.integration.test_order_attachments import PDF
from tests.integration.test_workbench import PHONE, base, browser, phone_shot  # noqa: F401 (fixtures)

pytestmark = pytest.mark.one_backend


def png(width: int = 64, height: int = 48) -> bytes:
    """A real (decodable) PNG: a blue rectangle, so the browser has something to draw as a thumbnail."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + b"\x0b\x53\x94" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def enter(s: Screen, username: str) -> None:
    """Log in to the workbench; what the previous test's page logged as its server went away is dropped."""
    s.login(username, "department.html")
    s.b.get_log("browser")


def open_order(s: Screen, ticket: str, view: str = "open") -> None:
    s.click(f"#view-{view}")
    s.click(f'tr[data-ticket="{ticket}"]')
    s.text("#ticket", ticket)


def test_evidence_shows_as_thumbnails_that_enlarge_and_a_pdf_in_a_viewer(base, people, api, browser):  # noqa: F811
    ticket = dispatched(api, people)
    water = people["water"]
    step(api, water, ticket, "sign")
    step(api, water, ticket, "reply", {"text": "已到场"})
    r = api.post(f"/api/v1/work-orders/{ticket}/complete", data={"result": "已修复"}, headers=water.headers,
                 files=[("files", ("现场照片.png", png(), "image/png")), ("files", ("验收单.pdf", PDF, "application/pdf"))])
    assert r.status_code == 200, r.text
    s = Screen(browser, base)
    viewport(browser, 1366, 768)
    enter(s, "water")
    open_order(s, ticket, "done")
    thumb = s.el("#story .evidence img.thumb")
    s.wait(lambda b: b.execute_script("return arguments[0].complete && arguments[0].naturalWidth", thumb) == 64)
    s.click("#story .evidence img.thumb")
    s.wait(lambda b: b.execute_script(
        "const i = document.querySelector('dialog.viewer[open] .viewer-body img'); return i && i.naturalWidth") == 64)
    assert "现场照片.png" in s.el("dialog.viewer h2").text
    assert s.axe() == []
    s.click("dialog.viewer [data-close]")
    s.wait(lambda b: not b.find_elements(By.CSS_SELECTOR, "dialog.viewer"))
    s.click('#story [data-name="验收单.pdf"]')
    frame = s.el("dialog.viewer iframe")
    assert frame.get_attribute("src").startswith("blob:") and frame.get_attribute("title") == "验收单.pdf"
    viewport(browser, *PHONE)
    phone_shot(s, "department-evidence-pdf")
    assert s.b.execute_script("const d = document.querySelector('dialog.viewer').getBoundingClientRect();"
                              "return d.right <= innerWidth + 1 && d.bottom <= innerHeight + 1")
    s.click("dialog.viewer [data-close]")
    viewport(browser, 1366, 768)
    assert not [e for e in s.console_errors() if "Content Security Policy" in e or "Refused" in e], s.console_errors()
    assert s.console_errors() == []


def test_internal_notes_go_both_ways_and_arrive_live_on_a_phone(base, people, api, browser):  # noqa: F811
    ticket = dispatched(api, people)
    s = Screen(browser, base)
    viewport(browser, *PHONE)
    enter(s, "water")
    s.live()
    open_order(s, ticket)
    s.text("#notes-list", "还没有沟通记录")
    s.keys("#note-text", "现场需要物业开门\n请热线联系物业")
    s.click("#note-form button")
    s.text("#notes-list", "请热线联系物业")
    [note] = api.get(f"/api/v1/work-orders/{ticket}/notes", headers=people["operator"].headers).json()
    assert note["text"] == "现场需要物业开门\n请热线联系物业" and note["side"] == "聊城市水务集团有限公司"
    r = api.post(f"/api/v1/work-orders/{ticket}/notes", json={"text": "物业电话 13912345678，已通知"},
                 headers=people["operator"].headers)
    assert r.status_code == 201
    s.text("#notes-list", "已通知")  # heard live: nobody reloaded
    assert s.axe() == []
    assert "139****5678" in s.el("#notes-list").text and "13912345678" not in s.el("#notes-list").text
    s.said("内部沟通")
    phone_shot(s, "department-notes")
    viewport(browser, 1366, 768)
    assert s.console_errors() == []


def test_templates_fill_the_reply_and_the_shares_show_each_department(base, people, api, browser):  # noqa: F811
    from tests.integration.test_order_shares import shared
    ticket = shared(api, people)
    step(api, people["housing"], ticket, "sign")
    step(api, people["housing"], ticket, "reply", {"text": "已督促物业配合"})
    s = Screen(browser, base)
    viewport(browser, 1366, 768)
    enter(s, "water")
    open_order(s, ticket)
    rows = s.all("#story table.shares tbody tr")
    assert len(rows) == 2
    co = next(r for r in rows if "协办" in r.text)
    assert "已反馈" in co.text or "反馈" in co.text
    assert "已督促物业配合" in co.text and "未签收" not in co.text
    assert "未签收" in next(r for r in rows if "主办" in r.text).text
    s.click("#sign")
    s.said("已签收")
    s.el("#reply-template")
    from selenium.webdriver.support.ui import Select
    Select(s.el("#reply-template")).select_by_visible_text("停水抢修")
    assert "抢修人员已赶赴现场" in s.el("#reply-text").get_attribute("value")
    Select(s.el("#reply-template")).select_by_visible_text("已收悉并安排")
    value = s.el("#reply-text").get_attribute("value")
    assert value.count("\n") == 1 and value.endswith("处理结果将及时告知您。")
    s.click("#reply-form button")
    s.said("已反馈")
    s.shot("department-order-shares")
    assert s.console_errors() == []


def test_the_print_view_is_an_a4_sheet_with_fields_history_and_replies(base, people, api, browser):  # noqa: F811
    import base64
    import re
    ticket = dispatched(api, people, title="东关社区停水")
    step(api, people["water"], ticket, "sign")
    step(api, people["water"], ticket, "reply", {"text": "已安排抢修\n预计今日恢复"})
    s = Screen(browser, base)
    viewport(browser, 1366, 768)
    enter(s, "water")
    open_order(s, ticket)
    page = s.b.current_window_handle
    s.click("#print-order")
    s.wait(lambda b: len(b.window_handles) == 2)
    s.b.switch_to.window(next(h for h in s.b.window_handles if h != page))
    try:
        s.wait(lambda b: b.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "on")
        sheet = s.el("#sheet").text
        for words in (ticket, "东关社区停水", "流转记录", "签收", "已安排抢修", "预计今日恢复", "主办单位", "聊城市水务集团有限公司",
                      "138****8000"):
            assert words in sheet, words
        assert "13800138000" not in sheet  # printed as the department may see it
        assert s.axe() == []
        s.shot("department-print")
        s.b.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        assert not s.b.find_element(By.ID, "toolbar").is_displayed()
        s.b.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        pdf = base64.b64decode(s.b.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True})["data"])
        width, height = (float(v) for v in re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", pdf).groups())
        assert abs(width - 595.3) < 2 and abs(height - 841.9) < 2, (width, height)  # A4 in points
        assert s.console_errors() == []
    finally:
        s.b.close()
        s.b.switch_to.window(page)


def test_the_view_exports_as_csv_with_its_filters(base, people, api, browser, tmp_path):  # noqa: F811
    import csv
    import io
    import time
    emergency = dispatched(api, people, title="水管爆裂 水淹道路", tier="emergency")
    plain = [dispatched(api, people) for _ in range(2)]
    s = Screen(browser, base)
    viewport(browser, 1366, 768)
    s.b.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)})
    enter(s, "water")
    s.click("#view-to_sign")
    s.text("#pager", "共 3 条")
    s.click("#export")
    s.said("已导出 3 条工单")
    deadline = time.monotonic() + 10
    while not [p for p in tmp_path.iterdir() if p.suffix == ".csv"] and time.monotonic() < deadline:
        time.sleep(0.1)
    [saved] = [p for p in tmp_path.iterdir() if p.suffix == ".csv"]
    assert saved.name == "工单-待签收.csv"
    data = saved.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[1][0] == emergency and {r[0] for r in rows[1:]} == {emergency, *plain}
    saved.unlink()
    s.click("#more-filters summary")
    from selenium.webdriver.support.ui import Select
    Select(s.el("#f-tier")).select_by_value("emergency")
    s.text("#pager", "共 1 条")
    s.click("#export")
    s.said("已导出 1 条工单")
    viewport(browser, 1366, 768)
    assert s.console_errors() == []
