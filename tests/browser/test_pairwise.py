"""Voting on pairs on a phone and a tablet, and seeing the ranking change."""
import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from app.extensions import db
from app.models import PairwiseVote

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
            page.locator("#choose-right").focus()
            page.keyboard.press("2")
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


LONG_TITLE = ("Sombra, bancas y bebederos a lo largo del costado poniente, frente a la Catedral "
              "Metropolitana, para las tardes de verano")[:120]
LONG_BODY = ("Árboles nativos en jardineras amplias, bancas con respaldo y dos bebederos, para que "
             "quien cruza la plaza al mediodía tenga dónde detenerse. ") * 15


@pytest.fixture
def long_ideas(make_space, make_idea):
    """The longest ideas the form allows: the worst case for fitting a pair on one screen."""
    space = make_space(slug="alameda", name="Alameda Central", phase="voting")
    for n in range(3):
        make_idea(space, title=f"{n} {LONG_TITLE}"[:120], body=LONG_BODY[:2000])
    return space


def assert_on_screen(page: Page, *selectors: str) -> None:
    """Each element wholly inside the window, with the page not scrolled."""
    assert page.evaluate("window.scrollY") == 0, "the page had to scroll"
    height = page.viewport_size["height"]
    for selector in selectors:
        box = page.locator(selector).bounding_box()
        assert box is not None, f"{selector} is not shown"
        assert box["y"] >= 0 and box["y"] + box["height"] <= height, (
            f"{selector} ends at {box['y'] + box['height']:.0f}px, below the {height}px {page.device} screen")


@pytest.mark.parametrize("language", ["en", "es"])
def test_both_ideas_and_every_choice_fit_one_screen(page: Page, long_ideas, language: str):
    page.set_extra_http_headers({"Accept-Language": language})
    page.goto("/spaces/alameda/vote")
    expect(page.locator("#pairwise")).to_have_attribute("data-ready", "true")
    assert page.locator(".site-header").bounding_box()["height"] <= 64, "the header is not compact"
    assert_on_screen(page, "#question", "#choose-left", "#choose-right", "#choose-tie", "#cant-decide")
    page.locator("#cant-decide").tap()
    expect(page.locator("#skip-reasons")).to_be_visible()
    assert_on_screen(page, "#choose-left", "#choose-right", "#skip-reasons", "#skip")
    assert_fits_width(page)


def card_look(page: Page, selector: str) -> dict[str, str]:
    return page.eval_on_selector(selector, "c => { const s = getComputedStyle(c); "
                                           "return {border: s.borderColor, shadow: s.boxShadow}; }")


def test_the_tapped_card_is_not_highlighted_in_the_next_pair(page: Page, runner):
    runner.invoke(args=["seed-demo"])
    page.goto("/spaces/zocalo-cdmx/vote")
    board = page.locator("#pairwise")
    expect(board).to_have_attribute("data-ready", "true")
    plain = card_look(page, "#choose-right")
    for n, side in enumerate(("left", "right", "left"), start=1):
        page.locator(f"#choose-{side}").tap()
        expect(board).to_have_attribute("data-votes", str(n))
        expect(board).to_have_attribute("aria-busy", "false")
        assert card_look(page, f"#choose-{side}") == plain, f"the {side} card kept its highlight"


def test_the_last_vote_can_be_undone_for_ten_seconds(page: Page, runner):
    runner.invoke(args=["seed-demo"])
    page.clock.install()
    page.goto("/spaces/zocalo-cdmx/vote")
    board = page.locator("#pairwise")
    expect(board).to_have_attribute("data-ready", "true")
    undo = page.get_by_role("button", name="Undo last vote")
    expect(undo).to_be_hidden()
    first = board.get_attribute("data-pair-id")
    titles = page.locator("#choose-left .card-title").text_content(), page.locator("#choose-right .card-title").text_content()
    page.locator("#choose-left").tap()
    expect(board).to_have_attribute("data-votes", "1")
    assert stored_votes() == 1
    assert_on_screen(page, "#undo", "#choose-left", "#choose-right", "#choose-tie", "#cant-decide")

    undo.tap()  # the same pair again, to choose once more
    expect(board).to_have_attribute("data-pair-id", first)
    expect(board).to_have_attribute("data-votes", "0")
    expect(undo).to_be_hidden()
    assert (page.locator("#choose-left .card-title").text_content(),
            page.locator("#choose-right .card-title").text_content()) == titles
    expect(page.locator("#announce")).to_contain_text("undone")
    assert stored_votes() == 0
    page.locator("#choose-right").tap()
    expect(board).to_have_attribute("data-votes", "1")
    assert stored_votes() == 1

    expect(undo).to_be_visible()
    page.clock.run_for(10_500)
    expect(undo).to_be_hidden()  # too late now
    page.locator("#choose-tie").tap()
    expect(board).to_have_attribute("data-votes", "2")
    page.locator("#choose-left").tap()  # the next vote: undo is for this one now
    expect(board).to_have_attribute("data-votes", "3")
    undo.tap()
    expect(board).to_have_attribute("data-votes", "2")
    db.session.rollback()
    assert [v.choice for v in db.session.scalars(sa.select(PairwiseVote).order_by(PairwiseVote.id))] == ["right", "tie"]


def stored_votes() -> int:
    db.session.rollback()  # see what the server's threads committed
    return db.session.scalar(sa.select(sa.func.count(PairwiseVote.id)))
