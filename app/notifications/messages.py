"""How each kind of notice reads, alone and in a digest, in the recipient's language."""
from __future__ import annotations

import sqlalchemy as sa
from flask import url_for

from app.extensions import db
from app.i18n import current_language
from app.ideas.answers import answer_for
from app.ideas.transitions import label
from app.mail import Recipient
from app.models import Idea, NoticeEvent, Space, User
from app.text import _


def recipient(user: User) -> Recipient:
    return Recipient(user.id, user.email, user.display_name, user.language)


def authors_of(events: list[NoticeEvent]) -> dict[int, int | None]:
    """The author of each event's idea, read once for a whole batch of messages."""
    ids = {e.idea_id for e in events if e.idea_id is not None}
    if not ids:
        return {}
    return dict(db.session.execute(sa.select(Idea.id, Idea.author_id).where(Idea.id.in_(ids))).all())


def item(event: NoticeEvent, space: Space, user_id: int, authors: dict[int, int | None]) -> dict:
    """One notice as the templates show it: a headline, the city's own words, a link.

    Called inside the recipient's language and a request context (app.mail.compose);
    `authors` comes from authors_of()."""
    payload = event.payload
    if event.kind == "announcement":
        return {"headline": payload.get("subject", ""), "quote": payload.get("body", ""),
                "url": url_for("spaces.show", slug=space.slug, _external=True)}
    url = url_for("ideas.show", slug=space.slug, idea_id=payload.get("kept_id", event.idea_id), _external=True)
    if event.kind == "merged":
        headline = _("“%(title)s” was merged into “%(kept)s”, which now carries its voice credits; you follow it now.",
                     title=payload["title"], kept=payload["kept_title"])
        return {"headline": headline, "quote": "", "url": url}
    status = label(payload["status"])
    if authors.get(event.idea_id) == user_id:
        headline = _("Your idea “%(title)s” is now %(status)s.", title=payload["title"], status=status)
    else:
        headline = _("“%(title)s”, an idea you follow, is now %(status)s.", title=payload["title"], status=status)
    quote = answer_for(payload.get("response", ""), payload.get("response_language"),
                       payload.get("response_translation"), current_language())
    return {"headline": headline, "quote": quote, "url": url}


def notices_mail_values(user_id: int, events: list[tuple[NoticeEvent, Space]], digest: bool,
                        authors: dict[int, int | None] | None = None) -> dict:
    """The values of a notice or digest message (see app.mail.compose's `build`)."""
    if authors is None:
        authors = authors_of([event for event, _space in events])
    items = [dict(item(event, space, user_id, authors), space=space.name) for event, space in events]
    if not digest:
        subject = items[0]["headline"]
    else:
        subject = _("What happened to the ideas you follow")
    return {"subject": subject, "items": items, "digest": digest}
