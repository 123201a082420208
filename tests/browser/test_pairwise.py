"""Voting on pairs on a phone and a tablet, and seeing the ranking change."""
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_fits_width


def scores(page: Page) -> dict[str, float]:
    page.goto("/spaces/zocalo-cdmx/results")
    rows = page.locator("#ranking .ranking-row")
    return {r.get_attribute("data-idea-id"): float(r.get_attribute("data-score")) for r in rows.all()}


def test_ten_votes_change_the_ranking(page: Page, runner):
    runner.invoke(args=["seed-demo"])
    before = scores(page)
    assert set(before.values()) == {50.0}

    page.goto("/spaces/zocalo-cdmx")
    page.get_by_role("link", name="Vote: which is better?").click()
    expect(page.locator("#pairwise")).to_have_attribute("data-ready", "true")
    assert_fits_width(page)
    seen = set()
    for n in range(10):
        expect(page.locator("#pairwise")).to_have_attribute("data-votes", str(n))
        pair = page.locator("#pairwise").get_attribute("data-pair-id")
        left = page.locator("#choose-left").get_attribute("data-idea-id")
        right = page.locator("#choose-right").get_attribute("data-idea-id")
        assert left != right and frozenset((left, right)) not in seen
        seen.add(frozenset((left, right)))
        if n == 3:
            page.get_by_role("button", name="Equally good").click()
        elif n == 5:
            page.get_by_role("button", name="Can't decide").click()
            page.get_by_label("I like neither").check()
            page.get_by_role("button", name="Skip this pair").click()
        elif n % 2:
            page.keyboard.press("ArrowRight")
        else:
            page.locator("#choose-left").click()
        expect(page.locator("#pairwise")).not_to_have_attribute("data-pair-id", pair)
    expect(page.locator("#pairwise")).to_have_attribute("data-votes", "10")
    expect(page.locator("#progress")).to_contain_text("10 votes")

    after = scores(page)
    assert after != before
    assert max(after.values()) > 50 > min(after.values())
    assert page.locator("#ranking .ranking-row").first.get_attribute("data-score") == str(max(after.values()))
    assert_fits_width(page)


def test_vote_is_kept_when_the_network_fails(page: Page, runner):
    """A failed send says so and keeps the pair on screen to choose again."""
    runner.invoke(args=["seed-demo"])
    page.goto("/spaces/zocalo-cdmx/vote")
    expect(page.locator("#pairwise")).to_have_attribute("data-ready", "true")
    pair = page.locator("#pairwise").get_attribute("data-pair-id")
    page.route("**/pairwise-votes", lambda route: route.abort())
    page.locator("#choose-left").click()
    expect(page.locator("#vote-error")).to_contain_text("not counted")
    assert page.locator("#pairwise").get_attribute("data-pair-id") == pair
    page.unroute("**/pairwise-votes")
    page.locator("#choose-left").click()
    expect(page.locator("#pairwise")).to_have_attribute("data-votes", "1")
