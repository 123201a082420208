"""A facilitator sets up a session on the place's clock, and ends it only when sure."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from app.extensions import db
from app.models.facilitation import FacilitatedSession
from app.pairwise.refits import refitter
from tests.browser.conftest import assert_fits_width, assert_headings_readable, log_in
from tests.browser.test_sessions import FACILITATOR, PIN

CITY = "America/Mexico_City"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "BABEL_DEFAULT_TIMEZONE": CITY}  # PLAZA_TIMEZONE=America/Mexico_City


@pytest.fixture(autouse=True)
def finish_refits(app):
    yield
    refitter().wait()


def test_a_session_is_set_on_the_citys_clock_and_ended_after_asking(page: Page, runner):
    runner.invoke(args=["seed-demo"])
    log_in(page, *FACILITATOR)
    page.goto("/sessions/new")
    zone = page.get_by_label("Time zone of the place")
    expect(zone).to_have_value(CITY)
    likely = page.locator("#timezone optgroup").first.locator("option")
    expect(likely.first).to_have_text(f"Mexico City ({CITY})")
    assert "America/Tijuana" in likely.evaluate_all("options => options.map(o => o.value)")
    here = datetime.now(timezone.utc).astimezone(ZoneInfo(CITY)).replace(tzinfo=None, second=0, microsecond=0)
    shown = datetime.fromisoformat(page.get_by_label("Starts").input_value())
    assert abs(shown - here) <= timedelta(minutes=1), f"the start {shown} is not the time at the place ({here})"
    expect(page.locator("#zone-now")).to_contain_text("At the place it is now")
    assert_fits_width(page)

    page.get_by_label("Name of the session").fill("Taller en la plaza")
    page.get_by_label("Kiosk PIN", exact=True).fill(PIN)
    page.get_by_label("Repeat the PIN").fill(PIN)
    page.get_by_role("button", name="Save session").click()
    expect(page.locator("#join-code")).to_be_visible()
    expect(page.locator("header .meta").nth(1)).to_contain_text(f"({CITY})")
    db.session.rollback()
    session = db.session.scalar(sa.select(FacilitatedSession))
    starts = session.starts_at if session.starts_at.tzinfo else session.starts_at.replace(tzinfo=timezone.utc)
    assert session.timezone == CITY
    assert abs(starts - datetime.now(timezone.utc)) < timedelta(minutes=2), "the window is hours off"

    page.get_by_role("button", name="End the session now").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("End “Taller en la plaza” now?")
    assert_headings_readable(page)
    assert_fits_width(page)
    page.get_by_role("link", name="No, keep it running").click()
    expect(page.locator(".s-state")).to_have_text("open")
    page.get_by_role("button", name="End the session now").click()
    page.get_by_role("button", name="Yes, end the session now").click()
    expect(page.locator(".flash")).to_contain_text("The session has ended")
    expect(page.get_by_role("button", name="End the session now")).to_have_count(0)
