"""The merge rules on hand-made votes: what each leaves of a duplicate's votes."""
import numpy as np
import pytest

from app.ideas.merge_rules import ALL, DROP, UNMET, Votes, merge_votes

KEPT, DUP, X, Y = 0, 1, 2, 3


def votes(*rows):
    voter, left, right, outcome = zip(*rows)
    return Votes(np.array(voter), np.array(left), np.array(right), np.array(outcome, dtype=float))


ROWS = votes((7, DUP, KEPT, 1.0),   # between the two: always dropped
             (7, DUP, X, 1.0),      # voter 7 also compared KEPT with X
             (7, KEPT, X, 0.0),
             (8, Y, DUP, 0.0),      # voter 8 never met KEPT: a duplicate's win over Y
             (8, X, Y, 0.5))


def as_rows(v: Votes):
    return sorted(zip(v.voter.tolist(), v.left.tolist(), v.right.tolist(), v.outcome.tolist()))


def test_all_moves_every_vote_but_the_ones_between_the_two():
    assert as_rows(merge_votes(ROWS, KEPT, DUP, ALL)) == [
        (7, 0, 2, 0.0), (7, 0, 2, 1.0), (8, 2, 3, 0.5), (8, 3, 0, 0.0)]


def test_unmet_keeps_the_voters_own_answer_on_the_kept_idea():
    assert as_rows(merge_votes(ROWS, KEPT, DUP, UNMET)) == [(7, 0, 2, 0.0), (8, 2, 3, 0.5), (8, 3, 0, 0.0)]


def test_drop_leaves_the_kept_idea_its_own_votes_only():
    assert as_rows(merge_votes(ROWS, KEPT, DUP, DROP)) == [(7, 0, 2, 0.0), (8, 2, 3, 0.5)]


def test_an_unknown_rule_is_refused():
    with pytest.raises(ValueError, match="unknown merge rule"):
        merge_votes(ROWS, KEPT, DUP, "borda")
