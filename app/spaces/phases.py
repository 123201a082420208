"""How a space moves between collecting ideas, voting and closed."""
from __future__ import annotations

PHASE_TRANSITIONS: dict[str, frozenset[str]] = {
    "ideas": frozenset({"voting", "closed"}),
    "voting": frozenset({"ideas", "closed"}),
    "closed": frozenset({"voting"}),  # reopening, e.g. after a deadline was extended
}


def allowed_phases(current: str | None) -> list[str]:
    """The phase itself and those it may move to; a new space may start in any."""
    if current is None:
        return ["ideas", "voting", "closed"]
    return [p for p in ("ideas", "voting", "closed") if p == current or p in PHASE_TRANSITIONS[current]]
