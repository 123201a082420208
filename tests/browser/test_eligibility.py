"""A resident with no account verifies against the roll, spends credits, comes back from
another browser with the same details and changes the ballot; an account that tries the same
roll entry is refused (issue 15). On a phone and a tablet."""
import sqlalchemy as sa
from playwright.sync_api import Browser, Page, expect

from app.eligibility import hasher
from app.eligibility.roll import import_roll
from app.extensions import db
from tests.browser.conftest import VIEWPORTS, assert_fits_width, log_in, route_outside
from tests.conftest import PASSWORD
from tests.eligibility.conftest import ANA, ID_COLUMNS, roll_people


def verify_with_roll(page: Page, expected: str) -> None:
    page.goto("/spaces/centro")
    expect(page.get_by_text("Only verified residents of Centro Histórico can spend credits here.")).to_be_visible()
    page.get_by_role("link", name="Verify as a resident").click()
    expect(page.get_by_role("heading", name="Verify as a resident")).to_be_visible()
    assert_fits_width(page)
    page.get_by_label("documento").fill(ANA["documento"].lower())
    page.get_by_label("nacimiento").fill(ANA["nacimiento"])
    page.get_by_role("button", name="Verify with these details").click()
    expect(page.get_by_text(expected)).to_be_visible()


def open_ballot(page: Page) -> None:
    page.goto("/spaces/centro/qv")
    expect(page.locator("#qv-ballot")).to_have_attribute("data-ready", "true")


def test_verify_vote_come_back_and_change_the_ballot(page: Page, browser: Browser, live_server, network,
                                                     make_space, make_user):
    space = make_space(slug="centro", name="Centro Histórico", qv_rule="verified",
                       ideas=("Shade trees", "Benches", "Water fountains"))
    import_roll(hasher(), space, ID_COLUMNS, roll_people())
    db.session.commit()
    account = make_user(email="otra@example.org")

    page.goto("/spaces/centro/qv")
    expect(page.get_by_role("heading", name="Who may spend credits here")).to_be_visible()
    verify_with_roll(page, "You are verified as a resident of Centro Histórico.")
    expect(page.get_by_text("District: Centro.")).to_be_visible()
    assert_fits_width(page)
    page.screenshot(path=f"test-artifacts/eligibility-space-{page.device}.png", full_page=True)
    open_ballot(page)
    first = page.locator(".qv-line h3").nth(0).inner_text().strip()
    for _ in range(3):
        page.get_by_role("button", name=f"Add a vote for “{first}”", exact=True).click()
    page.get_by_role("button", name="Save my ballot").click()
    expect(page.locator("#qv-status")).to_have_text("Saved: 9 of 100 credits spent, 91 left.")
    assert_fits_width(page)

    def new_browser():
        context = browser.new_context(base_url=live_server, **VIEWPORTS[page.device])
        context.route("**/*", route_outside(network, live_server))
        return context, context.new_page()

    context, again = new_browser()
    verify_with_roll(again, "Welcome back: your earlier votes and ballot are here.")
    open_ballot(again)
    expect(again.get_by_label(f"Votes for “{first}”")).to_have_value("3")
    again.get_by_role("button", name=f"Remove a vote from “{first}”", exact=True).click()
    again.get_by_role("button", name="Save my ballot").click()
    expect(again.locator("#qv-status")).to_have_text("Saved: 4 of 100 credits spent, 96 left.")
    context.close()

    context, other = new_browser()
    log_in(other, account.email, PASSWORD)
    verify_with_roll(other, "This is already used by someone else. If it is yours, ask the city for help.")
    expect(other.get_by_label("nacimiento")).to_have_value(ANA["nacimiento"])  # what was typed stays
    assert_fits_width(other)
    other.screenshot(path=f"test-artifacts/eligibility-refused-{page.device}.png", full_page=True)
    context.close()


def test_results_by_district_fit_a_phone(page: Page, make_space, make_user):
    from app.eligibility.verification import verify
    from app.models import Idea, Voter
    from app.qv.ballots import save_ballot
    from tests.eligibility.conftest import LUIS

    space = make_space(slug="centro", name="Centro Histórico", qv_rule="verified",
                       ideas=("Shade trees along the whole western side of the square", "Benches", "Water fountains"))
    import_roll(hasher(), space, ID_COLUMNS, roll_people())
    ids = db.session.scalars(sa.select(Idea.id).where(Idea.space_id == space.id).order_by(Idea.id)).all()
    for fields, ballot in ((ANA, {str(ids[0]): 4}), (LUIS, {str(ids[2]): 5, str(ids[0]): 1})):
        voter = Voter(user_id=make_user().id)
        db.session.add(voter)
        db.session.flush()
        verify(hasher(), space, voter.id, "roll", {"fields": fields})
        save_ballot(space, voter.id, ballot)
    db.session.commit()
    page.goto("/spaces/centro/results")
    expect(page.get_by_role("heading", name="By district").first).to_be_visible()
    expect(page.get_by_role("row", name="Guerrero 1 Water fountains")).to_be_visible()
    page.screenshot(path=f"test-artifacts/results-by-district-{page.device}.png", full_page=True)
    assert_fits_width(page)


def test_staff_upload_preview_and_import_the_roll(page: Page, make_space, make_user, tmp_path):
    """The roll page on a phone and a tablet: a bad file is refused in place with the typed
    columns kept, a good one is previewed in counts and imported with one more press."""
    space = make_space(slug="centro", name="Centro Histórico", qv_rule="verified")
    import_roll(hasher(), space, ID_COLUMNS, roll_people())
    db.session.commit()
    staff = make_user(role="staff", email="padron@example.org")
    good = tmp_path / "padron.csv"
    good.write_text("documento;nacimiento;colonia\nCD654321;1975-11-30;Centro\nZZ000111;2002-02-02;Morelos\n")
    bad = tmp_path / "otro.csv"
    bad.write_text("dni,fecha\nAB1,1980\n")

    log_in(page, staff.email, PASSWORD)
    page.goto("/staff/spaces/centro/edit")
    page.get_by_role("link", name="Import the roll").click()
    expect(page.get_by_role("heading", name="The roll of Centro Histórico")).to_be_visible()
    expect(page.get_by_label("Identifying columns")).to_have_value("documento, nacimiento")
    page.get_by_label("District column (optional)").fill("colonia")
    page.get_by_label("The roll (a CSV file, UTF-8)").set_input_files(bad)
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_text("The file has no column documento, nacimiento, colonia; its columns are: dni, fecha.")).to_be_visible()
    expect(page.get_by_label("District column (optional)")).to_have_value("colonia")
    assert_fits_width(page)

    page.get_by_label("The roll (a CSV file, UTF-8)").set_input_files(good)
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", name="Import this roll into Centro Histórico?")).to_be_visible()
    effects = page.locator("#roll-effects")
    expect(effects).to_contain_text("2 people listed, from 2 rows.")
    expect(effects).to_contain_text("3 people listed now are not in this file: they can no longer verify.")
    assert_fits_width(page)
    page.screenshot(path=f"test-artifacts/roll-preview-{page.device}.png", full_page=True)
    page.get_by_role("button", name="Import the roll").click()
    expect(page.get_by_text("Roll imported: 2 people listed (1 new, 3 no longer listed); 0 of them verified already.")).to_be_visible()
    expect(page.locator("#roll-counts")).to_contain_text("Roll: 2 people listed, 0 verified.")
    assert_fits_width(page)
    page.screenshot(path=f"test-artifacts/roll-imported-{page.device}.png", full_page=True)
