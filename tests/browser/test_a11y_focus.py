"""Short Tab paths and focus a person can see: skip links past the space map and to the
ballot's Save, and focus rings of at least 3:1 and 2 px on every background."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ARTIFACTS, log_in

RESIDENT = ("resident@plaza.example", "plaza-resident-demo")

#: The colours a focus ring meets around an element, and the contrast of the ring's bands
#: against them (WCAG 2.2, 1.4.11 and 2.4.13), computed in the page from the used styles.
RING = """el => {
  const rgb = c => (c.match(/[\\d.]+/g) || []).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const ratio = (a, b) => { const [x, y] = [lum(rgb(a)), lum(rgb(b))].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  let node = el.parentElement, behind = "rgb(255, 255, 255)";
  while (node) {
    const bg = getComputedStyle(node).backgroundColor;
    if (bg && !bg.startsWith("rgba(0, 0, 0, 0)") && bg !== "transparent") { behind = bg; break; }
    node = node.parentElement;
  }
  const style = getComputedStyle(el);
  const halo = (style.boxShadow.match(/rgba?\\([^)]*\\)/) || [null])[0];
  const bands = [style.outlineColor, halo].filter(Boolean);
  return { width: parseFloat(style.outlineWidth), style: style.outlineStyle,
           best: Math.max(...bands.map(c => ratio(c, behind))), between: halo ? ratio(style.outlineColor, halo) : 0 };
}"""


def ring_of(page: Page, selector: str) -> dict:
    target = page.locator(selector).first
    target.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # focused from the keyboard, so :focus-visible applies
    expect(target).to_be_focused()
    return target.evaluate(RING)


def test_a_skip_link_jumps_past_the_space_map(page: Page, runner):
    runner.invoke(args=["seed-demo"])
    page.goto("/spaces/zocalo-cdmx")
    expect(page.locator("#space-map")).to_have_attribute("data-ready", "true")  # the list is redrawn, Apply gone
    page.locator("#filter-status").focus()  # the last filter (Apply goes once the script filters live)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip the map: go to the list of ideas")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("#ideas-heading")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("#idea-list a").first).to_be_focused()  # not one of the map's markers
    page.screenshot(path=str(ARTIFACTS / f"skip-map-{page.device}.png"))


def test_the_ballots_save_is_one_tab_and_enter_away(page: Page, runner):
    runner.invoke(args=["seed-demo"])
    log_in(page, *RESIDENT)
    page.goto("/spaces/zocalo-cdmx/qv")
    expect(page.locator("#qv-ballot")).to_have_attribute("data-ready", "true")
    page.locator("#qv-ballot .skip-inline").focus()
    expect(page.locator("#qv-ballot .skip-inline")).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("#qv-save")).to_be_focused()
    expect(page.locator("#qv-save")).to_be_in_viewport()  # the bar stays at the bottom of the screen


@pytest.mark.parametrize("path, selector", [
    ("/spaces/zocalo-cdmx", "a.button"),                    # a green button on the light page
    ("/spaces/zocalo-cdmx", "#space-map"),                  # the map itself
    ("/spaces/zocalo-cdmx", "#idea-list a"),                # a link on a white card
    ("/", ".site-header a"),                                # a link on the green header
])
def test_every_focus_ring_is_3_to_1_and_2px(page: Page, runner, path: str, selector: str):
    runner.invoke(args=["seed-demo"])
    page.goto(path)
    if path.startswith("/spaces/"):
        expect(page.locator("#space-map")).to_have_attribute("data-ready", "true")
    ring = ring_of(page, selector)
    assert ring["style"] != "none" and ring["width"] >= 2, ring
    assert ring["best"] >= 3, ring
    assert ring["between"] >= 3, ring  # the two bands tell apart from each other too
