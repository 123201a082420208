"""A staff member adopts the top idea; a resident then sees it adopted, with the answer."""
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_fits_width, log_in

ANSWER = "Aprobado: 40 fresnos se plantarán en marzo."


def test_staff_adopts_the_top_idea_and_residents_see_it(page: Page, runner):
    runner.invoke(args=["seed-demo"])
    page.goto("/spaces/zocalo-cdmx/vote")   # a few votes, so there is a top idea
    for _ in range(4):
        expect(page.locator("#pairwise")).to_have_attribute("data-ready", "true")
        votes = int(page.locator("#pairwise").get_attribute("data-votes") or 0)
        page.locator("#choose-left").click()
        expect(page.locator("#pairwise")).to_have_attribute("data-votes", str(votes + 1))

    log_in(page, "staff@plaza.example", "plaza-staff-demo")
    page.get_by_role("link", name="Staff").click()
    page.get_by_role("link", name="Zócalo — Plaza de la Constitución").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rankings of")
    top = page.locator(".rankings-table tbody tr").first
    title = top.locator("th a").inner_text()
    top.get_by_role("link", name="Decide").click()
    page.get_by_label("Decision").select_option("adopted")
    page.get_by_label("Public answer").fill(ANSWER)
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_text(f"“{title}” is now adopted.")).to_be_visible()
    assert_fits_width(page)
    page.get_by_role("button", name="Log out").click()

    log_in(page, "resident@plaza.example", "plaza-resident-demo")
    page.goto("/spaces/zocalo-cdmx")
    expect(page.locator("#space-map")).to_have_attribute("data-ready", "true")
    page.get_by_label("Status").select_option("adopted")
    expect(page.locator("#idea-list > li")).to_have_count(1)
    expect(page.locator(".idea-marker-adopted")).to_have_count(1)
    page.locator(".idea-marker-adopted").click()
    expect(page.locator(".leaflet-popup-content")).to_contain_text("adopted")
    page.locator("#idea-list a", has_text=title).click()
    expect(page.locator(".status-pill")).to_have_text("adopted")
    expect(page.get_by_text(ANSWER)).to_be_visible()
    assert_fits_width(page)
    page.goto("/spaces/zocalo-cdmx/results")
    expect(page.locator("#adopted")).to_contain_text(title)
    expect(page.locator("#adopted")).to_contain_text(ANSWER)


def test_an_answer_in_two_languages_reads_in_the_readers_one(page: Page, runner):
    runner.invoke(args=["seed-demo"])
    log_in(page, "staff@plaza.example", "plaza-staff-demo")
    page.goto("/staff/spaces/zocalo-cdmx/rankings")
    top = page.locator(".rankings-table tbody tr").first
    title = top.locator("th a").inner_text()
    top.get_by_role("link", name="Decide").click()
    page.get_by_label("Decision").select_option("adopted")
    page.get_by_label("Public answer").fill("Approved: 40 ash trees will be planted in March.")
    page.get_by_label("The same answer in the other language (optional)").fill(ANSWER)
    assert_fits_width(page)
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_text(f"“{title}” is now adopted.")).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    page.goto("/spaces/zocalo-cdmx/results")
    expect(page.get_by_text("Approved: 40 ash trees will be planted in March.")).to_be_visible()
    page.get_by_role("button", name="Español").or_(page.get_by_role("link", name="Español")).first.click()
    expect(page.get_by_text(ANSWER)).to_be_visible()
    expect(page.get_by_text("40 ash trees")).to_have_count(0)
    assert_fits_width(page)
