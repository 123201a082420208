"""Which terms of use and privacy notice a reader sees, and staff changing them.

Until the city writes its own, Plaza shows a default that says truthfully what Plaza itself
stores and publishes, so sign-up never asks anyone to accept an empty page. A text the city
wrote in only one language is shown to every reader: its own words bind, not a translation.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from app.core import events
from app.core.errors import Invalid, NotFound
from app.extensions import db
from app.legal.events import LegalTextChanged
from app.models import LEGAL_KINDS, LegalText
from app.models.columns import utcnow
from app.models.user import LANGUAGES
from app.text import _
from app.upserts import dialect_insert

MAX_LENGTH = 50_000


@dataclass(frozen=True)
class Shown:
    """The text a reader gets: `language` is the one it is written in."""

    kind: str
    body: str
    language: str | None  # None for Plaza's default, which follows the reader's language
    updated_at: datetime | None

    @property
    def is_default(self) -> bool:
        return self.updated_at is None


def title(kind: str) -> str:
    return _("Terms of use") if kind == "terms" else _("Privacy notice")


def default_text(kind: str) -> str:
    """Plaza's own text, in the language of the current request."""
    if kind == "terms":
        return "\n\n".join((
            _("Plaza is where the city asks residents for ideas about its public spaces and how to rank them. "
              "By creating an account you agree to take part under these terms."),
            _("What you post is public. Ideas, photos and comments appear with the name you chose to show. "
              "Post only what you have the right to share; the city may use the ideas to plan its public spaces."),
            _("Be respectful. No personal attacks, hate, advertising, or other people's personal details. "
              "Moderators may hide what breaks these rules, and the reason is shown in its place."),
            _("One person, one voice. Do not vote with more than one account or on someone else's behalf. "
              "Votes cast against this rule may be set aside."),
            _("Voting advises the city. The city publishes its answer on each idea it decides on."),
        ))
    return "\n\n".join((
        _("What Plaza keeps: your e-mail address, the name you show, and a hash of your password "
          "(never the password itself); the ideas you propose, your votes and ballots, and the ideas you follow."),
        _("What is public: your ideas and comments, with the name you show. "
          "Votes are never published one by one, only as totals and rankings."),
        _("To stop abuse, the network address of each request is used to limit how often it can be repeated, "
          "and forgotten within a day."),
        _("E-mail: Plaza writes to confirm your address, to reset your password, and about the ideas you follow "
          "as often as you choose in My Plaza. Every such message has a link to stop them."),
        _("Your choices: in My Plaza you can change your name, address and e-mail settings, or delete your account. "
          "Deleting removes your name and address; your votes and ideas stay without your name, so counts do not change."),
    ))


def _check(kind: str, language: str) -> None:
    if kind not in LEGAL_KINDS or language not in LANGUAGES:
        raise NotFound(_("There is no such page."))


def stored(kind: str, language: str) -> LegalText | None:
    _check(kind, language)
    return db.session.scalar(sa.select(LegalText).where(LegalText.kind == kind, LegalText.language == language))


def shown(kind: str, language: str) -> Shown:
    """The city's text in `language`, else the city's text in another language, else the default."""
    _check(kind, language)
    texts = {t.language: t for t in db.session.scalars(sa.select(LegalText).where(LegalText.kind == kind))}
    text = texts.get(language) or next((texts[lang] for lang in LANGUAGES if lang in texts), None)
    if text is None:
        return Shown(kind, default_text(kind), None, None)
    return Shown(kind, text.body, text.language, text.updated_at)


def save_text(kind: str, language: str, body: str, actor_id: int) -> LegalText:
    """Store the city's text for `kind` in `language`; the audit log keeps the previous one."""
    _check(kind, language)
    body = body.replace("\r\n", "\n").strip()
    if not body:
        message = _("Write the text; readers would otherwise accept an empty page.")
        raise Invalid(message, {"body": message})
    if len(body) > MAX_LENGTH:
        message = _("Keep the text under %(max)s characters.", max=MAX_LENGTH)
        raise Invalid(message, {"body": message})
    text = _locked(kind, language)
    if text is None:
        # RETURNING, not rowcount: an ORM-enabled INSERT reports rowcount -1 on psycopg 3,
        # which read as "inserted" for both of two staff members publishing at once.
        inserted_id = db.session.scalar(
            dialect_insert(LegalText)
            .values(kind=kind, language=language, body=body, updated_at=utcnow(), updated_by_id=actor_id)
            .on_conflict_do_nothing(index_elements=["kind", "language"])
            .returning(LegalText.id))
        text = _locked(kind, language)
        if inserted_id is not None:
            events.record(db.session, LegalTextChanged(text.id, actor_id, None, body))
            return text
    before = text.body  # another staff member's first version, if both published at once
    if before == body:
        return text
    text.body, text.updated_at, text.updated_by_id = body, utcnow(), actor_id
    db.session.flush()
    events.record(db.session, LegalTextChanged(text.id, actor_id, before, body))
    return text


def _locked(kind: str, language: str) -> LegalText | None:
    """The stored text, locked until the commit so two saves cannot lose one of their edits
    from the audit log; populate_existing so the row read under the lock is the stored one."""
    return db.session.scalar(sa.select(LegalText).where(LegalText.kind == kind, LegalText.language == language)
                             .with_for_update().execution_options(populate_existing=True))
