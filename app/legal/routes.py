"""The public terms of use and privacy notice, linked from every page's footer and from sign-up."""
from __future__ import annotations

from flask import render_template

from app.i18n import current_language
from app.legal import bp
from app.legal.texts import shown, title


def _page(kind: str):
    return render_template("legal/page.html", text=shown(kind, current_language()), title=title(kind))


@bp.get("/terms")
def terms():
    return _page("terms")


@bp.get("/privacy")
def privacy():
    return _page("privacy")
