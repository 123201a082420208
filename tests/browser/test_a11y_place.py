"""Saying where an idea belongs without seeing or pointing at the map (issue 21, item 1):
the map's crosshair moved with the arrow keys, and the space's landmarks in a list."""
import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_fits_width, log_in


def open_idea_form(page: Page, runner) -> None:
    runner.invoke(args=["seed-demo"])
    log_in(page, "resident@plaza.example", "plaza-resident-demo")
    page.goto("/spaces/zocalo-cdmx/ideas/new")
    expect(page.locator("#pick-map")).to_have_attribute("data-ready", "true")


def tab_to(page: Page, selector: str, most: int = 15) -> None:
    """Tab forward until the element has focus, as a keyboard user gets there."""
    target = page.locator(selector)
    for _ in range(most):
        page.keyboard.press("Tab")
        if target.evaluate("node => node === document.activeElement"):
            return
    raise AssertionError(f"{selector} is not reached in {most} Tab presses")


def test_a_keyboard_places_the_pin_with_the_crosshair_and_hears_where(page: Page, runner):
    open_idea_form(page, runner)
    page.get_by_label("Title").focus()
    page.keyboard.type("Sombra para la fila del metro")
    page.get_by_label("Category").focus()
    page.keyboard.press("End")
    message = page.locator("#location-message")
    crosshair = page.locator("#pick-map .map-crosshair")
    expect(crosshair).to_be_hidden()

    tab_to(page, "#pick-map")
    expect(crosshair).to_be_visible()
    page.keyboard.press("ArrowUp")
    expect(message).to_have_text(re.compile(
        r"^Crosshair (about \d+ m [a-z-]+ of|at) .+\. Press Enter to put the pin here\.$"))
    page.keyboard.press("Enter")
    expect(message).to_have_text(re.compile(
        r"^Placed (about \d+ m [a-z-]+ of|at) .+\. Move the crosshair and press Enter to move it\.$"))
    assert float(page.locator("#lat").input_value()) > 19.43263  # north of the centre, where it moved
    assert page.get_by_label("Map for placing your idea").get_attribute("aria-describedby") == "location-hint"
    assert_fits_width(page)

    tab_to(page, "#submit", most=25)
    page.keyboard.press("Enter")
    expect(page.get_by_text("Thank you! Your idea is on the map.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sombra para la fila del metro")


def test_a_landmark_from_the_list_places_the_pin_and_names_the_place(page: Page, runner):
    open_idea_form(page, runner)
    page.get_by_label("Title").fill("Toldos frente a la Catedral")
    page.get_by_label("Category").select_option("seating & shade")
    page.get_by_label("Choose a place from the list").select_option("Frente a la Catedral")
    expect(page.locator("#location-message")).to_have_text("Placed at Frente a la Catedral.")
    assert page.locator("#lat").input_value() != ""
    assert_fits_width(page)
    page.get_by_role("button", name="Submit idea").click()
    expect(page.get_by_text("Where: Frente a la Catedral")).to_be_visible()
    expect(page.locator("#idea-map")).to_have_attribute("data-ready", "true")


def test_an_idea_about_the_whole_space_drops_its_pin(page: Page, runner):
    open_idea_form(page, runner)
    page.get_by_label("Title").fill("Más sombra en toda la plaza")
    page.get_by_label("Category").select_option("seating & shade")
    page.get_by_label("Choose a place from the list").select_option("Portal de Mercaderes")
    page.get_by_label("No particular spot: it is about the whole space").check()
    expect(page.locator("#location-message")).to_have_text("No spot: your idea is about the whole space.")
    assert page.locator("#lat").input_value() == "" and page.locator("#landmark").input_value() == ""
    expect(page.locator("#pick-map .leaflet-marker-icon")).to_have_count(0)
    assert_fits_width(page)
    page.get_by_role("button", name="Submit idea").click()
    expect(page.get_by_text("Where: anywhere in the space, no particular spot")).to_be_visible()
