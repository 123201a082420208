"""Column helpers shared by the models, so every table stores time and choices one way."""
from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa


def utcnow() -> datetime:
    """Timezone-aware now; a callable default so the value is taken per row, not at import."""
    return datetime.now(timezone.utc)


def choice_type(values: tuple[str, ...], name: str) -> sa.Enum:
    """A string column limited to `values` by a CHECK constraint (portable, easy to extend)."""
    return sa.Enum(
        *values,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(v) for v in values) + 8,
        validate_strings=True,
    )
