"""What axe cannot see on the vote, kiosk and session pages: keys that vote while scrolling,
choices whose description is never read, pairs never announced, targets too small to hit
and maps that move for people who asked for stillness."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from app.extensions import db
from app.models import Idea, PairwiseVote, Space
from app.pairwise.refits import refitter
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


# Whether each key press reached the browser's own handling (the scrolling) unprevented.
RECORD_KEYS_JS = """() => {
  window.keysPrevented = [];
  window.addEventListener("keydown", (e) => window.keysPrevented.push(e.defaultPrevented));
}"""


def press_scroll_keys(page: Page) -> None:
    """Each scroll key, with the focus where a reader has it: the page, the breadcrumb, an idea.

    On an idea, Space is left out: it presses the focused button, as on any button.
    """
    page.evaluate(RECORD_KEYS_JS)
    places = ["body", ".breadcrumb a", "#choose-left, #k-left", "#choose-right, #k-right"]
    for place in places:
        if place == "body":
            page.evaluate("document.activeElement && document.activeElement.blur()")
        elif page.locator(place).count():
            page.locator(place).first.focus()
        else:
            continue
        for key in SCROLL_KEYS:
            if key != "Space" or place in ("body", ".breadcrumb a"):
                page.keyboard.press(key)
    assert page.evaluate("window.keysPrevented").count(True) == 0, "a scroll key was kept from scrolling"


def test_the_scroll_keys_scroll_the_vote_page_without_voting(page: Page, demo):
    page.goto(f"/spaces/{SLUG}/vote")
    board = page.locator("#pairwise")
    expect(board).to_have_attribute("data-ready", "true")
    expect(page.locator(".keys")).to_contain_text("1 left, 2 right, = equally good")
    press_scroll_keys(page)
    page.wait_for_timeout(300)  # a vote the keys set off would be on its way by now
    expect(board).to_have_attribute("data-votes", "0")
    assert stored_votes() == 0

    page.keyboard.press("1")  # the focus is still on the right-hand idea; 1 is the left one
    expect(board).to_have_attribute("data-votes", "1")
    expect(board).to_have_attribute("aria-busy", "false")
    page.locator("#choose-left").focus()
    page.keyboard.press("=")
    expect(board).to_have_attribute("data-votes", "2")
    db.session.rollback()
    assert db.session.scalars(sa.select(PairwiseVote.choice).order_by(PairwiseVote.id)).all() == ["left", "tie"]

    page.get_by_role("button", name="Undo last vote").click()  # the undo still works
    expect(board).to_have_attribute("data-votes", "1")
    assert stored_votes() == 1


@pytest.mark.parametrize("via", ["kiosk", "phone"])
def test_the_scroll_keys_never_vote_on_the_kiosk_or_the_phone(page: Page, demo, via: str):
    open_app(page, via)
    page.locator("#k-start").click()
    app = page.locator("#k-app")
    expect(app).to_have_attribute("data-screen", "pairwise")
    press_scroll_keys(page)
    expect(app).to_have_attribute("data-votes", "0")
    page.locator("#k-right").focus()
    page.keyboard.press("2")
    expect(app).to_have_attribute("data-votes", "1")
    expect(app).to_have_attribute("data-waiting", "0")
    db.session.rollback()
    assert db.session.scalars(sa.select(PairwiseVote.choice)).all() == ["right"]


def assert_choices_read_in_full(page: Page, cards: tuple[str, str]) -> None:
    """Each choice is named by its title and described by its category and its text."""
    for card in cards:
        choice = page.locator(card)
        idea = db.session.get(Idea, int(choice.get_attribute("data-idea-id")))
        assert idea.body, "the demo's ideas all have a description"
        expect(choice).to_have_accessible_name(idea.title)
        expect(choice).to_have_accessible_description(re.compile(re.escape(idea.body[:200])))
        role_name = page.get_by_role("button", name=idea.title, exact=True)
        expect(role_name).to_have_count(1)


def test_every_choice_on_the_vote_page_is_read_with_its_description(page: Page, demo):
    page.goto(f"/spaces/{SLUG}/vote")
    board = page.locator("#pairwise")
    expect(board).to_have_attribute("data-ready", "true")
    for n in range(2):
        assert_choices_read_in_full(page, ("#choose-left", "#choose-right"))
        page.locator("#choose-left").click()
        expect(board).to_have_attribute("data-votes", str(n + 1))


@pytest.mark.parametrize("via", ["kiosk", "phone"])
def test_every_choice_on_the_kiosk_and_the_phone_is_read_with_its_description(page: Page, demo, via: str):
    open_app(page, via)
    page.locator("#k-start").click()
    app = page.locator("#k-app")
    expect(app).to_have_attribute("data-screen", "pairwise")
    for n in range(2):
        assert_choices_read_in_full(page, ("#k-left", "#k-right"))
        page.locator("#k-left").click()
        expect(app).to_have_attribute("data-votes", str(n + 1))


# Every text a live region is given, and whether it was inside an aria-busy element then
# (a screen reader may hold back or drop what changes in a busy region).
WATCH_LIVE_JS = """() => {
  window.liveTexts = [];
  const watch = new MutationObserver((changes) => {
    for (const change of changes) {
      const region = change.target.nodeType === 1 ? change.target : change.target.parentElement;
      const live = region.closest("[aria-live]");
      if (live && live.textContent.trim()) {
        window.liveTexts.push({ id: live.id, text: live.textContent.trim(), busy: Boolean(live.closest("[aria-busy=true]")) });
      }
    }
  });
  watch.observe(document.body, { subtree: true, childList: true, characterData: true });
}"""


def titles(page: Page, cards: tuple[str, str]) -> list[str]:
    return [page.locator(f"{card} .card-title").text_content() for card in cards]


def test_each_new_pair_is_announced_on_the_vote_page_outside_a_busy_region(page: Page, demo):
    page.goto(f"/spaces/{SLUG}/vote")
    board = page.locator("#pairwise")
    expect(board).to_have_attribute("data-ready", "true")
    page.evaluate(WATCH_LIVE_JS)
    page.locator("#choose-left").click()
    expect(board).to_have_attribute("data-votes", "1")
    expect(board).to_have_attribute("aria-busy", "false")
    left, right = titles(page, ("#choose-left", "#choose-right"))
    said = [t for t in page.evaluate("window.liveTexts") if left in t["text"] and right in t["text"]]
    assert said, "the new pair was not announced"
    assert not any(t["busy"] for t in said), f"announced while aria-busy: {said}"


@pytest.mark.parametrize("via", ["kiosk", "phone"])
def test_each_new_pair_is_announced_on_the_kiosk_and_the_phone(page: Page, demo, via: str):
    open_app(page, via)
    page.evaluate(WATCH_LIVE_JS)
    page.locator("#k-start").click()
    app = page.locator("#k-app")
    expect(app).to_have_attribute("data-screen", "pairwise")
    for n in range(3):
        left, right = titles(page, ("#k-left", "#k-right"))
        said = [t for t in page.evaluate("window.liveTexts") if left in t["text"] and right in t["text"]]
        assert said, f"pair {n + 1} ({left} / {right}) was not announced"
        assert not any(t["busy"] for t in said), f"announced while aria-busy: {said}"
        page.locator("#k-right").click()
        expect(app).to_have_attribute("data-votes", str(n + 1))


def test_the_kiosk_credit_meter_is_said_with_its_unit(page: Page, demo):
    """A live region reads only what changed unless it is atomic: "99", not "99 of 100 credits left"."""
    open_app(page, "kiosk")
    page.locator("#k-start").click()
    page.locator("#k-pairwise-next").click()
    expect(page.locator("#k-app")).to_have_attribute("data-screen", "qv")
    page.locator(".k-qv-line").first.locator('[data-step="1"]').click()
    meter = page.locator("#k-meter")
    expect(meter).to_have_text(f"{demo.qv_budget - 1} of {demo.qv_budget} credits left")
    expect(meter).to_have_attribute("aria-live", "polite")
    expect(meter).to_have_attribute("aria-atomic", "true")


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


# From now until stopped: each transform the map's pane takes, one per frame, and whether the
# map ever ran Leaflet's zoom animation.
WATCH_MOTION_JS = """(selector) => {
  const map = document.querySelector(selector);
  const pane = map.querySelector(".leaflet-map-pane");
  const motion = { transforms: [pane.style.transform], zoomAnimated: false };
  new MutationObserver(() => { motion.zoomAnimated ||= Boolean(map.querySelector(".leaflet-zoom-anim")); })
    .observe(map, { attributes: true, attributeFilter: ["class"], subtree: true });
  const frame = () => {
    const now = pane.style.transform;
    if (now !== motion.transforms[motion.transforms.length - 1]) { motion.transforms.push(now); }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  window.mapMotion = motion;
}"""


def open_map(page: Page, where: str) -> str:
    """The page with the map; the map's selector once it is drawn."""
    if where == "space":
        page.goto(f"/spaces/{SLUG}")
        selector = "#space-map"
    elif where == "idea":
        idea = db.session.scalars(sa.select(Idea).where(Idea.lat.is_not(None), Idea.status != "pending")).first()
        page.goto(f"/spaces/{SLUG}/ideas/{idea.id}")
        selector = ".leaflet-container"
    else:
        open_app(page, "kiosk")
        page.locator("#k-start").click()
        page.locator("#screen-pairwise [data-go=idea]").click()
        selector = "#k-map"
    expect(page.locator(f"{selector}.leaflet-container")).to_be_visible()
    page.wait_for_timeout(500)  # the first view set, and any move it made, is over
    return selector


@pytest.mark.parametrize("where", ["space", "idea", "kiosk"])
@pytest.mark.parametrize("motion", ["reduce", "no-preference"])
def test_maps_stand_still_when_reduced_motion_is_asked(page: Page, demo, where: str, motion: str):
    """The zoom button and an arrow-key pan jump at once under reduced motion; without it
    they animate, which shows the test sees the animation it checks for."""
    page.emulate_media(reduced_motion=motion)
    selector = open_map(page, where)
    container = page.locator(selector)
    still = motion == "reduce"
    fades = "leaflet-fade-anim" in (container.get_attribute("class") or "")
    assert fades is not still, "tiles and popups fade in" if still else "no fading to check"
    if still:
        durations = container.evaluate("""(map) => [map, ...map.querySelectorAll("*")]
          .map((el) => getComputedStyle(el)).filter((s) => parseFloat(s.transitionDuration) > 0
            || parseFloat(s.animationDuration) > 0).length""")
        assert durations == 0, "an element of the map still has a CSS transition or animation"

    page.evaluate(WATCH_MOTION_JS, selector)
    container.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(600)
    pan = page.evaluate("window.mapMotion.transforms.length - 1")
    container.locator(".leaflet-control-zoom-in").click()
    page.wait_for_timeout(600)
    zoomed = page.evaluate("window.mapMotion.zoomAnimated")
    if still:
        assert pan == 1, f"the pan took {pan} steps, not one jump"
        assert not zoomed, "the zoom was animated"
    else:
        assert pan > 2 and zoomed, (pan, zoomed)
