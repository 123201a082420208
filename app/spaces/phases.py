"""How a space moves between collecting ideas, voting and closed."""
from __future__ import annotations

from app.text import N_, label_for

PHASE_TRANSITIONS: dict[str, frozenset[str]] = {
    "ideas": frozenset({"voting", "closed"}),
    "voting": frozenset({"ideas", "closed"}),
    "closed": frozenset({"voting"}),  # reopening, e.g. after a deadline was extended
}

# A phase as people read it on badges and in the staff's settings.
PHASE_LABELS = {"ideas": N_("Ideas"), "voting": N_("Voting"), "closed": N_("Closed")}


def phase_label(phase: str) -> str:
    """The `phase_label` filter: the phase in the request's language, capitalised."""
    return label_for(PHASE_LABELS, phase, phase.capitalize())


def allowed_phases(current: str | None) -> list[str]:
    """The phase itself and those it may move to; a new space may start in any."""
    if current is None:
        return ["ideas", "voting", "closed"]
    return [p for p in ("ideas", "voting", "closed") if p == current or p in PHASE_TRANSITIONS[current]]
