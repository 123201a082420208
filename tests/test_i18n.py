"""Spanish and English: the catalog is complete and compiled, the language is chosen as
promised, scripts get their strings, and domain messages translate where they are raised."""
from __future__ import annotations

import os
from contextlib import contextmanager

import flask_babel
import pytest
from babel.messages.mofile import read_mo

from app import text
from app.catalogs import extract_messages, po_path, read_catalog, untranslated
from app.i18n import client_messages, script_messages
from tests.conftest import csrf_token

SPANISH = {"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"}


@contextmanager
def request_in(app, headers=None):
    """A request context whose language is chosen afresh: the test's app context (and so its
    `g`, where Flask-Babel keeps the locale) outlives each request context."""
    with app.test_request_context("/", headers=headers or {}):
        flask_babel.refresh()
        yield


@pytest.fixture(scope="module")
def source_messages():
    return extract_messages()


def test_every_message_has_spanish_text_with_the_same_parameters(source_messages):
    problems = untranslated(source_messages, read_catalog("es"))
    assert not problems, "\n".join(f"{p.why}: {p.message!r}" for p in problems[:40])


def test_the_extraction_finds_pages_forms_errors_and_scripts(source_messages):
    files = {os.path.dirname(loc[0]) for message in source_messages for loc in message.locations}
    for where in ("app/templates", "app/static/js", "app/ideas", "app/qv", "app/sessions", "app/staff"):
        assert any(f.startswith(where) for f in files), where


def test_the_compiled_catalog_matches_the_po_file():
    """Flask-Babel reads the .mo: a .po edited without `flask translations update` would not show."""
    with open(po_path("es")[:-3] + ".mo", "rb") as fh:
        compiled = {_key(m.id): _key(m.string) for m in read_mo(fh) if m.id}
    written = {_key(m.id): _key(m.string) for m in read_catalog("es") if m.id and m.string and not m.fuzzy}
    assert compiled == written


def _key(value):
    return tuple(value) if isinstance(value, list) else value


def test_check_command_passes(runner):
    result = runner.invoke(args=["translations", "check"])
    assert result.exit_code == 0, result.output
    assert "es: 0 message(s) need work." in result.output


def test_untranslated_reports_a_missing_or_mangled_translation(source_messages):
    catalog = read_catalog("es")
    plain = next(m for m in source_messages if isinstance(m.id, str) and "%(" in m.id)
    catalog.get(plain.id).string = "sin parámetros"
    other = next(m for m in source_messages if isinstance(m.id, str) and m.id and m.id != plain.id)
    catalog.delete(other.id)
    found = {p.message: p.why for p in untranslated(source_messages, catalog)}
    assert found[other.id] == "no translation"
    assert found[plain.id].startswith("parameters")


def test_accept_language_picks_spanish_and_english_stays_the_default(client):
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)
    page = client.get("/", headers=SPANISH).get_data(as_text=True)
    assert '<html lang="es">' in page


def test_the_switch_keeps_the_choice_over_the_browser_language(client):
    token = csrf_token(client)
    response = client.post("/language", data={"lang": "es", "next": "/sessions/join", "csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/sessions/join"
    assert '<html lang="es">' in client.get("/").get_data(as_text=True)
    client.post("/language", data={"lang": "en", "csrf_token": token})
    assert '<html lang="en">' in client.get("/", headers=SPANISH).get_data(as_text=True)


@pytest.mark.parametrize("lang", ["fr", "", "es\x00"])
def test_the_switch_refuses_other_languages(client, lang):
    response = client.post("/language", data={"lang": lang, "csrf_token": csrf_token(client)})
    assert response.status_code == 400
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil"])
def test_the_switch_never_leaves_the_site(client, target):
    response = client.post("/language", data={"lang": "es", "next": target, "csrf_token": csrf_token(client)})
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_the_switch_needs_its_csrf_token(client):
    assert client.post("/language", data={"lang": "es"}).status_code == 400


def test_scripts_get_their_strings_in_spanish_only(app):
    messages = script_messages()
    assert messages, "no _() or ngettext() calls found in app/static/js"
    with request_in(app, {"Accept-Language": "en"}):
        assert client_messages() == {}
    with request_in(app, SPANISH):
        catalog = client_messages()
    assert len(catalog) >= len(messages) * 0.9
    plural = next((m for m in messages if isinstance(m, tuple)), None)
    if plural:
        assert isinstance(catalog[plural[0]], list) and len(catalog[plural[0]]) == 2


def test_domain_messages_translate_in_the_request_language(app):
    marked = next(m.id for m in extract_messages() if any(loc[0] == "app/qv/budget.py" for loc in m.locations)
                  and isinstance(m.id, str) and "%(" not in m.id)
    assert text._(marked) == marked  # no request: the source text
    with request_in(app, SPANISH):
        assert text._(marked) != marked
    with request_in(app):
        assert text._(marked) == marked


def test_dates_and_numbers_follow_the_language(app):
    from datetime import datetime, timezone

    from flask_babel import format_date, format_decimal

    day = datetime(2026, 12, 1, 12, tzinfo=timezone.utc)
    with request_in(app, SPANISH):
        assert format_decimal(1234.5) == "1,234.5"  # Mexico groups like English
        assert "dic" in format_date(day, "medium")
    with request_in(app):
        assert format_decimal(1234.5) == "1,234.5"
        assert "Dec" in format_date(day, "medium")


@pytest.mark.parametrize("accept, default, number, tag", [
    ("es-MX,es;q=0.9", "en", "1,234.5", "es-MX"),
    ("es-ES,es;q=0.9", "en", "1.234,5", "es-ES"),
    ("es", "en", "1.234,5", "es"),              # no region: Spanish's own
    ("es", "es_MX", "1,234.5", "es-MX"),        # the city's region, from PLAZA_DEFAULT_LANGUAGE
    ("en-GB,en;q=0.8", "es_MX", "1,234.5", "en-GB"),
    ("fr-FR", "es_MX", "1,234.5", "es-MX"),     # neither language: the city's
    ("es-XX", "en", "1.234,5", "es"),           # a region Babel does not know
])
def test_numbers_follow_the_region_with_one_catalog(app, client, accept, default, number, tag):
    from flask_babel import format_decimal

    app.config["BABEL_DEFAULT_LOCALE"] = default
    with request_in(app, {"Accept-Language": accept}):
        assert format_decimal(1234.5) == number
    html = client.get("/", headers={"Accept-Language": accept}).get_data(as_text=True)
    language = tag.split("-")[0]
    assert f'<html lang="{language}">' in html  # the language alone; the catalog is per language
    assert f'<meta name="plaza-locale" content="{tag}">' in html
    assert ("Ideas para los lugares que compartimos" in html) == (language == "es")


def test_the_switch_keeps_the_browser_region_only_for_its_own_language(client):
    from tests.conftest import csrf_token

    client.post("/language", data={"lang": "es", "csrf_token": csrf_token(client)})
    html = client.get("/", headers={"Accept-Language": "en-US,es-AR;q=0.5"}).get_data(as_text=True)
    assert '<html lang="es">' in html and '<meta name="plaza-locale" content="es-AR">' in html


def test_spanish_sentences_name_a_space_with_its_article_or_its_noun():
    """A place name needs an article in Spanish ("mejoraría más el Zócalo"), and only staff know
    it: the questions residents read take `place_name(space)` ("el Zócalo", or "el espacio
    «Zócalo»" until staff write one), so their Spanish puts it where an article fits and never
    after "de" or "a" (which would need "del", "al"). Other sentences say "el espacio «…»";
    titles ("Votar · Zócalo") and the "Espacio:" label are left as they are."""
    import glob
    import re

    from babel.messages.pofile import read_po
    with open("app/translations/es/LC_MESSAGES/messages.po", "rb") as fh:
        catalog = read_po(fh)
    call = re.compile(r"""_\("([^"]+)", space=place_name\(space\)\)|_\('([^']+)', space=place_name\(space\)\)""")
    block = re.compile(r"\{% trans trimmed [^%]*name=place_name\(space\) %\}(.+?)\{% endtrans %\}", re.S)
    phrased = set()
    for path in glob.glob("app/templates/**/*.html", recursive=True):
        with open(path, encoding="utf-8") as fh:
            source = fh.read()
        phrased |= {m.group(1) or m.group(2) for m in call.finditer(source)}
        phrased |= {" ".join(re.sub(r"\{\{ (\w+)[^}]*\}\}", r"%(\1)s", m.group(1)).split())
                    for m in block.finditer(source)}
    assert len(phrased) >= 8
    for message_id in phrased:
        found = catalog.get(message_id)
        assert found is not None, message_id
        spanish = found.string
        assert re.search(r"(?<!«)%\((space|name)\)s(?!»)", spanish), message_id
        assert not re.search(r"\b(de|a) %\((space|name)\)s", spanish), message_id
    sentences = [m for m in catalog if isinstance(m.id, str) and "%(space)s" in m.id and m.id not in phrased
                 and "·" not in m.id and "</strong> %(space)s" not in m.id]
    assert len(sentences) > 10
    assert [m.id for m in sentences if "«%(space)s»" not in m.string] == []
