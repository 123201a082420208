"""Spanish and English: the language of each request, the switch, and the strings scripts need.

The language is the one the person chose with the switch (kept in their session), else the
best match of their browser's Accept-Language, else BABEL_DEFAULT_LOCALE. Numbers and dates
follow the region too: a browser asking for es-MX reads "1,234.5" and one asking for es-ES
"1.234,5", both with the one Spanish catalog; without a region in the browser, the region of
BABEL_DEFAULT_LOCALE (PLAZA_DEFAULT_LANGUAGE, e.g. es_MX) when its language matches. Scripts get their
strings from a JSON block on each page (`client_messages`), built from the `_()` and
`ngettext()` calls found in `app/static/js/`, so one catalog serves pages and scripts.
"""
from __future__ import annotations

import os
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from flask import Blueprint, Flask, abort, current_app, has_request_context, redirect, request, session, url_for
from flask_babel import Babel, format_decimal, format_percent, get_locale, get_translations, pgettext

from app import text
from app.ideas.display import CATEGORY_LABELS
from app.text import _

LANGUAGES = {"en": "English", "es": "Español"}
SCRIPTS_DIR = os.path.join(os.path.dirname(__file__), "static", "js")

bp = Blueprint("i18n", __name__)
babel = Babel()


def select_locale() -> str:
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    if not has_request_context():  # a CLI command, or a domain call in a test
        return default
    chosen = session.get("lang")
    if chosen not in LANGUAGES:
        chosen = request.accept_languages.best_match(LANGUAGES) or _language_of(default)
    browser = [tag for tag, _quality in request.accept_languages]
    return _with_region(chosen, [*browser, default])


def _language_of(tag: str) -> str:
    return tag.replace("-", "_").split("_", 1)[0].lower()


def _with_region(language: str, tags: list[str]) -> str:
    """`language` with the region of the first tag in that language that has one Babel knows."""
    for tag in tags:
        if _language_of(tag) != language or len(tag) < 4:
            continue
        try:
            return str(Locale.parse(tag, sep="-" if "-" in tag else "_"))
        except (ValueError, UnknownLocaleError):
            continue
    return language


def current_language() -> str:
    """The language alone ("es"), for the page's lang, the switch and the scripts' catalog."""
    locale = get_locale()
    return locale.language if locale else _language_of(current_app.config["BABEL_DEFAULT_LOCALE"])


def current_locale_tag() -> str:
    """The BCP 47 tag numbers are formatted with in scripts ("es-MX"), as on the server."""
    locale = get_locale()
    return "-".join(filter(None, (locale.language, locale.territory))) if locale else current_language()


@bp.post("/language")
def switch_language():
    """Remember the chosen language for this browser and go back to the page it came from."""
    from app.web.redirects import safe_next

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


def place_name(space) -> str:
    """A space's name as it reads inside a sentence in the current language: what staff wrote
    ("el Zócalo", "la Alameda"), else the language's own way round a bare name. Spanish needs
    an article before a place, and "el espacio «Zócalo»" is always right where "Zócalo" is not."""
    written = (space.name_in_sentence or {}).get(current_language())
    return written or pgettext("a space's name inside a sentence", "%(name)s", name=space.name)


def register(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "en")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", os.path.join(app.root_path, "translations"))
    babel.init_app(app, locale_selector=select_locale)
    text.install(lambda message: get_translations().ugettext(message))
    app.register_blueprint(bp)
    app.jinja_env.globals.update(languages=LANGUAGES, current_language=current_language,
                                 current_locale_tag=current_locale_tag, place_name=place_name,
                                 client_messages=client_messages)
    app.jinja_env.filters["number"] = format_decimal
    app.jinja_env.filters["percent"] = format_percent
