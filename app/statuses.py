"""The statuses an idea can have and which of them the public sees or may vote on.

Plain constants with no Flask import, so domain modules (budgets, transitions) and the
models share one definition.
"""
IDEA_STATUSES = (
    "pending",
    "published",
    "hidden",
    "under_review",
    "adopted",
    "declined",
    "implemented",
)
# Statuses the public may see: everything staff has not held back.
PUBLIC_STATUSES = ("published", "under_review", "adopted", "declined", "implemented")
# Ideas still open to comparison and ballots; declined and implemented ones are decided.
VOTABLE_STATUSES = ("published", "under_review", "adopted")
