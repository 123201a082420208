"""Smaller things staff and facilitators reach for: dismissing reports, exports, the projector's
QR code, and the site icon."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from app.extensions import db
from app.models import Flag, Idea, Space, User
from app.pairwise.refits import refitter
from tests.browser.conftest import assert_fits_width, assert_headings_readable, log_in
from tests.browser.test_sessions import FACILITATOR, new_session

STAFF = ("staff@plaza.example", "plaza-staff-demo")
SLUG = "zocalo-cdmx"


@pytest.fixture(autouse=True)
def finish_refits(app):
    yield
    refitter().wait()


@pytest.fixture
def demo(runner) -> Space:
    runner.invoke(args=["seed-demo"])
    return db.session.scalar(sa.select(Space).where(Space.slug == SLUG))


def test_staff_keep_a_reported_idea_and_dismiss_its_reports(page: Page, demo):
    idea = db.session.scalar(sa.select(Idea).where(Idea.space_id == demo.id).order_by(Idea.id))
    for n in range(3):
        reporter = User(email=f"reporter{n}@example.org", display_name=f"R{n}", role="resident")
        reporter.set_password("not used here")
        db.session.add(reporter)
        db.session.flush()
        db.session.add(Flag(idea_id=idea.id, user_id=reporter.id, reason=f"Looks like spam {n}"))
    idea.status = "hidden"  # as three reports leave it
    db.session.commit()

    log_in(page, *STAFF)
    page.goto(f"/staff/spaces/{SLUG}/moderation")
    item = page.locator(f'.mod-item[data-idea-id="{idea.id}"]')
    expect(item).to_contain_text("Looks like spam 2")
    assert_fits_width(page)
    item.get_by_role("button", name="Keep it, dismiss the reports").click()
    expect(page.locator(".flash")).to_have_text(f"“{idea.title}” stays, and its reports are dismissed.")
    expect(page.locator(f'.mod-item[data-idea-id="{idea.id}"]')).to_have_count(0)
    page.get_by_role("link", name="Audit log").click()
    entry = page.locator("tbody tr").first
    expect(entry).to_contain_text("idea.dismiss_flags")
    expect(entry).to_contain_text("Looks like spam 0")
    page.goto(f"/spaces/{SLUG}/ideas/{idea.id}")
    expect(page.locator(".status-pill")).to_have_text("published")


def test_exports_have_their_own_page_in_the_staff_menu(page: Page, demo):
    log_in(page, *STAFF)
    page.goto(f"/staff/spaces/{SLUG}/rankings")
    page.locator(".staff-nav").get_by_role("link", name="Exports").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Exports of {demo.name}")
    assert_headings_readable(page)
    assert_fits_width(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Pairwise votes (CSV)").click()
    assert download.value.suggested_filename == f"{SLUG}-pairwise-votes.csv"
    page.locator(".staff-nav").get_by_role("link", name="Settings").click()
    expect(page.get_by_role("link", name="Pairwise votes (CSV)")).to_have_count(0)  # no longer buried there


def test_the_projector_qr_code_is_a_third_of_the_screen_high(page: Page, demo):
    session = new_session(demo)
    log_in(page, *FACILITATOR)
    page.goto(f"/sessions/{session.id}/projector")
    expect(page.locator("#projector")).to_have_attribute("data-ready", "true")
    qr = page.locator(".p-qr svg").bounding_box()
    height, width = page.viewport_size["height"], page.viewport_size["width"]
    assert qr["height"] >= height / 3, f"the QR code is {qr['height']:.0f}px on a {height}px screen"
    assert qr["width"] >= height / 3 and qr["x"] + qr["width"] <= width
    assert_fits_width(page)


def test_pages_have_an_icon_and_nothing_is_missing(page: Page, demo):
    missing: list[str] = []
    page.on("response", lambda r: r.status == 404 and missing.append(r.url))
    for path in ("/", f"/spaces/{SLUG}", f"/spaces/{SLUG}/vote"):
        page.goto(path)
        icon = page.locator('link[rel="icon"]').get_attribute("href")
        response = page.request.get(icon)
        assert response.ok and response.headers["content-type"].startswith("image/svg+xml")
    asked = page.request.get("/favicon.ico")  # what a browser asks for when a page names no icon
    assert asked.ok and asked.headers["content-type"].startswith("image/svg+xml")
    assert missing == []
