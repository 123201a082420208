"""The space's focus on the top K: the chances in the ranking rows, the words on the results
and staff pages, the setting, and the pair chooser built for it."""
from itertools import combinations

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import AuditEntry, Idea, PairwiseVote, Voter
from app.pairwise.refits import refitter

TITLES = [f"Idea number {n}" for n in range(1, 13)]  # strongest first


@pytest.fixture
def focus_space(make_space):
    """Twelve ideas, focus on the top 3."""
    return make_space(slug="zocalo", ideas=TITLES, focus_k=3)


def vote_in_order(space, voters: int, pairs: int | None = None) -> None:
    """Each voter answers (the first `pairs` of) every pair, always for the stronger idea."""
    ideas = {i.title: i.id for i in space_ideas(space)}
    ordered = [ideas[t] for t in TITLES]
    for n in range(voters):
        voter = Voter(anon_key=f"focus-{n}")
        db.session.add(voter)
        db.session.flush()
        db.session.add_all(PairwiseVote(space_id=space.id, voter_id=voter.id, left_idea_id=a,
                                        right_idea_id=b, choice="left")
                           for a, b in list(combinations(ordered, 2))[:pairs])
    db.session.commit()


def space_ideas(space):
    return db.session.scalars(sa.select(Idea).where(Idea.space_id == space.id)).all()


def ranking(api, method="pairwise"):
    return api.get(f"/api/spaces/zocalo/ranking?method={method}").get_json()


def test_rows_carry_the_chance_of_the_top_k_and_the_totals_the_focus(api, focus_space):
    vote_in_order(focus_space, voters=15)
    data = ranking(api)
    chances = {row["title"]: row["p_top"] for row in data["ideas"]}
    assert data["totals"]["focus_k"] == 3
    assert all(chances[t] >= 0.95 for t in TITLES[:3]) and all(chances[t] <= 0.05 for t in TITLES[5:])
    assert sum(chances.values()) == pytest.approx(3, abs=0.01)  # three places, shared out
    top = data["totals"]["top_k"]
    by_title = {row["id"]: row["title"] for row in data["ideas"]}
    assert [by_title[i] for i in top["surely_in"]] == TITLES[:3]
    assert top["still_open"] == [] and top["open_places"] == 0 and top["votes_to_settle"] == 0


def test_few_votes_leave_places_open_with_an_estimate_of_the_votes_needed(api, focus_space):
    vote_in_order(focus_space, voters=1, pairs=20)
    top = ranking(api)["totals"]["top_k"]
    assert top["surely_in"] == [] and len(top["still_open"]) > 3 and top["open_places"] == 3
    assert top["votes_to_settle"] > 20


def test_before_any_vote_no_estimate_is_made(api, focus_space):
    data = ranking(api)
    assert all(0 < row["p_top"] < 1 for row in data["ideas"])
    assert data["totals"]["top_k"]["votes_to_settle"] is None


def test_the_quadratic_ranking_has_the_same_fields_without_chances(api, focus_space):
    data = ranking(api, "quadratic")
    assert data["totals"]["focus_k"] == 3 and data["totals"]["top_k"] is None
    assert data["ideas"] and all(row["p_top"] is None for row in data["ideas"])


def test_the_results_page_says_which_ideas_are_surely_in_and_what_is_open(client, focus_space):
    vote_in_order(focus_space, voters=1, pairs=20)
    html = client.get("/spaces/zocalo/results").get_data(as_text=True)
    assert "How sure is the top 3?" in html
    assert "3 places are still open between" in html and "more comparisons would settle it" in html
    assert "still open: a" in html and "chance of the top 3" in html


def test_a_settled_top_says_so(client, focus_space):
    vote_in_order(focus_space, voters=15)
    html = client.get("/spaces/zocalo/results").get_data(as_text=True)
    assert "The top 3 is settled" in html and html.count("surely in the top 3") == 3


def test_no_words_about_the_top_k_while_every_idea_is_in_it(client, make_space):
    make_space(slug="zocalo", ideas=TITLES[:3], focus_k=3)
    html = client.get("/spaces/zocalo/results").get_data(as_text=True)
    assert "How sure is the top" not in html and "surely in the top" not in html


def test_results_in_spanish(client, focus_space):
    vote_in_order(focus_space, voters=1, pairs=20)
    html = client.get("/spaces/zocalo/results", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "¿Qué tan seguros son los 3 primeros lugares?" in html


def test_staff_see_each_chance_next_to_the_ranking(client, login, make_user, focus_space):
    vote_in_order(focus_space, voters=15)
    login(make_user(role="staff"))
    html = client.get("/staff/spaces/zocalo/rankings").get_data(as_text=True)
    assert "In the top 3" in html and "Pair choice focuses on the top 3." in html
    assert html.count('<td class="p-top">100%</td>') == 3 and '<td class="p-top">0%</td>' in html


def test_staff_change_the_focus_and_every_reader_sees_it(api, client, login, make_user, focus_space,
                                                         post_form):
    vote_in_order(focus_space, voters=15)
    assert ranking(api)["totals"]["focus_k"] == 3
    pairs_before = refitter().current(focus_space.id)
    staff = make_user(role="staff")
    login(staff)
    form = client.get("/staff/spaces/zocalo/edit").get_data(as_text=True)
    assert 'name="focus_k"' in form and 'value="3"' in form
    fields = {"name": focus_space.name, "slug": "zocalo", "center_lat": "19.43", "center_lng": "-99.13",
              "zoom": "17", "categories": "\n".join(focus_space.categories), "phase": "voting",
              "qv_budget": "100", "focus_k": "5"}
    assert post_form("/staff/spaces/zocalo/edit", fields).status_code == 302
    data = ranking(api)
    assert data["totals"]["focus_k"] == 5
    assert sum(row["p_top"] for row in data["ideas"]) == pytest.approx(5, abs=0.01)
    assert refitter().current(focus_space.id) is not pairs_before  # pairs follow the new focus
    assert refitter().current(focus_space.id).top_k.status.k == 5
    entry = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.action == "space.update" and (entry.before["focus_k"], entry.after["focus_k"]) == (3, 5)


def test_another_machine_sees_a_new_focus_in_its_ranking(api, focus_space):
    """A worker that did not save the setting has no event to tell it: the fit's version has it."""
    ranking(api)
    focus_space.focus_k = 4
    db.session.commit()
    assert ranking(api)["totals"]["focus_k"] == 4


def test_the_pair_chooser_focuses_on_the_spaces_top_k(app, focus_space):
    vote_in_order(focus_space, voters=1, pairs=20)
    standings = refitter().current(focus_space.id)
    assert standings.chooser is not None and standings.chooser.focus == pytest.approx(0.1)
    assert standings.chooser.focus_tables is not None  # contenders for the 3 places exist
    assert standings.top_k.status.k == 3
