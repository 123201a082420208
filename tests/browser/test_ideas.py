"""Residents pin ideas on the map, filter them, and see look-alike ideas while typing."""
import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_fits_width, log_in


def tap_map_centre(page: Page, selector: str) -> None:
    box = page.locator(selector).bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def test_submit_an_idea_by_tapping_the_map(page: Page, runner):
    runner.invoke(args=["seed-demo"])
    log_in(page, "resident@plaza.example", "plaza-resident-demo")
    page.goto("/spaces/zocalo-cdmx")
    page.get_by_role("link", name="Propose an idea").click()
    expect(page.locator("#pick-map")).to_have_attribute("data-ready", "true")

    page.get_by_label("Title").fill("Más árboles de sombra en el costado poniente")
    expect(page.locator("#similar")).to_be_visible()
    expect(page.locator("#similar-list a").first).to_have_text("Árboles de sombra en el costado poniente")

    page.get_by_label("Description").fill("Fresnos y jacarandas frente al Portal de Mercaderes.")
    page.get_by_label("Category").select_option("greenery")
    page.locator("#pick-map").scroll_into_view_if_needed()
    tap_map_centre(page, "#pick-map")
    expect(page.locator("#location-message")).to_have_text("Placed. Drag the pin to adjust.")
    assert page.locator("#lat").input_value().startswith("19.43")
    assert_fits_width(page)
    page.get_by_role("button", name="Submit idea").click()

    expect(page.get_by_text("Thank you! Your idea is on the map.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Más árboles de sombra en el costado poniente")
    expect(page.locator("#idea-map")).to_have_attribute("data-ready", "true")
    page.get_by_role("link", name=re.compile("Zócalo")).first.click()
    expect(page.locator("#space-map")).to_have_attribute("data-marker-count", "33")
    expect(page.locator("#idea-list > li").first).to_contain_text("Más árboles de sombra")


def test_missing_and_outside_locations_are_explained(page: Page, runner):
    runner.invoke(args=["seed-demo"])
    log_in(page, "resident@plaza.example", "plaza-resident-demo")
    page.goto("/spaces/zocalo-cdmx/ideas/new")
    expect(page.locator("#pick-map")).to_have_attribute("data-ready", "true")
    page.locator("#pick-map").scroll_into_view_if_needed()
    box = page.locator("#pick-map").bounding_box()
    page.mouse.click(box["x"] + 6, box["y"] + box["height"] - 30)  # a corner, off the square
    expect(page.locator("#location-message")).to_contain_text("outside the space")
    assert page.locator("#lat").input_value() == ""
    page.get_by_label("Title").fill("Bebederos de agua en las esquinas")
    page.get_by_label("Category").select_option("other")
    page.get_by_role("button", name="Submit idea").click()
    expect(page.get_by_text("Set the place of your idea: tap the map or use your location.")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("Bebederos de agua en las esquinas")
    expect(page.get_by_label("Category")).to_have_value("other")
    assert_fits_width(page)


def test_filters_change_map_and_list_together(page: Page, runner):
    runner.invoke(args=["seed-demo"])
    page.goto("/spaces/zocalo-cdmx")
    expect(page.locator("#space-map")).to_have_attribute("data-marker-count", "32")
    page.get_by_label("Category").select_option("play")
    expect(page.locator("#space-map")).to_have_attribute("data-marker-count", "3")
    expect(page.locator("#idea-list > li")).to_have_count(3)
    for item in page.locator("#idea-list .category").all():
        expect(item).to_have_text("play")
    assert page.url.endswith("?category=play")
    page.get_by_label("Status").select_option("adopted")
    expect(page.locator("#idea-list > li")).to_have_text(["No ideas match these filters."])
    expect(page.locator("#space-map")).to_have_attribute("data-marker-count", "0")
    page.reload()  # the filters survive a reload, rendered by the server
    expect(page.get_by_label("Category")).to_have_value("play")
    assert_fits_width(page)


def test_popup_shows_a_script_title_as_text(page: Page, make_space, make_idea, make_user):
    space = make_space(slug="tiny", name="Tiny square")
    author = make_user(email="x@example.org")
    make_idea(space, title='<img src=x onerror="document.title=1">', author_id=author.id)
    page.goto("/spaces/tiny")
    expect(page.locator("#space-map")).to_have_attribute("data-ready", "true")
    page.locator(".idea-marker").click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text('<img src=x onerror="document.title=1">')
    expect(popup.locator("img")).to_have_count(0)
    expect(page.locator("#idea-list img")).to_have_count(0)
    assert page.title() != "1"


def test_adopted_ideas_wear_a_badge(page: Page, make_space, make_idea):
    space = make_space(slug="tiny")
    make_idea(space, title="Adopted bench", status="adopted")
    page.goto("/spaces/tiny")
    expect(page.locator(".idea-marker-adopted .badge")).to_have_count(1)


def test_use_my_location(page: Page, runner):
    runner.invoke(args=["seed-demo"])
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 19.4326, "longitude": -99.1332})
    log_in(page, "resident@plaza.example", "plaza-resident-demo")
    page.goto("/spaces/zocalo-cdmx/ideas/new")
    expect(page.locator("#pick-map")).to_have_attribute("data-ready", "true")
    page.get_by_role("button", name="Use my location").click()
    expect(page.locator("#location-message")).to_have_text("Placed. Drag the pin to adjust.")
    assert page.locator("#lat").input_value() == "19.432600"
    page.context.set_geolocation({"latitude": 19.44, "longitude": -99.14})  # a few blocks away
    page.get_by_role("button", name="Use my location").click()
    expect(page.locator("#location-message")).to_contain_text("You seem to be outside this space")
    assert page.locator("#lat").input_value() == "19.432600"
