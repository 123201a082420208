"""A person logs in and finds the demo space, on a phone and on a tablet."""
import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_fits_width


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
    network.cdn_down = True
    runner.invoke(args=["seed-demo"])
    local = []
    page.on("request", lambda r: "/vendor/" in r.url and local.append(r.url))
    page.goto("/spaces/zocalo-cdmx")
    expect(page.locator("#space-map")).to_have_attribute("data-ready", "true")
    assert any(u.endswith("/vendor/leaflet/leaflet.js") for u in local)
    assert any(u.endswith("/vendor/markercluster/leaflet.markercluster.js") for u in local)


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
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("Use at least 10 characters.")).to_be_visible()
    expect(page.get_by_label("E-mail")).to_have_value("rosa@example.org")
    expect(page.get_by_label("Name shown with your ideas")).to_have_value("Rosa")
    assert_fits_width(page)
    page.get_by_label("Password", exact=True).fill("a much longer one")
    page.get_by_label("Repeat the password").fill("a much longer one")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("Your account is ready.")).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_text("You are logged out.")).to_be_visible()


def test_not_found_is_a_styled_page(page: Page):
    response = page.goto("/spaces/does-not-exist")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()
    assert_fits_width(page)
