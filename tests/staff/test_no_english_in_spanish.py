"""Every page in Spanish, read for English: any run of the app's English source text (three
words or more) found on a Spanish page is a string that was never put through the catalog,
or a translation that was left in English."""
from __future__ import annotations

import html
import re
from functools import cache

import pytest

from app.catalogs import read_catalog
from tests.staff.test_staff_access import GET_URLS

SPANISH = {"Accept-Language": "es-MX,es;q=0.9"}
PUBLIC_URLS = [
    "/", "/spaces/zocalo", "/spaces/zocalo/ideas/{idea}", "/spaces/zocalo/vote", "/spaces/zocalo/qv",
    "/spaces/zocalo/results", "/spaces/zocalo/ideas/new", "/terms", "/privacy", "/auth/login",
    "/auth/register", "/auth/forgot", "/sessions/join", "/sessions/kiosk", "/account/", "/spaces/no-such-place",
]
FACILITATOR_URLS = ["/sessions/", "/sessions/new", "/sessions/kiosk"]
URLS = {None: PUBLIC_URLS, "facilitator": FACILITATOR_URLS, "staff": GET_URLS}
PLACEHOLDER = re.compile(r"%\(\w+\)s|%%|\{\{.*?\}\}|<[^>]+>|&\w+;")
WORD = re.compile(r"[A-Za-z']+")


@cache
def english_phrases() -> frozenset[str]:
    """The literal stretches of every translated message that Spanish says differently."""
    phrases = set()
    for message in read_catalog("es"):
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for english in ids:
            for part in PLACEHOLDER.split(english):
                part = part.strip(" .,:;!?()—–-“”\"'")
                if len(WORD.findall(part)) >= 3 and not any(part in s for s in strings):
                    phrases.add(part)
    return frozenset(phrases)


def visible_text(page: str) -> str:
    """What a reader sees or hears: text and the attributes a screen reader speaks, without scripts."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    spoken = " ".join(m.group(2) for m in re.finditer(r'\b(title|aria-label|placeholder|alt|value)="([^"]*)"', page))
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page) + " " + spoken))


@pytest.mark.parametrize("role", sorted(URLS, key=str))
def test_no_english_on_spanish_pages(client, make_user, login, staff_urls, role):
    if role:
        login(make_user(role=role))
    found = {}
    for template in URLS[role]:
        path = staff_urls(template)
        if "/export/" in path:
            continue
        response = client.get(path, headers=SPANISH, follow_redirects=True)
        assert response.status_code in (200, 404), (path, response.status_code)
        text = visible_text(response.get_data(as_text=True))
        english = sorted(p for p in english_phrases() if p in text)
        if english:
            found[path] = english
    assert found == {}


def test_the_check_finds_english():
    """Guards the guard: a page with an untranslated sentence, text or spoken label, must fail it."""
    assert any(p in visible_text("<p>Write the text; readers would otherwise accept an empty page.</p>")
               for p in english_phrases())
    assert any(p in visible_text('<button aria-label="Keep the text under 100 characters.">x</button>')
               for p in english_phrases())
