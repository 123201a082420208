"""What every form of Plaza shares."""
from __future__ import annotations

from flask_wtf import FlaskForm


class CommandForm(FlaskForm):
    """A form whose command may refuse with `Invalid` (app/core/errors.py): each of the
    command's messages is shown beside its field, and what the person typed stays."""

    def show(self, errors: dict[str, str]) -> None:
        for name, message in errors.items():
            getattr(self, name).errors.append(message)
