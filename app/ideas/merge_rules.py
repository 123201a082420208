"""What a merged duplicate's pairwise votes become for the idea kept: the rules, as pure functions.

Votes are parallel arrays (voter, left, right, outcome: 1 left won, 0 right won, 0.5 tie),
as the ranking engine takes them. A rule returns the votes after merging ``duplicate``
into ``kept``. Every rule drops the votes between the two ideas: they would become an idea
compared with itself. ``benchmarks/merge_rules.py`` compares the rules on a real survey;
Plaza merges with ``UNMET`` (see README, "Merging a duplicate").
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

ALL = "all"          # every vote of the duplicate becomes the kept idea's
UNMET = "unmet"      # only against ideas the kept idea has not met with that voter
DROP = "drop"        # none: the kept idea keeps only its own votes
RULES = (ALL, UNMET, DROP)


class Votes(NamedTuple):
    voter: NDArray[np.int64]
    left: NDArray[np.intp]
    right: NDArray[np.intp]
    outcome: NDArray[np.float64]

    def select(self, mask: NDArray[np.bool_]) -> "Votes":
        return Votes(self.voter[mask], self.left[mask], self.right[mask], self.outcome[mask])


def merge_votes(votes: Votes, kept: int, duplicate: int, rule: str) -> Votes:
    """The votes as `rule` leaves them once `duplicate` is merged into `kept`."""
    if rule not in RULES:
        raise ValueError(f"unknown merge rule {rule!r}; expected one of {RULES}")
    on_dup = (votes.left == duplicate) | (votes.right == duplicate)
    on_kept = (votes.left == kept) | (votes.right == kept)
    keep = ~(on_dup & on_kept)
    if rule == DROP:
        keep &= ~on_dup
    elif rule == UNMET:
        keep &= ~(on_dup & _met_by_kept(votes, kept, duplicate, on_dup, on_kept))
    out = votes.select(keep)
    return Votes(out.voter, np.where(out.left == duplicate, kept, out.left),
                 np.where(out.right == duplicate, kept, out.right), out.outcome)


def _met_by_kept(votes: Votes, kept: int, duplicate: int, on_dup: NDArray[np.bool_],
                 on_kept: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Per vote on the duplicate: did the same voter also compare the kept idea with the
    same other idea? Then that voter's own answer on the kept idea is the one that counts."""
    other = np.where(votes.left == duplicate, votes.right, votes.left)
    kept_other = np.where(votes.left == kept, votes.right, votes.left)
    met = {(int(v), int(o)) for v, o in zip(votes.voter[on_kept], kept_other[on_kept])}
    return np.array([on_dup[k] and (int(votes.voter[k]), int(other[k])) in met
                     for k in range(votes.voter.size)], dtype=bool)
