"""A resident's whole account path in a real browser, with mail read from a real SMTP server:
sign up, confirm from the e-mail, forget the password, reset it from the e-mail, log in."""
from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_fits_width, log_in
from tests.conftest import Mail, SMTPServer

EMAIL = "lucia@example.org"
FIRST_PASSWORD = "tamarind benches at dusk"
NEW_PASSWORD = "jacaranda shade on the square"


@pytest.fixture
def app_config(app_config, smtp_controller) -> dict:
    """The live server sends through the test's SMTP server (jobs run after the commit)."""
    return {**app_config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_controller.port}


def wait_for_mail(smtp: SMTPServer, to: str, subject_part: str, timeout: float = 10.0) -> Mail:
    """The first message to `to` whose subject holds `subject_part`, once the job sent it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for mail in smtp.messages():
            if to in mail.to and subject_part.lower() in mail.subject.lower():
                return mail
        time.sleep(0.05)
    raise AssertionError(f"no mail to {to} about {subject_part!r}; got {[m.subject for m in smtp.messages()]}")


def test_sign_up_confirm_forget_reset_and_log_in(page: Page, smtp: SMTPServer):
    page.goto("/auth/register")
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Name shown with your ideas").fill("Lucía")
    page.get_by_label("Password", exact=True).fill(FIRST_PASSWORD)
    page.get_by_label("Repeat the password").fill(FIRST_PASSWORD)
    page.get_by_label("I accept the terms of use and the privacy notice").check()
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    expect(page.get_by_text(f"We sent a message to {EMAIL}.")).to_be_visible()
    assert_fits_width(page)

    confirmation = wait_for_mail(smtp, EMAIL, "Confirm your e-mail address")
    page.goto(confirmation.link("/auth/confirm/"))
    expect(page.get_by_text("Thank you, your address is confirmed.")).to_be_visible()
    expect(page.get_by_role("link", name="My Plaza")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_text("You are logged out.")).to_be_visible()
    page.goto("/auth/login")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_text(f"If {EMAIL} has a Plaza account")).to_be_visible()
    assert_fits_width(page)

    reset = wait_for_mail(smtp, EMAIL, "Reset your Plaza password")
    page.goto(reset.link("/auth/reset/"))
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_label("Repeat the password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_text("Your new password is saved")).to_be_visible()
    assert_fits_width(page)

    page.get_by_role("button", name="Log out").click()
    log_in(page, EMAIL, NEW_PASSWORD)
    page.goto(reset.link("/auth/reset/"))
    expect(page.get_by_role("heading", name="This link no longer works")).to_be_visible()
    expect(page.get_by_label("New password")).to_have_count(0)


def test_proposing_through_sign_up_ends_on_the_idea_form(page: Page, runner, smtp: SMTPServer):
    runner.invoke(args=["seed-demo"])
    page.goto("/spaces/zocalo-cdmx")
    page.get_by_role("link", name="Propose an idea").click()
    page.locator("main").get_by_role("link", name="Sign up").click()
    expect(page).to_have_url(re.compile(r"/auth/register\?next=/spaces/zocalo-cdmx/ideas/new$"))
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Name shown with your ideas").fill("Lucía")
    page.get_by_label("Password", exact=True).fill(FIRST_PASSWORD)
    page.get_by_label("Repeat the password").fill(FIRST_PASSWORD)
    page.get_by_label("I accept the terms of use and the privacy notice").check()
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()

    page.goto(wait_for_mail(smtp, EMAIL, "Confirm your e-mail address").link("/auth/confirm/"))
    expect(page.get_by_text("Thank you, your address is confirmed.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/spaces/zocalo-cdmx/ideas/new$"))
    expect(page.get_by_label("Title")).to_be_visible()
    assert_fits_width(page)


def test_sign_up_asks_for_the_terms_and_comes_back_to_the_page(page: Page, runner, smtp: SMTPServer):
    """The header's own "Sign up" keeps the page too; the terms open beside the form, and a
    missing tick is explained in place with everything typed kept."""
    runner.invoke(args=["seed-demo"])
    page.goto("/spaces/zocalo-cdmx")
    page.get_by_role("banner").get_by_role("link", name="Sign up").click()
    expect(page).to_have_url(re.compile(r"/auth/register\?next=/spaces/zocalo-cdmx$"))
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Name shown with your ideas").fill("Lucía")
    page.get_by_label("Password", exact=True).fill(FIRST_PASSWORD)
    page.get_by_label("Repeat the password").fill(FIRST_PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("Accept the terms of use and the privacy notice to create an account.")).to_be_visible()
    expect(page.get_by_label("E-mail")).to_have_value(EMAIL)
    assert_fits_width(page)

    with page.expect_popup() as opened:
        page.locator("main").get_by_role("link", name="terms of use").click()
    terms = opened.value
    expect(terms.get_by_role("heading", name="Terms of use")).to_be_visible()
    expect(terms.get_by_text("One person, one voice.")).to_be_visible()
    terms.close()

    page.get_by_label("Password", exact=True).fill(FIRST_PASSWORD)
    page.get_by_label("Repeat the password").fill(FIRST_PASSWORD)
    page.get_by_label("I accept the terms of use and the privacy notice").check()
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    page.goto(wait_for_mail(smtp, EMAIL, "Confirm your e-mail address").link("/auth/confirm/"))
    expect(page).to_have_url(re.compile(r"/spaces/zocalo-cdmx$"))
    page.get_by_role("contentinfo").get_by_role("link", name="Privacy notice").click()
    expect(page.get_by_role("heading", name="Privacy notice")).to_be_visible()
    assert_fits_width(page)
