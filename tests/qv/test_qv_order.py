"""The ballot's order: by category, and within one a shuffle of each voter's own that stays put,
so the newest idea does not lead every ballot."""
import re

import pytest

from app.qv.ordering import ballot_order
from tests.conftest import csrf_token

TREES = [f"Tree number {n}" for n in range(1, 13)]


@pytest.fixture
def crowded_space(qv_space, make_idea):
    """`qv_space` with twelve greenery ideas proposed one after the other and one bench."""
    make_idea(qv_space, title="A bench", category="seating & shade")
    return [make_idea(qv_space, title=t, category="greenery") for t in TREES]


def ballot_ids(client) -> list[int]:
    return [int(n) for n in re.findall(r'data-idea-id="(\d+)"', client.get("/spaces/alameda/qv").get_data(as_text=True))]


def test_two_voters_each_keep_their_own_order(client, crowded_space, make_user, login):
    login(make_user())
    first = ballot_ids(client)
    assert ballot_ids(client) == first
    client.post("/auth/logout", data={"csrf_token": csrf_token(client)})
    login(make_user())
    second = ballot_ids(client)
    assert ballot_ids(client) == second
    greenery = [idea.id for idea in crowded_space]
    assert sorted(first[:12]) == sorted(second[:12]) == sorted(greenery)  # the space lists greenery first
    assert first != second
    assert first[:12] != sorted(greenery) and first[:12] != sorted(greenery, reverse=True)


def test_a_new_idea_leads_few_ballots(crowded_space, qv_space, make_idea):
    newest = make_idea(qv_space, title="Just proposed", category="greenery")
    ideas = [*crowded_space, newest]
    leaders = [ballot_order(ideas, qv_space.categories, f"space:{qv_space.id}/user:{n}")[0]
               for n in range(1, 101)]
    assert sum(idea.id == newest.id for idea in leaders) < 20  # about 1 in 13 by chance


def test_categories_come_in_the_spaces_order(crowded_space, qv_space, make_idea):
    other = make_idea(qv_space, title="A mural", category="murals")  # a category staff removed
    ordered = ballot_order([other, *crowded_space], ["seating & shade", "greenery"], "voter")
    assert [i.category for i in ordered] == ["greenery"] * 12 + ["murals"]
