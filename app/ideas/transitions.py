"""Every allowed change of an idea's status, in one place: moderation and staff decisions.

Moderation (publish, hide) decides who sees an idea; decisions (under review, adopted,
declined, implemented) are the city's public answer. Anything not listed is refused.
"""
from __future__ import annotations

from app.text import N_, _, label_for

TRANSITIONS: dict[str, frozenset[str]] = {
    "pending": frozenset({"published", "hidden"}),
    "published": frozenset({"hidden", "under_review", "adopted", "declined"}),
    "hidden": frozenset({"published"}),
    "under_review": frozenset({"published", "hidden", "adopted", "declined"}),
    "adopted": frozenset({"under_review", "declined", "implemented"}),
    "declined": frozenset({"under_review", "adopted"}),
    "implemented": frozenset({"adopted"}),  # a correction: it was not finished after all
}
DECISIONS = ("under_review", "adopted", "declined", "implemented")
# Decisions the public is owed an explanation for, and what staff are told when it is missing
# (one whole sentence per decision, so each language can agree the status with "idea").
RESPONSE_MISSING = {
    "adopted": N_("Explain publicly why the idea is adopted."),
    "declined": N_("Explain publicly why the idea is declined."),
    "implemented": N_("Explain publicly why the idea is implemented."),
}
MODERATION_ACTIONS = {"publish": "published", "hide": "hidden"}
# How each status reads in a sentence or on a badge; every page shows a status through label().
STATUS_LABELS = {
    "pending": N_("pending"),
    "published": N_("published"),
    "hidden": N_("hidden"),
    "under_review": N_("under review"),
    "adopted": N_("adopted"),
    "declined": N_("declined"),
    "implemented": N_("implemented"),
}


class TransitionError(ValueError):
    """A status change that is not allowed from the idea's current status."""


def label(status: str) -> str:
    """The status in words, in the request's language ("under review", "en revisión")."""
    return label_for(STATUS_LABELS, status, status.replace("_", " "))


def transition(status: str, target: str) -> str:
    """`target` if the change is allowed, else TransitionError saying why not."""
    if target not in TRANSITIONS:
        raise TransitionError(_("Unknown status: %(status)s.", status=repr(target)))
    if target not in TRANSITIONS.get(status, frozenset()):
        raise TransitionError(_("An idea that is %(status)s cannot be %(target)s now.",
                                status=label(status), target=label(target)))
    return target


def decision_targets(status: str) -> list[str]:
    """The decisions staff may take from `status`, in the order of DECISIONS."""
    return [d for d in DECISIONS if d in TRANSITIONS.get(status, frozenset())]


def moderation_actions(status: str) -> list[str]:
    return [a for a, target in MODERATION_ACTIONS.items() if target in TRANSITIONS.get(status, ())]
