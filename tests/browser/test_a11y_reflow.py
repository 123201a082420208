"""Pages reflow at 320 CSS px without scrolling sideways (WCAG 1.4.10); a wide table scrolls
inside its own region instead."""
from __future__ import annotations

from playwright.sync_api import Page

from tests.browser.conftest import log_in

STAFF = ("staff@plaza.example", "plaza-staff-demo")
PATHS = ["/", "/spaces/zocalo-cdmx", "/spaces/zocalo-cdmx/ideas/new", "/spaces/zocalo-cdmx/vote",
         "/spaces/zocalo-cdmx/qv", "/spaces/zocalo-cdmx/results", "/auth/register", "/terms", "/me",
         "/staff/", "/staff/spaces/zocalo-cdmx/edit", "/staff/audit", "/staff/accounts",
         "/staff/spaces/zocalo-cdmx/moderation", "/staff/spaces/zocalo-cdmx/rankings",
         "/spaces/zocalo-cdmx/ideas/1", "/privacy", "/sessions/", "/sessions/new", "/sessions/join",
         "/sessions/kiosk", "/staff/spaces/new", "/staff/spaces/zocalo-cdmx/exports",
         "/staff/spaces/zocalo-cdmx/ideas/1/decide", "/staff/legal"]


def test_no_page_scrolls_sideways_at_320px(page: Page, runner):
    """On the phone, and on the tablet's browser narrowed to 320 px (a desktop zoomed to 400%)."""
    runner.invoke(args=["seed-demo"])
    log_in(page, *STAFF)
    page.set_viewport_size({"width": 320, "height": 700})
    wide = {}
    for path in PATHS:
        page.goto(path)
        page.wait_for_load_state("load")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            wide[path] = width
    assert wide == {}


def test_the_rankings_charts_read_at_the_pages_own_size(page: Page, runner):
    """Each idea's row keeps its whole title in body type, on a phone as on a tablet."""
    runner.invoke(args=["seed-demo", "--with-votes"])
    log_in(page, *STAFF)
    page.goto("/staff/spaces/zocalo-cdmx/rankings")
    titles = page.locator(".interval-chart .interval-title")
    assert titles.count() >= 10
    sizes = titles.evaluate_all("nodes => nodes.map(n => parseFloat(getComputedStyle(n).fontSize))")
    assert min(sizes) >= 14, sizes
    cut = titles.evaluate_all("nodes => nodes.filter(n => n.scrollWidth > n.clientWidth).length")
    assert cut == 0
