"""A person logs in and finds the demo space, on a phone and on a tablet."""
import re

import pytest
from playwright.sync_api import Page, expect

from app.catalogs import read_catalog
from tests.browser.conftest import assert_fits_width, log_in

NO_TILES = "The map background could not load; the outline and the pins still work."
MAP_READY_MS = 5000  # from the click on a link to a working map, whatever the CDN does


def open_menu_and_log_in(page: Page, email: str, password: str) -> None:
    page.get_by_role("link", name="Log in").click()
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_staff_logs_in_and_sees_the_demo_space(page: Page, runner, network):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    page.goto("/")
    assert_fits_width(page)
    open_menu_and_log_in(page, "staff@plaza.example", "plaza-staff-demo")
    expect(page.get_by_text("Welcome back, Demo city staff.")).to_be_visible()
    expect(page.locator(".role-badge")).to_have_text("staff")

    page.get_by_role("link", name=re.compile("Zócalo")).click()
    expect(page).to_have_url(re.compile(r"/spaces/zocalo-cdmx$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Zócalo")
    expect(page.locator("#space-map")).to_have_attribute("data-ready", "true")
    expect(page.locator(".ideas > li")).to_have_count(32)
    # Markers cluster at this zoom; every idea is on the map in a marker or a cluster.
    expect(page.locator(".leaflet-marker-icon").first).to_be_visible()
    expect(page.locator(".leaflet-overlay-pane path")).to_have_count(1)  # the boundary
    assert page.locator("#space-map").bounding_box()["width"] <= page.viewport_size["width"]
    assert_fits_width(page)
    assert any(u.endswith("/leaflet.js") for u in network.cdn), "Leaflet came from the CDN"
    assert network.tiles > 0


def test_map_falls_back_to_local_leaflet_when_cdn_is_down(page: Page, runner, network):
    network.cdn_state = "down"
    runner.invoke(args=["seed-demo"])
    local = []
    page.on("request", lambda r: "/vendor/" in r.url and local.append(r.url))
    page.goto("/spaces/zocalo-cdmx")
    expect(page.locator("#space-map")).to_have_attribute("data-ready", "true")
    assert any(u.endswith("/vendor/leaflet/leaflet.js") for u in local)
    assert any(u.endswith("/vendor/markercluster/leaflet.markercluster.js") for u in local)


def map_ready_after_ms(page: Page, selector: str) -> float:
    """Milliseconds from the start of the navigation until the map says it is ready."""
    page.wait_for_function("(s) => document.querySelector(s)?.dataset.ready === 'true'", arg=selector,
                           polling=50, timeout=3 * MAP_READY_MS)
    return page.evaluate("performance.now()")


def zoomed(page: Page, action) -> None:
    """Does what should zoom the map, and waits until it has, animations over."""
    before = page.evaluate("document.querySelector('.leaflet-proxy').style.transform")
    action()
    page.wait_for_function("""(z) => document.querySelector('.leaflet-proxy').style.transform !== z
        && !document.querySelector('.leaflet-zoom-anim, .leaflet-cluster-anim')""", arg=before)


def assert_the_space_map_works(page: Page) -> None:
    """Leaflet's and the clusters' styles, the outline and the markers, and a tap on a cluster."""
    expect(page.locator(".leaflet-overlay-pane path")).to_have_count(1)
    expect(page.locator("#space-map")).to_have_css("overflow", "hidden")  # leaflet.css
    cluster = page.locator(".marker-cluster").first
    expect(cluster).to_be_visible()
    expect(cluster).not_to_have_css("background-color", "rgba(0, 0, 0, 0)")  # MarkerCluster.Default.css
    zoomed(page, cluster.click)
    zoomed(page, page.locator(".leaflet-control-zoom-out").click)
    expect(page.locator(".leaflet-marker-icon").first).to_be_visible()


@pytest.mark.parametrize("cdn_state, delay_ms", [
    ("down", 0), ("hang", 0), ("slow", 1500), ("slow", 6000)],
    ids=["fails", "hangs", "slow", "slower-than-the-deadline"])
def test_the_map_works_within_seconds_whatever_the_cdn_does(page: Page, runner, network,
                                                             cdn_state: str, delay_ms: int):
    """A CDN that stalls must cost no more than one that fails: the local copy takes over."""
    network.cdn_state, network.cdn_delay_ms = cdn_state, delay_ms
    runner.invoke(args=["seed-demo"])
    page.goto("/spaces/zocalo-cdmx", wait_until="commit")  # the page's load waits on the CDN
    elapsed = map_ready_after_ms(page, "#space-map")
    assert elapsed < MAP_READY_MS, f"the map took {elapsed:.0f} ms with a CDN that {cdn_state}"
    assert_the_space_map_works(page)
    if delay_ms:  # a copy given up on arrives after all, and runs: the map must not break
        page.wait_for_timeout(2 * delay_ms - elapsed + 500)  # Leaflet's file, then the plugin's
        assert page.evaluate("typeof window.L.markerClusterGroup") == "function"
        assert_the_space_map_works(page)


def test_without_tiles_the_map_says_so_and_still_works(page: Page, runner, network):
    network.tiles_down = True
    runner.invoke(args=["seed-demo"])
    page.goto("/spaces/zocalo-cdmx")
    expect(page.locator("#space-map")).to_have_attribute("data-ready", "true")
    expect(page.locator("#space-map .map-notice")).to_have_text(NO_TILES)
    assert_the_space_map_works(page)

    log_in(page, "resident@plaza.example", "plaza-resident-demo")
    page.set_extra_http_headers({"Accept-Language": "es"})
    page.goto("/spaces/zocalo-cdmx/ideas/new")
    expect(page.locator("#pick-map")).to_have_attribute("data-ready", "true")
    expect(page.locator("#pick-map .map-notice")).to_have_text(read_catalog("es").get(NO_TILES).string)
    page.locator("#pick-map").click()  # the middle of the map is inside the square
    expect(page.locator("#pick-map")).to_have_attribute("data-placed", "true")
    expect(page.locator(".leaflet-marker-icon")).to_be_visible()


def test_offline_assets_never_ask_the_cdn(page: Page, app, runner, network):
    app.config["PLAZA_OFFLINE_ASSETS"] = True
    runner.invoke(args=["seed-demo"])
    page.goto("/spaces/zocalo-cdmx")
    expect(page.locator("#space-map")).to_have_attribute("data-ready", "true")
    assert network.cdn == []


def test_register_keeps_what_was_typed_and_explains(page: Page):
    page.goto("/auth/register")
    page.get_by_label("E-mail").fill("rosa@example.org")
    page.get_by_label("Name shown with your ideas").fill("Rosa")
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_label("Repeat the password").fill("short")
    page.get_by_label("I accept the terms of use and the privacy notice").check()
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("Use at least 10 characters.")).to_be_visible()
    expect(page.get_by_label("E-mail")).to_have_value("rosa@example.org")
    expect(page.get_by_label("Name shown with your ideas")).to_have_value("Rosa")
    assert_fits_width(page)
    page.get_by_label("Password", exact=True).fill("a much longer one")
    page.get_by_label("Repeat the password").fill("a much longer one")
    page.get_by_label("I accept the terms of use and the privacy notice").check()
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    expect(page.get_by_text("We sent a message to rosa@example.org.")).to_be_visible()


def test_not_found_is_a_styled_page(page: Page):
    response = page.goto("/spaces/does-not-exist")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()
    assert_fits_width(page)
