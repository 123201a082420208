"""The ballot page's form: CSRF for the save button, votes read from votes-<idea id> fields."""
from __future__ import annotations

import re
from collections.abc import Mapping

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField

VOTE_FIELD = re.compile(r"votes-(.+)")
WHOLE_NUMBER = re.compile(r"\s*([+-]?[0-9]{1,9})\s*", re.ASCII)


class BallotForm(FlaskForm):
    """The vote fields are one per idea, so they are read by ``typed_votes``, not declared."""

    submit = SubmitField(_l("Save my ballot"))


def typed_votes(formdata: Mapping[str, str]) -> dict[str, str]:
    """What the person typed per idea, ``{"<idea id>": text}``, to show back after an error."""
    typed = {}
    for name, value in formdata.items():
        match = VOTE_FIELD.fullmatch(name)
        if match:
            typed[match.group(1)] = value
    return typed


def allocations_from_form(typed: Mapping[str, str]) -> dict[str, object]:
    """Typed votes as the API sends them: blanks are 0, whole-number text an int.

    Anything else stays text, so the domain refuses it with the same message as the API.
    """
    allocations: dict[str, object] = {}
    for key, text in typed.items():
        match = WHOLE_NUMBER.fullmatch(text)
        allocations[key] = 0 if not text.strip() else int(match.group(1)) if match else text
    return allocations
