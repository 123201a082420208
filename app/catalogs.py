"""The Spanish catalog: extract every message from the code, keep the translations, compile.

`flask --app wsgi translations update` runs `update_catalog`; the tests run `extract_messages`
and `untranslated` to prove that every message on a page, in a form, an error or a script has
its Spanish text. English is the source language and has no catalog.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

APP_DIR = os.path.dirname(__file__)
TRANSLATIONS_DIR = os.path.join(APP_DIR, "translations")
LANGUAGES_TRANSLATED = ("es",)
# Paths relative to app/: Python (flask_babel's _ and _l, app.text's _ and N_), the Jinja
# templates and the browser scripts (i18n.js's _ and ngettext).
METHOD_MAP = [
    ("**/translations/**", "ignore"),
    ("templates/**.html", "jinja2"),
    ("templates/**.txt", "jinja2"),  # the plain-text halves of e-mails
    ("static/js/**.js", "javascript"),
    ("**.py", "python"),
]
# Flask-Babel renders templates with new-style gettext: a {% trans %} block's "%" stays "%%".
OPTIONS = {"templates/**.html": {"newstyle_gettext": "true"}, "templates/**.txt": {"newstyle_gettext": "true"}}
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "lazy_ngettext": (1, 2)}


@dataclass(frozen=True)
class Problem:
    message: str
    why: str


def po_path(language: str) -> str:
    return os.path.join(TRANSLATIONS_DIR, language, "LC_MESSAGES", "messages.po")


def extract_messages() -> Catalog:
    """Every translatable message in app/, with the files that use it."""
    catalog = Catalog(project="Plaza", msgid_bugs_address="", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
            APP_DIR, METHOD_MAP, options_map=OPTIONS, keywords=KEYWORDS, comment_tags=("Translators:",), strip_comment_tags=True):
        catalog.add(message, None, [(os.path.join("app", filename), lineno)],
                    auto_comments=comments, context=context)
    return catalog


def read_catalog(language: str) -> Catalog:
    path = po_path(language)
    if not os.path.exists(path):
        return Catalog(locale=language)
    with open(path, "rb") as fh:
        return read_po(fh, locale=language)


def merged(template: Catalog, old: Catalog, extra: dict[str, str | list[str]] | None = None) -> Catalog:
    """The template's messages with the old catalog's translations (or `extra`'s) kept;
    messages no longer in the code are dropped."""
    new = Catalog(locale=old.locale, project="Plaza", version="1", charset="utf-8",
                  creation_date=old.creation_date, revision_date=old.revision_date)
    new.header_comment = "# Spanish translations of Plaza.\n#"
    new.fuzzy = False
    # CLDR gives Spanish a third plural form for millions; the scripts and the catalog use
    # the two that gettext has always used for Spanish and English.
    new._num_plurals, new._plural_expr = 2, "(n != 1)"
    for message in template:
        if not message.id:
            continue
        kept = old.get(message.id, context=message.context)
        string = kept.string if kept is not None and not kept.fuzzy else None
        if isinstance(message.id, str) != isinstance(string, str) and string is not None:
            string = None  # became (or stopped being) a plural: translate its forms anew
        key = message.id if isinstance(message.id, str) else message.id[0]
        if not _translated(string) and extra and key in extra:
            string = extra[key] if isinstance(message.id, str) else tuple(extra[key])
        new.add(message.id, string, message.locations, auto_comments=message.auto_comments,
                context=message.context)
    return new


def _translated(string) -> bool:
    if isinstance(string, (tuple, list)):
        return bool(string) and all(string)
    return bool(string)


def untranslated(template: Catalog, catalog: Catalog) -> list[Problem]:
    """Messages with no Spanish text, or whose parameters differ from the source's."""
    problems = []
    for message in template:
        if not message.id:
            continue
        found = catalog.get(message.id, context=message.context)
        label = message.id if isinstance(message.id, str) else message.id[0]
        if found is None or found.fuzzy or not _translated(found.string):
            problems.append(Problem(label, "no translation"))
            continue
        wanted = set(_parameters(message.id))
        strings = found.string if isinstance(found.string, (tuple, list)) else [found.string]
        for string in strings:
            got = set(_parameters(string))
            # A plural's singular may say "one" instead of %(num)s.
            if got != wanted and got | {"num"} != wanted | {"num"}:
                problems.append(Problem(label, f"parameters {sorted(got)} instead of {sorted(wanted)}"))
    return problems


def _parameters(text) -> list[str]:
    joined = " ".join(text) if isinstance(text, (tuple, list)) else text
    return re.findall(r"%\((\w+)\)s", joined) + re.findall(r"\{(\w+)\}", joined)


def write_catalog(catalog: Catalog, language: str) -> None:
    """The .po for translators and the .mo that Flask-Babel reads, side by side."""
    path = po_path(language)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as fh:
        write_po(fh, catalog, width=100, sort_output=True, include_previous=False, omit_header=False)
    with open(path[:-3] + ".mo", "wb") as fh:
        write_mo(fh, catalog)


def update_catalog(language: str, extra: dict[str, str | list[str]] | None = None) -> list[Problem]:
    """Bring the language's catalog up to date with the code; what is still missing."""
    template = extract_messages()
    catalog = merged(template, read_catalog(language), extra)
    write_catalog(catalog, language)
    return untranslated(template, catalog)
