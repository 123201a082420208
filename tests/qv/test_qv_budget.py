"""The quadratic-voting rules: n votes cost n², a ballot stays within budget, input is checked."""
import pytest

from app.qv.budget import (
    VOTABLE_STATUSES,
    BallotError,
    ballot_cost,
    check_ballot,
    check_voting_open,
    max_votes,
    parse_allocations,
    vote_cost,
)
from app.models.idea import IDEA_STATUSES, PUBLIC_STATUSES

IDEAS = {11, 12, 13}


def check(allocations, budget=100, negative=False):
    return check_ballot(allocations, budget=budget, votable_ids=IDEAS, allow_negative=negative)


@pytest.mark.parametrize("votes, cost", [(0, 0), (1, 1), (2, 4), (3, 9), (10, 100), (-1, 1), (-4, 16)])
def test_vote_cost_is_the_square(votes, cost):
    assert vote_cost(votes) == cost


def test_ballot_cost_sums_the_squares():
    # 3² + 4² + (-2)² + 1² = 9 + 16 + 4 + 1
    assert ballot_cost({1: 3, 2: 4, 3: -2, 4: 1}) == 30
    assert ballot_cost({}) == 0


@pytest.mark.parametrize("budget, most", [(1, 1), (3, 1), (4, 2), (99, 9), (100, 10), (101, 10)])
def test_max_votes_is_the_integer_square_root(budget, most):
    assert max_votes(budget) == most


def test_votable_statuses_are_public_and_undecided():
    assert set(VOTABLE_STATUSES) <= set(PUBLIC_STATUSES) <= set(IDEA_STATUSES)
    assert set(VOTABLE_STATUSES) == {"published", "under_review", "adopted"}


def test_parse_keeps_integers_and_drops_zeros():
    assert parse_allocations({"11": 3, "12": 0, "13": -2}) == {11: 3, 13: -2}
    assert parse_allocations({}) == {}


@pytest.mark.parametrize("raw, message", [
    (None, "as an object"),
    ([["11", 3]], "as an object"),
    ("11=3", "as an object"),
    (7, "as an object"),
    ({"abc": 1}, "“abc” is not an idea number"),
    ({"-11": 1}, "is not an idea number"),
    ({"011": 1}, "is not an idea number"),
    ({" 11": 1}, "is not an idea number"),
    ({"1.0": 1}, "is not an idea number"),
    ({"١١": 1}, "is not an idea number"),  # Arabic-Indic digits, which int() would accept
    ({"9" * 40: 1}, "is not an idea number"),
    ({"11": 1.5}, "whole numbers"),
    ({"11": 2.0}, "whole numbers"),
    ({"11": float("inf")}, "whole numbers"),
    ({"11": True}, "whole numbers"),
    ({"11": False}, "whole numbers"),
    ({"11": "3"}, "whole numbers"),
    ({"11": None}, "whole numbers"),
    ({"11": [3]}, "whole numbers"),
    ({"11": {"votes": 3}}, "whole numbers"),
])
def test_parse_refuses_bad_shapes(raw, message):
    with pytest.raises(BallotError, match=message):
        parse_allocations(raw)


def test_long_keys_are_cut_short_in_the_message():
    with pytest.raises(BallotError) as caught:
        parse_allocations({"x" * 500: 1})
    assert len(str(caught.value)) < 100


def test_within_budget_returns_the_cost():
    assert check({11: 6, 12: 8}) == 100  # 36 + 64: exactly the budget
    assert check({}) == 0
    assert check({11: -3, 12: 2}, negative=True) == 13


def test_one_credit_over_is_refused_with_the_amount():
    with pytest.raises(BallotError, match="cost 101 credits but your budget is 100; "
                                          "take back votes worth 1 credits"):
        check({11: 6, 12: 8, 13: 1})


@pytest.mark.parametrize("votes", [11, -11, 10**30, -(10**30)])
def test_more_votes_on_one_idea_than_the_budget_allows(votes):
    with pytest.raises(BallotError, match="at most 10 votes: 11 votes would cost 121 credits"):
        check({11: votes}, negative=True)


def test_negative_votes_only_where_the_space_allows_them():
    with pytest.raises(BallotError, match="does not take votes against ideas"):
        check({11: -1})
    assert check({11: -1}, negative=True) == 1


@pytest.mark.parametrize("idea_id", [14, 0, 999_999_999_999])
def test_ideas_outside_the_votable_set_are_refused(idea_id):
    with pytest.raises(BallotError, match=f"Idea {idea_id} is not open for voting"):
        check({11: 1, idea_id: 1})


@pytest.mark.parametrize("phase, message", [
    ("ideas", "has not opened yet"), ("closed", "has closed"),
])
def test_ballots_change_only_while_voting(phase, message):
    check_voting_open("voting")
    with pytest.raises(BallotError, match=message):
        check_voting_open(phase)


def test_ballot_error_is_a_value_error():
    assert issubclass(BallotError, ValueError)
