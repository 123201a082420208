"""The Spanish interface in a real browser: the switch, pages, and what the scripts write."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from app.catalogs import read_catalog
from tests.browser.conftest import assert_fits_width, log_in


@pytest.fixture(scope="module")
def spanish():
    """The Spanish text of an English message, as the catalog gives it."""
    catalog = read_catalog("es")

    def translate(message: str, plural: str | None = None, n: int = 1, **params) -> str:
        found = catalog.get(message if plural is None else (message, plural))
        assert found is not None and found.string, message
        text = found.string if plural is None else found.string[0 if n == 1 else 1]
        return text % params if params else text

    return translate


def test_a_resident_switches_to_spanish_and_votes(page: Page, runner, spanish):
    runner.invoke(args=["seed-demo"])
    page.goto("/spaces/zocalo-cdmx")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("button", name="Español").click()

    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert page.url.endswith("/spaces/zocalo-cdmx")  # back on the page it came from
    expect(page.get_by_role("button", name="English")).to_be_enabled()
    assert_fits_width(page)
    page.get_by_role("link", name=spanish("Vote: which is better?")).click()

    board = page.locator("#pairwise")
    expect(board).to_have_attribute("data-ready", "true")
    expect(page.locator("#progress")).to_have_text(spanish("Your first vote is the hardest. Which one?"))
    # The demo's categories are stored in English; the script names them in Spanish.
    from app.ideas.display import CATEGORY_LABELS

    names = {spanish(label) for label in CATEGORY_LABELS.values()}
    for side in ("left", "right"):
        assert page.locator(f"#choose-{side} .card-category").inner_text() in names
    page.locator("#choose-left").click()
    expect(board).to_have_attribute("data-votes", "1")
    expect(page.locator("#progress")).to_have_text(
        spanish("%(num)s vote — keep going", "%(num)s votes — keep going", 1, num="1"))
    page.locator("#choose-right").focus()
    page.keyboard.press("2")
    expect(board).to_have_attribute("data-votes", "2")
    expect(page.locator("#progress")).to_have_text(
        spanish("%(num)s vote — keep going", "%(num)s votes — keep going", 2, num="2"))
    assert_fits_width(page)

    # The choice outlives the page: a new page in the same browser stays in Spanish.
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_a_form_error_in_spanish_keeps_what_was_typed(page: Page, runner, spanish):
    runner.invoke(args=["seed-demo"])
    log_in(page, "resident@plaza.example", "plaza-resident-demo")
    page.goto("/spaces/zocalo-cdmx/ideas/new")
    page.get_by_role("button", name="Español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.get_by_label(spanish("Title")).fill("Sombra")
    page.get_by_label(spanish("Description")).fill("Toldos sobre las bancas")
    page.get_by_role("button", name=spanish("Submit idea")).click()
    expect(page.get_by_text(spanish("Set the place of your idea: choose a place from the list, or put a pin on the map."))).to_be_visible()
    expect(page.get_by_label(spanish("Title"))).to_have_value("Sombra")
    expect(page.get_by_label(spanish("Description"))).to_have_value("Toldos sobre las bancas")


def test_session_times_take_the_article_their_hour_needs(page: Page, runner, spanish):
    """ "a la 1:30" but "a las 13:30": the preposition follows the hour the clock shows."""
    import re
    from datetime import datetime, timedelta, timezone

    import sqlalchemy as sa

    from app.extensions import db
    from app.models import Space
    from tests.browser.test_sessions import FACILITATOR, new_session

    runner.invoke(args=["seed-demo"])
    space = db.session.scalar(sa.select(Space).where(Space.slug == "zocalo-cdmx"))
    starts = datetime(2099, 6, 13, 7, 30, tzinfo=timezone.utc)  # 1:30 at the place (UTC-6)
    upcoming = new_session(space, starts_at=starts, ends_at=starts + timedelta(hours=2))
    live = new_session(space, join_code="K7P3QX")
    log_in(page, *FACILITATOR)
    page.goto("/")
    page.get_by_role("button", name="Español").click()
    page.goto(f"/sessions/join/{upcoming.join_code}")
    expect(page.locator("#k-start-note")).to_have_text(
        spanish("Voting opens at %(time)s.", "Voting opens at %(time)s.", 1, time="1:30"))
    expect(page.locator("#k-start-note")).to_contain_text("a la 1:30")

    page.goto(f"/sessions/{live.id}/projector")
    expect(page.locator("#projector")).not_to_have_attribute("data-updated", "0")
    status = page.locator("#p-status")
    expect(status).to_have_text(re.compile(r"^Actualizado a las? \d{1,2}:\d{2}:\d{2}"))
    said = status.inner_text()  # read once: the next poll may cross an hour
    hour = int(re.search(r"(\d{1,2}):", said).group(1))
    assert said.startswith("Actualizado a la " if hour == 1 else "Actualizado a las ")
    assert_fits_width(page)


def test_the_maps_credit_and_controls_speak_spanish(page: Page, runner, spanish):
    runner.invoke(args=["seed-demo"])
    page.goto("/spaces/zocalo-cdmx")
    page.get_by_role("button", name="Español").click()
    credit = page.locator(".leaflet-control-attribution")
    expect(credit).to_contain_text("colaboradores de OpenStreetMap")
    expect(credit).not_to_contain_text("contributors")
    expect(credit.get_by_role("link", name="Leaflet")).to_have_attribute(
        "title", spanish("A JavaScript library for interactive maps"))
    expect(page.locator(".leaflet-control-zoom-in").first).to_have_attribute("title", spanish("Zoom in"))
    page.get_by_role("button", name="English").click()
    expect(credit).to_contain_text("OpenStreetMap contributors")
    expect(credit.get_by_role("link", name="Leaflet")).to_have_attribute(
        "title", "A JavaScript library for interactive maps")
