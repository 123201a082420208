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


def item(event: NoticeEvent, space: Space, user_id: int) -> dict:
    """One notice as the templates show it: a headline, the city's own words, a link.

    Called inside the recipient's language and a request context (app.mail.compose)."""
    payload = event.payload
    if event.kind == "announcement":
        return {"headline": payload.get("subject", ""), "quote": payload.get("body", ""),
                "url": url_for("spaces.show", slug=space.slug, _external=True)}
    url = url_for("ideas.show", slug=space.slug, idea_id=payload.get("kept_id", event.idea_id), _external=True)
    if event.kind == "merged":
        headline = _("“%(title)s” was merged into “%(kept)s”, which now carries its votes; you follow it now.",
                     title=payload["title"], kept=payload["kept_title"])
        return {"headline": headline, "quote": "", "url": url}
    status = label(payload["status"])
    if db.session.scalar(sa.select(Idea.author_id).where(Idea.id == event.idea_id)) == user_id:
        headline = _("Your idea “%(title)s” is now %(status)s.", title=payload["title"], status=status)
    else:
        headline = _("“%(title)s”, an idea you follow, is now %(status)s.", title=payload["title"], status=status)
    quote = answer_for(payload.get("response", ""), payload.get("response_language"),
                       payload.get("response_translation"), current_language())
    return {"headline": headline, "quote": quote, "url": url}


def notices_mail_values(user_id: int, events: list[tuple[NoticeEvent, Space]], digest: bool) -> dict:
    """The values of a notice or digest message (see app.mail.compose's `build`)."""
    items = [dict(item(event, space, user_id), space=space.name) for event, space in events]
    if not digest:
        subject = items[0]["headline"]
    else:
        subject = _("What happened to the ideas you follow")
    return {"subject": subject, "items": items, "digest": digest}
