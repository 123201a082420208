"""Which ranking counts, close ideas as a shared range, how sure the top 10 is, and no score
on the projector too early."""
import re

import sqlalchemy as sa
from playwright.sync_api import Page, expect

from app.extensions import db
from app.models import Space

from tests.browser.conftest import ARTIFACTS, assert_fits_width, log_in
from tests.browser.test_sessions import FACILITATOR, new_session

STAFF = ("staff@plaza.example", "plaza-staff-demo")


def test_staff_pick_the_official_ranking_and_results_show_only_it_in_tiers(page: Page, runner):
    runner.invoke(args=["seed-demo"])
    log_in(page, *STAFF)
    page.goto("/staff/spaces/zocalo-cdmx/edit")
    page.get_by_label("Which ranking is the official result").select_option("pairwise")
    page.get_by_role("button", name="Save space").click()
    expect(page.get_by_text("Saved.")).to_be_visible()

    page.goto("/spaces/zocalo-cdmx/results")
    expect(page.locator("#official-result")).to_contain_text("The official result is the ranking from comparing")
    expect(page.locator("#ranking")).to_be_visible()
    expect(page.locator("#qv-ranking")).to_have_count(0)
    tiers = page.locator("#ranking .rank-tier")
    expect(tiers.first).to_contain_text("too close to call")
    expect(tiers.first).to_contain_text("–")
    assert_fits_width(page)
    # The range sits beside its idea, not over it.
    rank, main = (page.locator("#ranking .ranking-row").first.locator(s).bounding_box()
                  for s in (".rank", ".ranking-main"))
    assert rank["x"] + rank["width"] <= main["x"] + 1
    page.screenshot(path=str(ARTIFACTS / f"results-tiers-{page.device}.png"))

    page.goto("/staff/spaces/zocalo-cdmx/rankings")
    expect(page.locator("#official-result")).to_contain_text("Official result: pairwise.")
    assert_fits_width(page)


def test_the_projector_says_not_enough_votes_yet_instead_of_a_score(page: Page, runner):
    runner.invoke(args=["seed-demo"])
    session = new_session(db.session.scalar(sa.select(Space).where(Space.slug == "zocalo-cdmx")))
    log_in(page, *FACILITATOR)
    page.goto(f"/sessions/{session.id}/projector")
    board = page.locator("#projector")
    expect(board).not_to_have_attribute("data-updated", "0")  # redrawn by the script from the API
    scores = page.locator("#p-space-pairwise .p-score")
    expect(scores.first).to_have_text("not enough votes yet")
    expect(board).not_to_contain_text("/ 100")
    assert_fits_width(page)
    page.screenshot(path=str(ARTIFACTS / f"projector-thin-{page.device}.png"))


def test_the_results_say_which_ideas_are_surely_in_the_top_and_what_is_still_open(page: Page, runner):
    runner.invoke(args=["seed-demo", "--with-votes"])
    page.goto("/spaces/zocalo-cdmx/results")
    summary = page.locator("#top-k")
    expect(summary.get_by_role("heading", name="How sure is the top 10?")).to_be_visible()
    expect(summary).to_contain_text(re.compile(r"\d+ places? (is|are) still open between \d+ ideas"))
    expect(summary).to_contain_text("more comparisons would settle it")
    expect(page.locator("#ranking .top-k-open").first).to_contain_text("chance of the top 10")
    assert_fits_width(page)
    column = page.locator("section[aria-labelledby='pairwise-heading']").bounding_box()
    assert summary.bounding_box()["width"] >= column["width"] * 0.9  # the column's width, not squeezed
    summary.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"results-top-k-{page.device}.png"))

    log_in(page, *STAFF)
    page.goto("/staff/spaces/zocalo-cdmx/rankings")
    expect(page.get_by_role("columnheader", name="In the top 10")).to_be_visible()
    expect(page.locator(".rankings-table td.p-top").first).to_have_text(re.compile(r"^\d+%$"))
    assert_fits_width(page)
