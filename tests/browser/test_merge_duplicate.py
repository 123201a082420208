"""Merging a duplicate at phone and tablet size: search, preview, confirm, undo."""
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from app.extensions import db
from app.models import Idea, Space, User
from app.models.moderation import Flag
from tests.browser.conftest import ARTIFACTS, assert_fits_width, log_in

STAFF = ("staff@plaza.example", "plaza-staff-demo")


def shot(page: Page, step: str) -> None:
    assert_fits_width(page)
    page.screenshot(path=str(ARTIFACTS / f"merge-{step}-{page.device}.png"), full_page=True)


def test_staff_merge_a_duplicate_found_by_title_then_undo_it(page: Page, runner):
    runner.invoke(args=["seed-demo"])
    space = db.session.scalar(sa.select(Space).where(Space.slug == "zocalo-cdmx"))
    ideas = db.session.scalars(sa.select(Idea).where(Idea.space_id == space.id).order_by(Idea.id)).all()
    kept, duplicate = ideas[0], ideas[1]
    resident = db.session.scalar(sa.select(User).where(User.email == "resident@plaza.example"))
    db.session.add(Flag(idea_id=duplicate.id, user_id=resident.id, reason="Same as the trees idea"))
    db.session.commit()
    word = kept.title.split()[0]

    log_in(page, *STAFF)
    page.goto("/staff/spaces/zocalo-cdmx/moderation")
    item = page.locator(f'.mod-item[data-idea-id="{duplicate.id}"]')
    item.get_by_label("Duplicate of… (search titles)").fill(word)
    item.get_by_role("button", name="Find the idea to keep").click()
    matches = page.locator("#merge-matches li")
    expect(matches.first).to_contain_text(kept.title)
    expect(page.locator("#merge-matches")).not_to_contain_text(duplicate.title)
    shot(page, "search")

    matches.first.get_by_role("link", name="Keep this one").click()
    expect(page.locator("h1")).to_contain_text(duplicate.title)
    expect(page.locator("#merge-effects")).to_contain_text("stop counting")
    expect(page.locator("#merge-place")).to_contain_text("after the merge")
    cards = page.locator(".merge-card")
    expect(cards).to_have_count(2)
    first, second = cards.nth(0).bounding_box(), cards.nth(1).bounding_box()
    if page.device == "tablet":
        assert abs(first["y"] - second["y"]) < 1 and first["x"] < second["x"]  # side by side
    else:
        assert second["y"] >= first["y"] + first["height"]  # one above the other
    shot(page, "preview")

    page.get_by_role("button", name="Merge them").click()
    expect(page.get_by_text("You can undo it from the audit log")).to_be_visible()
    db.session.expire_all()
    assert db.session.get(Idea, duplicate.id).merged_into_id == kept.id
    shot(page, "audit")

    page.get_by_role("button", name="Undo this merge").first.click()
    expect(page.get_by_text("is back with its votes and ballots")).to_be_visible()
    db.session.expire_all()
    restored = db.session.get(Idea, duplicate.id)
    assert restored.merged_into_id is None and restored.status == "published"
    shot(page, "undone")
