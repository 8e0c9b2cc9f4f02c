"""Evidence previewed on the order page: served inline with its own type, framed by our pages only, and
readable only by who may read the order (another department gets 404, as for the order itself)."""

from __future__ import annotations

from tests.integration.conftest import step
from tests.integration.test_department_steps import PNG, dispatched


def one_page_pdf(text: str = "Acceptance form 2026-11-23") -> bytes:
    """A valid one-page A4 PDF with a line of text (offsets computed), as a scanner would send."""
    stream = f"BT /F1 24 Tf 72 760 Td ({text}) Tj ET".encode()
    objects = [b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
               b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>",
               b"<</Length %d>>stream\n%s\nendstream" % (len(stream), stream),
               b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>"]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


PDF = one_page_pdf()


def completed_with_files(api, people) -> tuple[str, dict[str, int]]:
    ticket = dispatched(api, people)
    water = people["water"]
    step(api, water, ticket, "sign")
    step(api, water, ticket, "reply", {"text": "已到场"})
    r = api.post(f"/api/v1/work-orders/{ticket}/complete", data={"result": "已修复"}, headers=water.headers,
                 files=[("files", ("现场.png", PNG, "image/png")), ("files", ("验收单.pdf", PDF, "application/pdf"))])
    assert r.status_code == 200, r.text
    story = api.get(f"/api/v1/work-orders/{ticket}/story", headers=water.headers).json()
    return ticket, {f["filename"]: f["id"] for f in story["evidence"]}


def test_an_image_and_a_pdf_are_served_inline_for_a_same_origin_viewer(api, people):
    ticket, ids = completed_with_files(api, people)
    for name, kind, body in (("现场.png", "image/png", PNG), ("验收单.pdf", "application/pdf", PDF)):
        r = api.get(f"/api/v1/work-orders/{ticket}/evidence/{ids[name]}", headers=people["water"].headers)
        assert r.status_code == 200 and r.content == body
        assert r.headers["content-type"] == kind
        assert r.headers["content-disposition"].startswith("inline;")
        assert "filename*=utf-8''" in r.headers["content-disposition"]  # the Chinese name survives
        assert r.headers["x-frame-options"] == "SAMEORIGIN"
        assert "frame-ancestors 'self'" in r.headers["content-security-policy"]
        assert r.headers["x-content-type-options"] == "nosniff" and "no-store" in r.headers["cache-control"]


def test_pages_may_frame_blob_and_own_files_only(api):
    csp = api.get("/console/department.html").headers["content-security-policy"]
    assert "frame-src 'self' blob:" in csp and "object-src 'none'" in csp and "frame-ancestors 'none'" in csp


def test_another_department_cannot_read_the_files(api, people):
    ticket, ids = completed_with_files(api, people)
    for reader, status in (("housing", 404), ("street", 404), ("liaison", 404), ("supervisor", 200), ("operator", 200)):
        r = api.get(f"/api/v1/work-orders/{ticket}/evidence/{ids['现场.png']}", headers=people[reader].headers)
        assert r.status_code == status, reader
    other, _ = completed_with_files(api, people)  # a file of one order is not reachable through another's
    r = api.get(f"/api/v1/work-orders/{other}/evidence/{ids['现场.png']}", headers=people["water"].headers)
    assert r.status_code == 404
