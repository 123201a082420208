"""Every screen of the participant app, on a kiosk and on a phone, in English and Spanish."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from app.extensions import db
from app.models import Space
from app.pairwise.refits import refitter
from tests.browser.conftest import ARTIFACTS, assert_fits_width, assert_headings_readable
from tests.browser.test_sessions import PIN, new_session


@pytest.fixture(autouse=True)
def finish_refits(app):
    """Background refits must end before the schema goes, or their connection is left open."""
    yield
    refitter().wait()


@pytest.fixture
def demo(runner) -> Space:
    runner.invoke(args=["seed-demo"])
    space = db.session.scalar(sa.select(Space).where(Space.slug == "zocalo-cdmx"))
    new_session(space, mode="both")
    return space


def open_app(page: Page, via: str) -> None:
    """The start screen, as a participant finds it; by ids, so it reads in either language."""
    if via == "kiosk":
        page.goto("/sessions/kiosk")
        page.locator("#code").fill("K7P-2QX")
        page.locator("#pin").fill(PIN)
        page.locator("#submit").click()
    else:
        page.goto("/sessions/join/K7P2QX")
    expect(page.locator("#k-app")).to_have_attribute("data-ready", "true")


def on_screen(page: Page, name: str, shot: str) -> None:
    """Checks the screen and keeps a picture of it for review."""
    expect(page.locator("#k-app")).to_have_attribute("data-screen", name)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{shot}-{name}.png"))
    assert_headings_readable(page)
    assert_fits_width(page)


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("via", ["kiosk", "phone"])
def test_every_heading_reads_on_one_line_per_word(page: Page, demo, request, via: str, language: str):
    """A heading squeezed into a button's circle (one syllable a line, over the first card)
    must fail here on any screen."""
    page.set_extra_http_headers({"Accept-Language": language})
    open_app(page, via)
    expect(page.locator("html")).to_have_attribute("lang", language)
    on_screen(page, "start", request.node.name)
    page.locator("#k-start").click()
    on_screen(page, "pairwise", request.node.name)
    page.locator("#k-left").click()
    expect(page.locator("#k-app")).to_have_attribute("data-votes", "1")
    page.locator("#k-pairwise-next").click()
    on_screen(page, "qv", request.node.name)
    page.locator("#screen-qv [data-go=idea]").click()
    on_screen(page, "idea", request.node.name)
    page.locator("#k-idea-cancel").click()
    on_screen(page, "qv", request.node.name)
    page.locator("#k-qv-submit").click()
    on_screen(page, "done", request.node.name)
