"""axe-core on every kind of page, at phone and tablet size, and pairwise voting by keyboard alone.

A city cannot open Plaza to everyone if a screen reader, a keyboard or low vision shuts people
out, so any axe violation of impact "serious" or "critical" fails the test.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import axe_playwright_python
import pytest
import sqlalchemy as sa
from playwright.sync_api import Locator, Page, expect

from app.extensions import db
from app.models import Idea, PairwiseVote, Space, User, Voter
from app.models.facilitation import SessionParticipant
from app.qv.ballots import save_ballot
from app.models.audit import AuditEntry
from app.models.moderation import Flag
from app.pairwise.refits import refitter
from tests.browser.conftest import log_in
from tests.browser.test_sessions import FACILITATOR, new_session, set_up_kiosk

AXE_JS = Path(axe_playwright_python.__file__).with_name("axe.min.js")
BLOCKING_IMPACTS = ("serious", "critical")
STAFF = ("staff@plaza.example", "plaza-staff-demo")
RESIDENT = ("resident@plaza.example", "plaza-resident-demo")
SLUG = "zocalo-cdmx"


def axe_violations(page: Page) -> list[dict]:
    """Runs axe-core on the page as it is now and returns its violations.

    The script goes in through page.evaluate, which the page's Content-Security-Policy does not
    govern, so the page is checked with the same CSP residents get (a <script> tag would be
    refused, and bypass_csp would test a page nobody sees).
    """
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    return page.evaluate("axe.run(document, {resultTypes: ['violations']}).then(r => r.violations)")


def describe(violations: list[dict]) -> str:
    """One paragraph per violation, naming the elements, so a failure says what to fix."""
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:8]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['html'][:160]}")
            if node.get("failureSummary"):
                lines.append("      " + node["failureSummary"].replace("\n", "\n      "))
        if len(v["nodes"]) > 8:
            lines.append(f"    … and {len(v['nodes']) - 8} more")
    return "\n".join(lines)


def assert_no_serious_axe_violations(page: Page) -> None:
    """Fails on any serious or critical violation; minor and moderate ones are left to review."""
    blocking = [v for v in axe_violations(page) if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"axe found on {page.url} ({page.device}):\n{describe(blocking)}"


@dataclass
class Demo:
    """The demo space and what the staff pages need to have something on them."""

    idea_id: int
    session_id: int


@pytest.fixture(autouse=True)
def finish_refits(app):
    """Background refits must end before the schema goes, or their connection is left open."""
    yield
    refitter().wait()


@pytest.fixture
def demo(runner) -> Demo:
    """The demo space, plus a pending idea, a flag, an audit entry and a kiosk session."""
    runner.invoke(args=["seed-demo"])
    space = db.session.scalar(sa.select(Space).where(Space.slug == SLUG))
    staff = db.session.scalar(sa.select(User).where(User.email == STAFF[0]))
    resident = db.session.scalar(sa.select(User).where(User.email == RESIDENT[0]))
    idea = db.session.scalar(sa.select(Idea).where(Idea.space_id == space.id).order_by(Idea.id))
    db.session.add(Idea(space_id=space.id, author_id=resident.id, title="Drinking fountains",
                        body="Two fountains by the cathedral.", category=idea.category,
                        lat=idea.lat, lng=idea.lng, status="pending"))
    db.session.add(Flag(idea_id=idea.id, user_id=resident.id, reason="Duplicate of another idea"))
    db.session.add(AuditEntry(actor_id=staff.id, actor_email=staff.email, action="idea.decide",
                              target_type="idea", target_id=idea.id, space_id=space.id,
                              before={"status": "published"}, after={"status": "under_review"}))
    db.session.commit()
    session = new_session(space, mode="both")
    room_took_part(session, space)
    return Demo(idea_id=idea.id, session_id=session.id)


def room_took_part(session, space: Space) -> None:
    """A participant with a pairwise vote and a ballot, so the report's three tables have rows
    for axe to read (an empty table hid a scroll region the keyboard could not reach)."""
    voter = Voter(anon_key="axe-participant")
    db.session.add(voter)
    db.session.flush()
    db.session.add(SessionParticipant(session_id=session.id, voter_id=voter.id, via="kiosk",
                                      started_at=datetime.now(timezone.utc)))
    first, second = db.session.scalars(sa.select(Idea).where(Idea.space_id == space.id, Idea.status == "published")
                                       .order_by(Idea.id).limit(2)).all()
    db.session.add(PairwiseVote(space_id=space.id, voter_id=voter.id, left_idea_id=first.id,
                                right_idea_id=second.id, choice="left"))
    save_ballot(space, voter.id, {str(first.id): 2})
    db.session.commit()


def wait_ready(page: Page, selector: str) -> None:
    expect(page.locator(selector)).to_have_attribute("data-ready", "true")


def as_staff(path: str) -> Callable[[Page, Demo], None]:
    def open_(page: Page, demo: Demo) -> None:
        log_in(page, *STAFF)
        page.goto(path.format(slug=SLUG, idea=demo.idea_id))
        if "/edit" in path or path.endswith("/new"):
            wait_ready(page, "#space-editor-map")
    return open_


def as_facilitator(path: str) -> Callable[[Page, Demo], None]:
    def open_(page: Page, demo: Demo) -> None:
        log_in(page, *FACILITATOR)
        page.goto(path.format(session=demo.session_id))
        if path.endswith("/projector"):
            wait_ready(page, "#projector")
        if path.endswith("/report"):  # every table has a row, or axe reads no scroll region
            for table in ("#r-pairwise", "#r-quadratic", "#r-people"):
                expect(page.locator(f"{table} tbody tr").first).to_be_visible()
    return open_


def open_space(page: Page, demo: Demo) -> None:
    page.goto(f"/spaces/{SLUG}")
    wait_ready(page, "#space-map")


def open_idea(page: Page, demo: Demo) -> None:
    page.goto(f"/spaces/{SLUG}/ideas/{demo.idea_id}")
    wait_ready(page, "#idea-map")


def open_idea_form(page: Page, demo: Demo) -> None:
    log_in(page, *RESIDENT)
    page.goto(f"/spaces/{SLUG}/ideas/new")
    wait_ready(page, "#pick-map")


def open_idea_form_with_hints(page: Page, demo: Demo) -> None:
    """The look-alike hints and their "Support this one instead" buttons."""
    open_idea_form(page, demo)
    page.get_by_label("Title").fill("Más árboles de sombra en el costado poniente")
    expect(page.get_by_role("button", name="Support this one instead").first).to_be_visible()


def open_pairwise(page: Page, demo: Demo) -> None:
    page.goto(f"/spaces/{SLUG}/vote")
    wait_ready(page, "#pairwise")
    page.get_by_role("button", name="Can't decide").click()
    expect(page.locator("#skip-reasons")).to_be_visible()


def open_pairwise_after_a_vote(page: Page, demo: Demo) -> None:
    """The undo of the last vote on show, and the compact header's menu open."""
    page.goto(f"/spaces/{SLUG}/vote")
    wait_ready(page, "#pairwise")
    page.locator("#choose-left").click()
    expect(page.locator("#undo")).to_be_visible()
    page.locator(".nav-menu summary").click()
    expect(page.locator(".nav-menu .nav-links")).to_be_visible()


def open_qv(page: Page, demo: Demo) -> None:
    log_in(page, *RESIDENT)
    page.goto(f"/spaces/{SLUG}/qv")
    wait_ready(page, "#qv-ballot")


def open_kiosk_setup(page: Page, demo: Demo) -> None:
    page.goto("/sessions/kiosk")


def set_up_kiosk_offline_ready(page: Page) -> None:
    """Waits for the service worker's precache, or closing the tab would cut its downloads short."""
    set_up_kiosk(page)
    expect(page.locator("#k-app")).to_have_attribute("data-offline-ready", "true")


def open_kiosk(page: Page, demo: Demo) -> None:
    set_up_kiosk_offline_ready(page)


def open_kiosk_voting(page: Page, demo: Demo) -> None:
    set_up_kiosk_offline_ready(page)
    page.get_by_role("button", name="Start").click()
    expect(page.locator("#k-app")).to_have_attribute("data-screen", "pairwise")


def spend_the_budget_on_one_idea(plus: Locator) -> None:
    """10 votes cost the whole 100 credits: the 11th "+" must be refused."""
    for _ in range(10):
        plus.click()
    expect(plus).to_be_disabled()


def open_kiosk_ballot(page: Page, demo: Demo) -> None:
    open_kiosk_voting(page, demo)
    page.get_by_role("button", name="Next: spend your credits").click()
    expect(page.locator("#k-app")).to_have_attribute("data-screen", "qv")
    spend_the_budget_on_one_idea(page.locator(".k-qv-line").first.locator('[data-step="1"]'))


def open_kiosk_idea_with_error(page: Page, demo: Demo) -> None:
    open_kiosk_voting(page, demo)
    page.locator("#screen-pairwise").get_by_role("button", name="Add an idea").click()
    wait_ready(page, "#k-map")
    page.get_by_role("button", name="Add my idea").click()
    expect(page.locator("#k-idea-error")).to_be_visible()


def open_kiosk_done(page: Page, demo: Demo) -> None:
    open_kiosk_ballot(page, demo)
    page.get_by_role("button", name="Submit my ballot").click()
    expect(page.locator("#k-app")).to_have_attribute("data-screen", "done")


def open_kiosk_pin_pad(page: Page, demo: Demo) -> None:
    set_up_kiosk_offline_ready(page)
    page.get_by_role("button", name="Facilitator", exact=True).click()
    for digit in "1111":
        page.locator(f'[data-digit="{digit}"]').click()
    page.get_by_role("button", name="Check the PIN").click()
    expect(page.locator("#k-pin-error")).to_be_visible()


def open_login_error(page: Page, demo: Demo) -> None:
    page.goto("/auth/login")
    page.get_by_label("E-mail").fill(RESIDENT[0])
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("[aria-invalid=true], .errors, .flash").first).to_be_visible()


def open_welcome_flash(page: Page, demo: Demo) -> None:
    log_in(page, *RESIDENT)


def open_idea_form_errors(page: Page, demo: Demo) -> None:
    open_idea_form(page, demo)
    page.get_by_label("Title").fill("Más árboles de sombra en el costado poniente")
    expect(page.locator("#similar")).to_be_visible()
    page.get_by_role("button", name="Submit idea").click()
    expect(page.get_by_text("Set the place of your idea")).to_be_visible()
    wait_ready(page, "#pick-map")


def open_qv_spent(page: Page, demo: Demo) -> None:
    open_qv(page, demo)
    spend_the_budget_on_one_idea(page.locator(".qv-line").first.locator('.qv-step[data-step="1"]'))


def open_space_popup(page: Page, demo: Demo) -> None:
    open_space(page, demo)
    for _ in range(6):  # a cluster zooms in when tapped, until single markers show
        if page.locator(".idea-marker").count():
            break
        page.locator(".marker-cluster").first.click()
        page.wait_for_timeout(400)
    page.locator(".idea-marker").first.click()
    expect(page.locator(".leaflet-popup")).to_have_css("opacity", "1")  # faded in, true colours


def open_participate(page: Page, demo: Demo) -> None:
    page.goto("/sessions/join/K7P2QX")
    expect(page.locator("#k-app")).to_have_attribute("data-ready", "true")


def open_results(page: Page, demo: Demo) -> None:
    page.goto(f"/spaces/{SLUG}/results")
    expect(page.locator("#ranking")).to_be_visible()


SCREENS: dict[str, Callable[[Page, Demo], None]] = {
    "home": lambda page, demo: page.goto("/"),
    "login": lambda page, demo: page.goto("/auth/login"),
    "space": open_space,
    "idea": open_idea,
    "idea-form": open_idea_form,
    "idea-form-hints": open_idea_form_with_hints,
    "pairwise": open_pairwise,
    "pairwise-undo-menu": open_pairwise_after_a_vote,
    "qv-ballot": open_qv,
    "kiosk-setup": open_kiosk_setup,
    "kiosk": open_kiosk,
    "kiosk-voting": open_kiosk_voting,
    "kiosk-ballot": open_kiosk_ballot,
    "kiosk-idea-error": open_kiosk_idea_with_error,
    "kiosk-done": open_kiosk_done,
    "kiosk-pin-pad": open_kiosk_pin_pad,
    "login-error": open_login_error,
    "welcome-flash": open_welcome_flash,
    "idea-form-errors": open_idea_form_errors,
    "qv-spent": open_qv_spent,
    "space-popup": open_space_popup,
    "results": open_results,
    "register": lambda page, demo: page.goto("/auth/register"),
    "terms": lambda page, demo: page.goto("/terms"),
    "not-found": lambda page, demo: page.goto("/spaces/no-such-space"),
    "session-join": lambda page, demo: page.goto("/sessions/join"),
    "session-participate": open_participate,
    "session-show": as_facilitator("/sessions/{session}"),
    "session-projector": as_facilitator("/sessions/{session}/projector"),
    "session-report": as_facilitator("/sessions/{session}/report"),
    "session-end": as_facilitator("/sessions/{session}/end"),
    "staff-dashboard": as_staff("/staff/"),
    "staff-rankings": as_staff("/staff/spaces/{slug}/rankings"),
    "staff-moderation": as_staff("/staff/spaces/{slug}/moderation"),
    "staff-audit": as_staff("/staff/audit"),
    "staff-accounts": as_staff("/staff/accounts"),
    "staff-legal": as_staff("/staff/legal"),
    "staff-legal-edit": as_staff("/staff/legal/terms/es"),
    "staff-exports": as_staff("/staff/spaces/{slug}/exports"),
    "staff-new-space": as_staff("/staff/spaces/new"),
    "staff-edit-space": as_staff("/staff/spaces/{slug}/edit"),
    "staff-roll": as_staff("/staff/spaces/{slug}/roll"),
    "staff-decide": as_staff("/staff/spaces/{slug}/ideas/{idea}/decide"),
    "staff-merge-search": as_staff("/staff/spaces/{slug}/ideas/{idea}/merge?q=a"),
    "staff-merge-preview": lambda page, demo: as_staff(
        f"/staff/spaces/{{slug}}/ideas/{{idea}}/merge/{demo.idea_id + 1}")(page, demo),
}


def test_the_check_fails_on_a_serious_violation(page: Page):
    """Guards the guard: a button without a name must fail, or a broken axe run passes everything."""
    page.set_content("<!doctype html><html lang='en'><title>t</title><main><button></button></main></html>")
    with pytest.raises(AssertionError, match=r"\[critical\] button-name"):
        assert_no_serious_axe_violations(page)


@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_no_serious_axe_violations(page: Page, demo: Demo, screen: str):
    SCREENS[screen](page, demo)
    assert_no_serious_axe_violations(page)
    # Screen-reader users jump to the h1 to learn where they are: one on every screen,
    # the kiosk's steps included (axe calls a missing one only "moderate").
    expect(page.locator("h1:visible")).to_have_count(1)


def focused(page: Page) -> str:
    """The id of the element that has the keyboard focus, or its tag when it has no id."""
    return page.evaluate("document.activeElement.id || document.activeElement.tagName")


def tab_to(page: Page, element_id: str, limit: int = 40) -> None:
    """Presses Tab, as a keyboard user would, until the element has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused(page) == element_id:
            outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
            assert outline != "none", f"#{element_id} has the focus but shows no focus ring"
            return
    pytest.fail(f"#{element_id} was not reached in {limit} presses of Tab")


def test_pairwise_voting_by_keyboard_alone(page: Page, runner):
    """Tab, Enter, Space and the shortcut keys cast every kind of vote; the mouse is never used."""
    runner.invoke(args=["seed-demo"])
    page.goto(f"/spaces/{SLUG}/vote")
    root = page.locator("#pairwise")
    wait_ready(page, "#pairwise")

    def expect_votes(n: int) -> None:
        expect(root).to_have_attribute("data-votes", str(n))
        expect(root).to_have_attribute("aria-busy", "false")

    tab_to(page, "choose-left")
    page.keyboard.press("Enter")
    expect_votes(1)
    assert focused(page) == "choose-left", "the focus must stay on the pair after a vote"
    page.keyboard.press("Tab")
    assert focused(page) == "choose-right"
    page.keyboard.press("Space")
    expect_votes(2)
    for n, key in enumerate(("1", "2", "="), start=3):
        page.keyboard.press(key)
        expect_votes(n)

    tab_to(page, "cant-decide")
    page.keyboard.press("Enter")
    expect(page.locator("#skip-reasons")).to_be_visible()
    expect(page.locator("#cant-decide")).to_have_attribute("aria-expanded", "true")
    assert page.evaluate("document.activeElement.value") == "like_both"
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.value") == "like_neither"
    expect_votes(5)  # arrows inside the reasons choose a reason, never vote
    tab_to(page, "skip")
    page.keyboard.press("Enter")
    expect_votes(6)
    assert focused(page) == "choose-left", "the skipped pair's reasons are gone; the focus goes to the new pair"

    db.session.rollback()  # see what the server's threads committed
    votes = db.session.execute(sa.select(PairwiseVote.choice, PairwiseVote.skip_reason)
                               .order_by(PairwiseVote.id)).all()
    assert [tuple(v) for v in votes] == [
        ("left", None), ("right", None), ("left", None), ("right", None), ("tie", None),
        ("skip", "like_neither")]
