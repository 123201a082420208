"""Labels of choices that pages in several areas show (the voting page and the kiosk)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.models import SKIP_REASONS

SKIP_LABELS = {
    "like_both": _l("I like both"),
    "like_neither": _l("I like neither"),
    "same": _l("They are the same"),
    "dont_know": _l("I don't know enough about one or both"),
    "other": _l("Another reason"),
}
assert set(SKIP_LABELS) == set(SKIP_REASONS)
