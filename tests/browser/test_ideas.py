"""Residents pin ideas on the map, filter them, and see look-alike ideas while typing."""
import re

from playwright.sync_api import Page, expect

from app.models.idea import BODY_MAX, TITLE_MAX
from tests.browser.conftest import assert_fits_width, log_in

# What a placed pin says: where it is, near the closest of the space's landmarks.
PLACED = re.compile(r"^Placed (about \d+ m [a-z-]+ of|at) .+\. Drag the pin to adjust\.$")


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
    expect(page.locator("#location-message")).to_have_text(PLACED)
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
    expect(page.get_by_text("Set the place of your idea: choose a place from the list, or put a pin on the map.")).to_be_visible()
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
    expect(page.locator("#location-message")).to_have_text(PLACED)
    assert page.locator("#lat").input_value() == "19.432600"
    page.context.set_geolocation({"latitude": 19.44, "longitude": -99.14})  # a few blocks away
    page.get_by_role("button", name="Use my location").click()
    expect(page.locator("#location-message")).to_contain_text("You seem to be outside this space")
    assert page.locator("#lat").input_value() == "19.432600"


def test_a_place_error_stands_by_the_map_until_a_pin_is_placed(page: Page, runner):
    runner.invoke(args=["seed-demo"])
    log_in(page, "resident@plaza.example", "plaza-resident-demo")
    page.goto("/spaces/zocalo-cdmx/ideas/new")
    page.get_by_label("Title").fill("Bebederos de agua en las esquinas")
    page.get_by_label("Category").select_option("other")
    page.get_by_role("button", name="Submit idea").click()
    error = page.locator(".location #location-errors")
    expect(error).to_have_text("Set the place of your idea: choose a place from the list, or put a pin on the map.")
    expect(error).to_be_visible()  # by the map, not in the folded coordinates
    expect(page.locator(".coordinates")).not_to_have_attribute("open", "")
    assert page.locator(".coordinates .errors").count() == 0
    expect(page.locator("#pick-map")).to_have_attribute("aria-describedby", "location-hint location-errors")
    expect(page.locator("#pick-map")).to_have_attribute("data-ready", "true")
    map_box, error_box = page.locator("#pick-map").bounding_box(), error.bounding_box()
    assert 0 <= error_box["y"] - (map_box["y"] + map_box["height"]) < 40, "the error is not by the map"

    page.locator("#pick-map").scroll_into_view_if_needed()
    tap_map_centre(page, "#pick-map")
    expect(page.locator("#location-message")).to_have_text(PLACED)
    expect(page.locator("#location-errors")).to_have_count(0)
    expect(page.locator("fieldset.location")).not_to_have_class(re.compile("field-error"))
    assert page.locator("[aria-invalid=true]").count() == 0
    assert_fits_width(page)
    page.get_by_role("button", name="Submit idea").click()
    expect(page.get_by_text("Thank you! Your idea is on the map.")).to_be_visible()


def test_typed_coordinates_that_are_wrong_open_with_the_error_by_the_map(page: Page, runner):
    runner.invoke(args=["seed-demo"])
    log_in(page, "resident@plaza.example", "plaza-resident-demo")
    page.goto("/spaces/zocalo-cdmx/ideas/new")
    page.get_by_label("Title").fill("Bebederos de agua en las esquinas")
    page.get_by_label("Category").select_option("other")
    page.locator(".coordinates summary").click()
    page.get_by_label("Latitude").fill("19.44")
    page.get_by_label("Longitude").fill("-99.14")
    page.get_by_label("Longitude").blur()  # the page says "outside" at once, moving the button
    expect(page.locator("#location-message")).to_contain_text("outside the space")
    page.get_by_role("button", name="Submit idea").click()
    expect(page.locator(".location #location-errors")).to_contain_text("outside")
    expect(page.locator(".coordinates")).to_have_attribute("open", "")
    expect(page.get_by_label("Longitude")).to_have_attribute("aria-invalid", "true")


def test_title_and_description_count_their_characters(page: Page, runner):
    """The limits are the server's, rendered into the page (TITLE_MAX 120, BODY_MAX 2000)."""
    assert (TITLE_MAX, BODY_MAX) == (120, 2000)
    runner.invoke(args=["seed-demo"])
    log_in(page, "resident@plaza.example", "plaza-resident-demo")
    page.goto("/spaces/zocalo-cdmx/ideas/new")
    expect(page.get_by_label("Title")).to_have_attribute("data-limit", str(TITLE_MAX))
    expect(page.get_by_label("Description")).to_have_attribute("data-limit", str(BODY_MAX))
    title_count, body_count = page.locator("#title-count"), page.locator("#body-count")
    expect(title_count).to_have_text("0 of 120 characters")
    expect(body_count).to_have_text("0 of 2,000 characters")
    page.get_by_label("Title").press_sequentially("Sombra")
    expect(title_count).to_have_text("6 of 120 characters")
    page.get_by_label("Title").fill("A" * 125)
    expect(page.get_by_label("Title")).to_have_value("A" * 125)  # not cut: the count says it is too long
    expect(title_count).to_have_text("125 of 120 characters: 5 too many")
    expect(title_count).to_have_class(re.compile("char-count-over"))
    page.get_by_label("Description").fill("lorem ipsum " * 200)
    expect(body_count).to_have_text("2,400 of 2,000 characters: 400 too many")
    assert_fits_width(page)
    page.get_by_role("button", name="Submit idea").click()
    expect(page.get_by_text("The title needs 5 to 120 characters.")).to_be_visible()
    expect(page.get_by_text("Keep the description under 2000 characters.")).to_be_visible()
    expect(title_count).to_have_text("125 of 120 characters: 5 too many")  # still counting after the round trip


def test_support_a_similar_idea_instead_of_adding_a_copy(page: Page, runner, app):
    import sqlalchemy as sa

    from app.extensions import db
    from app.models import Follow, Idea, PairwiseVote, QVAllocation, User
    runner.invoke(args=["seed-demo"])
    with app.app_context():
        votes_before = (db.session.scalar(sa.select(sa.func.count(PairwiseVote.id))),
                        db.session.scalar(sa.select(sa.func.count()).select_from(QVAllocation)))
    log_in(page, "resident@plaza.example", "plaza-resident-demo")
    page.goto("/spaces/zocalo-cdmx/ideas/new")
    page.get_by_label("Title").fill("Más árboles de sombra en el costado poniente")
    hint = page.locator("#similar-list li").first
    expect(hint.locator("a")).to_have_text("Árboles de sombra en el costado poniente")
    hint.get_by_role("button", name="Support this one instead").click()

    expect(page.get_by_role("heading", name="Árboles de sombra en el costado poniente")).to_be_visible()
    expect(page.get_by_text("You now follow “Árboles de sombra en el costado poniente”")).to_be_visible()
    assert_fits_width(page)
    with app.app_context():
        resident = db.session.scalar(sa.select(User).where(User.email == "resident@plaza.example"))
        followed = db.session.scalars(sa.select(Idea.title).join(Follow, Follow.idea_id == Idea.id)
                                      .where(Follow.user_id == resident.id)).all()
        assert "Árboles de sombra en el costado poniente" in followed
        assert (db.session.scalar(sa.select(sa.func.count(PairwiseVote.id))),
                db.session.scalar(sa.select(sa.func.count()).select_from(QVAllocation))) == votes_before
        assert db.session.scalar(sa.select(sa.func.count(Idea.id)).where(Idea.title.like("Más árboles%"))) == 0
