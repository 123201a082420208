"""Quadratic-voting rules: n votes on an idea cost n² credits, a ballot stays within its budget.

Pure functions, no Flask and no database: the caller passes in what it loaded (the space's
phase, budget and the ids of its votable ideas) and gets either a clean ballot or a
``BallotError`` whose message can be shown to residents as it is.

Votable ideas are the public ones still in play: "published", "under_review" and "adopted".
Pending and hidden ideas are not public; "declined" and "implemented" ideas are decided
already, so credits spent on them would be wasted. Votes stored on an idea that later leaves
these statuses stay in the database (staff may publish it again) but count nowhere: not in
the voter's credits, not in the tally; the next save of that ballot drops them.
"""
from __future__ import annotations

import math
import re
from collections.abc import Collection, Mapping

from app.statuses import VOTABLE_STATUSES  # noqa: F401  (re-exported for the ballots layer)
from app.text import _

#: Idea ids arrive as JSON object keys: plain decimal text, no sign, no leading zeros.
_IDEA_KEY = re.compile(r"(?:0|[1-9][0-9]{0,17})", re.ASCII)


class BallotError(ValueError):
    """A ballot that cannot be saved; the message is written for the resident."""


def vote_cost(votes: int) -> int:
    """Credits that ``votes`` votes on one idea cost (opposing votes cost the same)."""
    return votes * votes


def ballot_cost(allocations: Mapping[int, int]) -> int:
    """Credits a whole ballot costs: the sum of n² over its ideas."""
    return sum(vote_cost(n) for n in allocations.values())


def max_votes(budget: int) -> int:
    """The most votes one idea can get from a single ballot: ⌊√budget⌋."""
    return math.isqrt(budget)


def check_voting_open(phase: str) -> None:
    """Ballots may be changed only while the space is in its voting phase."""
    if phase == "ideas":
        raise BallotError(_("Voting has not opened yet in this space; the city is still "
                            "collecting ideas."))
    if phase != "voting":
        raise BallotError(_("Voting in this space has closed; your ballot is kept as it was."))


def parse_allocations(raw: object) -> dict[int, int]:
    """Turn ``{"<idea id>": votes}`` into ``{idea_id: votes}``, dropping zeros.

    Only the shape is checked here: an object, idea ids written as whole numbers, and
    votes that are whole numbers (not text, not 1.5, not true/false).
    """
    if not isinstance(raw, Mapping):
        raise BallotError(_('Send your votes as an object: {"<idea id>": votes, ...}.'))
    allocations: dict[int, int] = {}
    for key, votes in raw.items():
        if not isinstance(key, str) or not _IDEA_KEY.fullmatch(key):
            raise BallotError(_("%(key)s is not an idea number; reload the page and try again.",
                                key=_short(key)))
        if isinstance(votes, bool) or not isinstance(votes, int):
            raise BallotError(_("Votes must be whole numbers, like 3 or 0."))
        if votes:
            allocations[int(key)] = votes
    return allocations


def check_ballot(allocations: Mapping[int, int], *, budget: int, votable_ids: Collection[int],
                 allow_negative: bool) -> int:
    """Check a parsed ballot against the space's rules; return the credits it costs."""
    most = max_votes(budget)
    for idea_id, votes in allocations.items():
        if votes < 0 and not allow_negative:
            raise BallotError(_("This space does not take votes against ideas; use 0 or more votes."))
        if abs(votes) > most:
            raise BallotError(_("One idea can get at most %(most)s votes: %(over)s votes would "
                                "cost %(cost)s credits, more than your %(budget)s.",
                                most=most, over=most + 1, cost=vote_cost(most + 1), budget=budget))
        if idea_id not in votable_ids:
            raise BallotError(_("Idea %(idea)s is not open for voting in this space; reload the "
                                "page to see the current list.", idea=idea_id))
    cost = ballot_cost(allocations)
    if cost > budget:
        raise BallotError(_("These votes cost %(cost)s credits but your budget is %(budget)s; "
                            "take back votes worth %(over)s credits.",
                            cost=cost, budget=budget, over=cost - budget))
    return cost


def _short(value: object) -> str:
    """A piece of the client's input, quoted and cut short, safe to echo in a message."""
    text = repr(value) if not isinstance(value, str) else f"“{value}”"
    return text if len(text) <= 24 else text[:21] + "…"
