"""Request parsing that turns hostile input into a 4xx instead of a crash."""
from __future__ import annotations

from typing import Any

from flask import Request
from werkzeug.routing import IntegerConverter

from app.text import N_

# Ids are INTEGER columns: 2**31 - 1 on PostgreSQL. A larger number in a URL names nothing,
# so the route does not match (404) instead of overflowing the database driver.
MAX_ROW_ID = 2**31 - 1


class RowId(IntegerConverter):
    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ROW_ID)
        super().__init__(map, *args, **kwargs)


class PlazaRequest(Request):
    def get_json(self, force: bool = False, silent: bool = False, cache: bool = True) -> Any:
        """JSON nested deeper than Python's recursion limit is bad input, not a server error."""
        try:
            return super().get_json(force=force, silent=silent, cache=cache)
        except RecursionError:
            if silent:
                return None
            return self.on_json_loading_failed(ValueError("JSON nested too deeply"))


NUL_MESSAGE = N_("Text cannot contain NUL characters.")


def refuse_nul_characters() -> None:
    """PostgreSQL cannot store U+0000 in text: refuse it up front as bad input (400)."""
    from flask import abort, request
    from flask_babel import gettext as _

    texts = [request.path, *request.args.values(), *request.form.values()]
    if any("\x00" in t for t in texts):
        abort(400, description=_(NUL_MESSAGE))
    if request.is_json:
        raw = request.get_data(cache=True)
        if b"\x00" in raw or b"\\u0000" in raw.lower():
            abort(400, description=_(NUL_MESSAGE))
