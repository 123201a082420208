"""What axe cannot see on the vote, kiosk and session pages: keys that vote while scrolling,
choices whose description is never read, pairs never announced, targets too small to hit
and maps that move for people who asked for stillness."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from app.extensions import db
from app.models import PairwiseVote, Space
from app.voting.refits import refitter
from tests.browser.conftest import log_in
from tests.browser.test_sessions import FACILITATOR, new_session
from tests.browser.test_session_screens import open_app

SLUG = "zocalo-cdmx"
SCROLL_KEYS = ("ArrowDown", "ArrowUp", "PageDown", "PageUp", "Space", "End", "Home")


@pytest.fixture(autouse=True)
def finish_refits(app):
    """Background refits must end before the schema goes, or their connection is left open."""
    yield
    refitter().wait()


@pytest.fixture
def demo(runner) -> Space:
    runner.invoke(args=["seed-demo"])
    space = db.session.scalar(sa.select(Space).where(Space.slug == SLUG))
    new_session(space, mode="both")
    return space


def stored_votes() -> int:
    db.session.rollback()  # see what the server's threads committed
    return db.session.scalar(sa.select(sa.func.count(PairwiseVote.id)))


# Every visible thing a finger or pointer can hit that is smaller than `least` CSS px either
# way. A link inside a sentence is exempt (WCAG 2.5.8's inline exception); a radio or a
# checkbox is measured by its own box, not by its label.
SMALL_TARGETS_JS = """(least) => {
  const targets = document.querySelectorAll(
    "a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [tabindex]:not([tabindex='-1'])");
  const small = [];
  for (const el of targets) {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (!el.getClientRects().length || style.visibility === "hidden" || el.closest("[hidden], .sr-only")) { continue; }
    if (el.tagName === "A") {
      const block = el.parentElement;
      const text = block.textContent.replace(el.textContent, "").replace(/[\\s·|←→()]/g, "");
      if (text.length > 0 && style.display === "inline") { continue; }
    }
    if (box.width + 0.5 < least || box.height + 0.5 < least) {
      const name = el.id ? "#" + el.id : el.tagName.toLowerCase() + "." + el.className + (el.name ? "[" + el.name + "]" : "");
      small.push(`${name} "${(el.textContent || el.value || el.title || "").trim().slice(0, 30)}" ${Math.round(box.width)}×${Math.round(box.height)}`);
    }
  }
  return small;
}"""


def assert_targets(page: Page, least: int) -> None:
    small = page.evaluate(SMALL_TARGETS_JS, least)
    page.screenshot(path=f"/tmp/shots-a/{page.device}-{page.url.rsplit('/', 1)[-1]}.png", full_page=True)
    assert small == [], f"on {page.url} ({page.device}) smaller than {least}px: " + "; ".join(small)


def test_every_target_on_the_vote_page_is_at_least_24px(page: Page, demo):
    page.goto(f"/spaces/{SLUG}/vote")
    expect(page.locator("#pairwise")).to_have_attribute("data-ready", "true")
    page.get_by_role("button", name="Can't decide").click()
    assert_targets(page, 24)


def test_every_target_on_the_kiosk_is_at_least_44px(page: Page, demo):
    open_app(page, "kiosk")
    page.locator("#k-start").click()
    expect(page.locator("#k-app")).to_have_attribute("data-screen", "pairwise")
    page.locator("#k-cant").click()
    assert_targets(page, 44)
    page.locator("#screen-pairwise [data-go=idea]").click()
    expect(page.locator("#k-map")).to_have_attribute("data-ready", "true")
    assert_targets(page, 44)


def test_every_target_on_the_phone_session_page_is_at_least_24px(page: Page, demo):
    open_app(page, "phone")
    page.locator("#k-start").click()
    expect(page.locator("#k-app")).to_have_attribute("data-screen", "pairwise")
    page.locator("#k-cant").click()
    assert_targets(page, 24)
    page.locator("#screen-pairwise [data-go=idea]").click()
    expect(page.locator("#k-map")).to_have_attribute("data-ready", "true")
    assert_targets(page, 24)


def test_every_target_on_the_session_form_is_at_least_24px(page: Page, demo):
    log_in(page, *FACILITATOR)
    page.goto("/sessions/new")
    assert_targets(page, 24)
