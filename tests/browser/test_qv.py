"""A resident spends voice credits with − and +, on a phone and a tablet, and cannot overspend."""
import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_fits_width

BALLOT = "/spaces/zocalo-cdmx/qv"


def log_in(page: Page, email: str = "resident@plaza.example",
           password: str = "plaza-resident-demo") -> None:
    page.goto("/auth/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Welcome back")).to_be_visible()


def open_ballot(page: Page) -> None:
    page.goto(BALLOT)
    expect(page.locator("#qv-ballot")).to_have_attribute("data-ready", "true")


def title_of(page: Page, index: int) -> str:
    return page.locator(".qv-line h3").nth(index).inner_text().strip()


def plus(page: Page, title: str):
    return page.get_by_role("button", name=f"Add a vote for “{title}”", exact=True)


def minus(page: Page, title: str):
    return page.get_by_role("button", name=f"Remove a vote from “{title}”", exact=True)


def tap(button, times: int = 1) -> None:
    for _ in range(times):
        button.click()


def expect_left(page: Page, credits: int) -> None:
    expect(page.locator("#qv-left")).to_have_text(str(credits))


def test_spend_credits_with_the_buttons_and_never_overspend(page: Page, runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    log_in(page)
    open_ballot(page)
    expect(page.locator(".qv-line")).to_have_count(32)
    expect(page.locator("#qv-meter")).to_have_attribute("aria-live", "polite")
    expect_left(page, 100)
    first, second, third, fourth = (title_of(page, k) for k in range(4))

    tap(plus(page, first), 7)                                  # 49 credits
    expect(page.get_by_label(f"Votes for “{first}”")).to_have_value("7")
    expect(page.locator(".qv-line").nth(0).locator(".qv-cost")).to_have_text("49 credits next vote: 15 credits")
    expect_left(page, 51)
    tap(plus(page, second), 7)                                 # 98 credits
    expect_left(page, 2)
    # An 8th vote would cost 15 more credits: both buttons are disabled, not just ignored.
    expect(plus(page, first)).to_be_disabled()
    expect(plus(page, second)).to_be_disabled()

    # The keyboard works the same: focus + and press Enter.
    plus(page, third).focus()
    page.keyboard.press("Enter")                               # 99 credits
    expect_left(page, 1)
    expect(plus(page, third)).to_be_disabled()                 # a 2nd vote costs 3
    expect(minus(page, third)).to_be_focused()                 # focus stays on the line
    tap(plus(page, fourth))                                    # 100 credits
    expect_left(page, 0)
    expect(page.locator('.qv-step[data-step="1"]:enabled')).to_have_count(0)
    expect(minus(page, page.locator(".qv-line h3").nth(5).inner_text().strip())).to_be_disabled()

    # Removing the disabled attribute by hand does not let a click overspend either.
    page.evaluate("""() => document.querySelectorAll('.qv-step[data-step="1"]')
                              .forEach(b => b.removeAttribute('disabled'))""")
    plus(page, first).click()
    expect_left(page, 0)
    expect(page.get_by_label(f"Votes for “{first}”")).to_have_value("7")

    tap(minus(page, fourth))                                   # back to 99 credits
    expect_left(page, 1)
    assert_fits_width(page)
    page.get_by_role("button", name="Save my ballot").click()
    expect(page.locator("#qv-status")).to_have_text("Saved: 99 of 100 credits spent, 1 left.")

    ballot = page.request.get("/api/spaces/zocalo-cdmx/qv-ballot").json()
    assert ballot["credits_used"] == 99 and sorted(ballot["allocations"].values()) == [1, 7, 7]

    # The server refuses an overspent ballot even from a hand-made request.
    status = page.evaluate("""async () => {
        const response = await fetch('/api/spaces/zocalo-cdmx/qv-ballot', {
          method: 'PUT', headers: {'Content-Type': 'application/json',
            'X-CSRFToken': document.querySelector('meta[name=csrf-token]').content},
          body: JSON.stringify({allocations: Object.fromEntries(
            [...document.querySelectorAll('.qv-line')].slice(0, 3).map(l => [l.dataset.ideaId, 6])
          )})});
        return [response.status, (await response.json()).error];
    }""")
    assert status == [422, "These votes cost 108 credits but your budget is 100; "
                           "take back votes worth 8 credits."]

    page.reload()
    expect(page.locator("#qv-ballot")).to_have_attribute("data-ready", "true")
    expect_left(page, 1)
    expect(page.get_by_label(f"Votes for “{second}”")).to_have_value("7")
    assert_fits_width(page)


def test_filter_by_category_and_search(page: Page, runner):
    runner.invoke(args=["seed-demo"])
    log_in(page)
    open_ballot(page)
    page.get_by_label("Category").select_option("play")
    expect(page.locator(".qv-line:visible")).to_have_count(3)
    expect(page.locator("#qv-shown")).to_have_text("3 of 32 shown")
    for category in page.locator(".qv-line:visible .category").all():
        expect(category).to_have_text("play")
    # Votes on a filtered list still count against the whole budget.
    shown = page.locator(".qv-line:visible h3").first.inner_text().strip()
    tap(plus(page, shown), 10)
    expect_left(page, 0)
    page.get_by_label("Category").select_option("")
    page.get_by_label("Search ideas").fill("arboles")  # accents need not be typed
    expect(page.locator(".qv-line:visible h3").first).to_contain_text(re.compile("Árboles", re.I))
    page.get_by_label("Search ideas").fill("")
    page.get_by_label("Only ideas I voted on").check()
    expect(page.locator(".qv-line:visible")).to_have_count(1)
    page.get_by_label("Search ideas").fill("no such idea here")
    expect(page.locator("#qv-none")).to_be_visible()
    assert_fits_width(page)


def test_a_refused_save_says_why_and_keeps_the_votes(page: Page, runner, app):
    runner.invoke(args=["seed-demo"])
    log_in(page)
    open_ballot(page)
    first = title_of(page, 0)
    tap(plus(page, first), 2)
    with app.app_context():  # staff close the vote while the page is open
        from app.extensions import db
        from app.models import Space
        space = db.session.scalar(Space.by_slug("zocalo-cdmx"))
        space.phase = "closed"
        db.session.commit()
    page.get_by_role("button", name="Save my ballot").click()
    status = page.locator("#qv-status")
    expect(status).to_contain_text("Voting in this space has closed")
    expect(status).to_have_attribute("role", "alert")
    expect(page.get_by_label(f"Votes for “{first}”")).to_have_value("2")
