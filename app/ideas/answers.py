"""The city's answer to an idea in the reader's language: staff write it in the language they
work in, with an optional version in the other one (English/Spanish)."""
from __future__ import annotations

LANGUAGES = ("en", "es")


def other_language(language: str) -> str:
    """The language the second version is written in, for staff working in `language`."""
    return "es" if language == "en" else "en"


def answer_for(original: str | None, original_language: str | None, translation: str | None,
               reader_language: str) -> str | None:
    """The translation for a reader of its language when there is one, else the original."""
    if translation and original_language and reader_language != original_language:
        return translation
    return original
