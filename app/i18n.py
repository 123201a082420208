"""Spanish and English: the language of each request, the switch, and the strings scripts need.

The language is the one the person chose with the switch (kept in their session), else the
best match of their browser's Accept-Language, else BABEL_DEFAULT_LOCALE. Scripts get their
strings from a JSON block on each page (`client_messages`), built from the `_()` and
`ngettext()` calls found in `app/static/js/`, so one catalog serves pages and scripts.
"""
from __future__ import annotations

import os
from functools import cache

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from flask import Blueprint, Flask, abort, current_app, has_request_context, redirect, request, session, url_for
from flask_babel import Babel, format_decimal, get_locale, get_translations

from app import text
from app.ideas.display import CATEGORY_LABELS
from app.text import _

LANGUAGES = {"en": "English", "es": "Español"}
SCRIPTS_DIR = os.path.join(os.path.dirname(__file__), "static", "js")

bp = Blueprint("i18n", __name__)
babel = Babel()


def select_locale() -> str:
    if not has_request_context():  # a CLI command, or a domain call in a test
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or current_app.config["BABEL_DEFAULT_LOCALE"]


def current_language() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


@bp.post("/language")
def switch_language():
    """Remember the chosen language for this browser and go back to the page it came from."""
    from app.auth.routes import safe_next

    lang = request.form.get("lang", "")
    if lang not in LANGUAGES:
        abort(400, description=_("Choose one of the languages offered: English or Español."))
    session["lang"] = lang
    return redirect(safe_next(request.form.get("next")) or url_for("spaces.home"))


@cache
def script_messages() -> tuple[str | tuple[str, str], ...]:
    """Every message the scripts ask for, read once per process from their source."""
    found: list[str | tuple[str, str]] = []
    for name in sorted(os.listdir(SCRIPTS_DIR)):
        if not name.endswith(".js"):
            continue
        for _lineno, message, _comments, _context in extract_from_file(
                "javascript", os.path.join(SCRIPTS_DIR, name), keywords=DEFAULT_KEYWORDS):
            found.append(message if isinstance(message, str) else (message[0], message[1]))
    return tuple(dict.fromkeys(found))


def client_messages() -> dict[str, str | list[str]]:
    """The scripts' messages in the current language: only those that differ from the source
    (an English page sends an empty catalog); plurals as [one, other]. Built once per language
    and process: the catalog and the scripts do not change while the app runs."""
    return _client_catalog(current_language())


@cache
def _client_catalog(language: str) -> dict[str, str | list[str]]:
    translations = get_translations()
    catalog: dict[str, str | list[str]] = {}
    for message in (*script_messages(), *CATEGORY_LABELS.values()):  # categories: PlazaI18n.category
        if isinstance(message, str):
            translated = translations.ugettext(message)
            if translated != message:
                catalog[message] = translated
        else:
            singular, plural = message
            forms = [translations.ungettext(singular, plural, n) for n in (1, 2)]
            if forms != [singular, plural]:
                catalog[singular] = forms
    return catalog


def register(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "en")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", os.path.join(app.root_path, "translations"))
    babel.init_app(app, locale_selector=select_locale)
    text.install(lambda message: get_translations().ugettext(message))
    app.register_blueprint(bp)
    app.jinja_env.globals.update(languages=LANGUAGES, current_language=current_language,
                                 client_messages=client_messages)
    app.jinja_env.filters["number"] = format_decimal
