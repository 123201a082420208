"""The order of a quadratic ballot's ideas: by category, and within one shuffled per voter.

Newest first put a just-proposed idea (junk included) at the top of every ballot, where the
first credits go (issue 17). A hash of the voter's key and the idea's id gives each voter their
own order that stays put between visits, and a new idea lands anywhere in its category.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Protocol, TypeVar


class BallotIdea(Protocol):
    id: int
    category: str


T = TypeVar("T", bound=BallotIdea)

def category_order(space_categories: Sequence[str], present: Iterable[str]) -> list[str]:
    """The space's categories in the order staff listed them, then any others by name."""
    present = set(present)
    return [c for c in space_categories if c in present] + sorted(present - set(space_categories))


def shuffle_key(voter_key: str, idea_id: int) -> bytes:
    """A per-voter rank of the idea that does not change while the key stays the same."""
    return hashlib.blake2b(f"{voter_key}/{idea_id}".encode(), digest_size=8).digest()


def ballot_order(ideas: Iterable[T], space_categories: Sequence[str], voter_key: str) -> list[T]:
    """The ideas grouped by category, each group in the voter's own stable shuffle."""
    ideas = list(ideas)
    position = {c: n for n, c in enumerate(category_order(space_categories, (i.category for i in ideas)))}
    return sorted(ideas, key=lambda idea: (position[idea.category], shuffle_key(voter_key, idea.id)))
