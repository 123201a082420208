"""The audit log: one entry per staff action, with the state before and after, and how an
entry reads in the reader's language."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.ideas.display import status_label
from app.models import AuditEntry, Idea, LegalText, Space, User
from app.spaces.phases import PHASE_TRANSITIONS, phase_label


# The log shows actions and fields by their stored names (what the filter and the exports
# use); other languages get a readable name instead.
ACTION_LABELS = {
    # Translators: an audit log action (a staff member opened a new space).
    "space.create": _l("space.create"),
    # Translators: an audit log action (a staff member changed a space's settings).
    "space.update": _l("space.update"),
    # Translators: an audit log action (a staff member decided on an idea: adopted, declined...).
    "idea.decide": _l("idea.decide"),
    # Translators: an audit log action (a duplicate idea was merged into another).
    "idea.merge": _l("idea.merge"),
    # Translators: an audit log action (a merge of a duplicate idea was undone).
    "idea.unmerge": _l("idea.unmerge"),
    # Translators: an audit log action (a staff member published an idea).
    "idea.publish": _l("idea.publish"),
    # Translators: an audit log action (a staff member hid an idea).
    "idea.hide": _l("idea.hide"),
    # Translators: an audit log action (staff e-mailed everyone who took part in a space).
    "space.announce": _l("space.announce"),
    # Translators: an audit log action (staff changed the terms of use or the privacy notice).
    "legal.update": _l("legal.update"),
    # Translators: an audit log action (staff kept a reported idea and dismissed its reports).
    "idea.dismiss_flags": _l("idea.dismiss_flags"),
    # Translators: an audit log action (someone tried to verify with a roll entry or code another voter holds).
    "verification.refused": _l("verification.refused"),
    # Translators: an audit log action (staff imported a space's census roll on its page).
    "space.roll_import": _l("space.roll_import"),
}
FIELD_LABELS = {
    # Translators: a field name in the audit log: the idea's status.
    "status": _l("status"),
    # Translators: a field name in the audit log: the city's public answer on an idea.
    "staff_response": _l("staff_response"),
    # Translators: a field name in the audit log: the language the city's answer was written in.
    "staff_response_language": _l("staff_response_language"),
    # Translators: a field name in the audit log: the city's answer in the other language.
    "staff_response_translation": _l("staff_response_translation"),
    # Translators: a field name in the audit log: the idea this duplicate was merged into.
    "merged_into_id": _l("merged_into_id"),
    # Translators: a field name in the audit log: the number of a merge, for undoing it.
    "merge_id": _l("merge_id"),
    # Translators: a field name in the audit log: pairwise votes of a merged duplicate, no longer counted.
    "pairwise_set_aside": _l("pairwise_set_aside"),
    # Translators: a field name in the audit log: the reasons residents gave when reporting an idea.
    "flags": _l("flags"),
    # Translators: a field name in the audit log: how many pairwise votes a merge moved.
    "pairwise_moved": _l("pairwise_moved"),
    # Translators: a field name in the audit log: how many pairwise votes a merge removed.
    "pairwise_dropped": _l("pairwise_dropped"),
    # Translators: a field name in the audit log: how many quadratic ballots a merge changed.
    "ballots_changed": _l("ballots_changed"),
    # Translators: a field name in the audit log: the text of the terms of use or privacy notice.
    "body": _l("body"),
    # Translators: a field name in the audit log: the space's address (slug).
    "slug": _l("slug"),
    # Translators: a field name in the audit log: the space's name.
    "name": _l("name"),
    # Translators: a field name in the audit log: the space's description.
    "description": _l("description"),
    # Translators: a field name in the audit log: latitude of the map centre.
    "center_lat": _l("center_lat"),
    # Translators: a field name in the audit log: longitude of the map centre.
    "center_lng": _l("center_lng"),
    # Translators: a field name in the audit log: the map zoom level.
    "zoom": _l("zoom"),
    # Translators: a field name in the audit log: the space's outline on the map.
    "boundary": _l("boundary"),
    # Translators: a field name in the audit log: ideas, voting or closed.
    "phase": _l("phase"),
    # Translators: a field name in the audit log: the space's idea categories.
    "categories": _l("categories"),
    # Translators: a field name in the audit log: whether new ideas wait for moderation.
    "moderation": _l("moderation"),
    # Translators: a field name in the audit log: who may compare ideas (anyone, confirmed, verified).
    "pairwise_rule": _l("pairwise_rule"),
    # Translators: a field name in the audit log: who may cast a quadratic ballot.
    "qv_rule": _l("qv_rule"),
    # Translators: a field name in the audit log: how residents may verify (roll, code, on site).
    "verification_methods": _l("verification_methods"),
    # Translators: a field name in the audit log: whether a verified resident may vote with no account.
    "verified_without_account": _l("verified_without_account"),
    # Translators: a field name in the audit log: the roll's columns residents type to verify.
    "roll_fields": _l("roll_fields"),
    # Translators: a field name in the audit log: how many people an imported roll lists.
    "roll_listed": _l("roll_listed"),
    # Translators: a field name in the audit log: how many people an import added to the roll.
    "roll_added": _l("roll_added"),
    # Translators: a field name in the audit log: how many people an import took off the roll.
    "roll_unlisted": _l("roll_unlisted"),
    # Translators: a field name in the audit log: ideas still accepted while voting.
    "ideas_during_voting": _l("ideas_during_voting"),
    # Translators: a field name in the audit log: quadratic voting credits per voter.
    "qv_budget": _l("qv_budget"),
    # Translators: a field name in the audit log: whether quadratic votes against are allowed.
    "qv_negative": _l("qv_negative"),
    # Translators: a field name in the audit log: whether the results page is public.
    "show_results": _l("show_results"),
    # Translators: a field name in the audit log: pairwise, quadratic or both as the official result.
    "official_result": _l("official_result"),
    # Translators: a field name in the audit log: how the space's name reads inside a sentence, per language.
    "name_in_sentence": _l("name_in_sentence"),
    # Translators: a field name in the audit log: the places of the space residents can choose from.
    "landmarks": _l("landmarks"),
    # Translators: a field name in the audit log: whether ideas may have no spot in the space.
    "ideas_anywhere": _l("ideas_anywhere"),
    # Translators: a field name in the audit log: how many ideas the city expects to adopt (the top K).
    "focus_k": _l("focus_k"),
    # Translators: a field name in the audit log: the landmark an idea was placed at.
    "landmark": _l("landmark"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def field_label(field: str) -> str:
    return str(FIELD_LABELS.get(field, field))


def describe_target(entry: AuditEntry) -> str:
    """The target as "idea #12" or "space #3", in the reader's language."""
    if entry.target_type == "idea":
        return _("idea #%(id)s", id=entry.target_id)
    if entry.target_type == "legal_text":
        text = db.session.get(LegalText, entry.target_id)
        if text is None:
            return _("terms or privacy notice #%(id)s", id=entry.target_id)
        name = _("terms of use") if text.kind == "terms" else _("privacy notice")
        return f"{name} ({text.language})"
    return _("space #%(id)s", id=entry.target_id)


def describe_value(field: str, value: Any) -> str:
    """A stored value as the reader knows it: statuses, phases and yes/no in their language;
    texts, numbers and lists as they were saved."""
    if field == "status" and isinstance(value, str):
        return status_label(value)
    if field == "phase" and value in PHASE_TRANSITIONS:
        return phase_label(value).lower()
    if value is True:
        # Translators: a yes/no setting that is on, in the audit log.
        return _("True")
    if value is False:
        # Translators: a yes/no setting that is off, in the audit log.
        return _("False")
    if value is None:
        # Translators: an empty value in the audit log.
        return _("None")
    return str(value)


def changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict, dict]:
    """Only the fields that changed, so the log reads as before → after."""
    keys = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


TARGET_TYPES = {Idea: "idea", Space: "space", LegalText: "legal_text"}


def record(actor: User, action: str, target: Idea | Space | LegalText, before: dict | None,
           after: dict | None, space_id: int | None = None) -> AuditEntry:
    """One entry; `space_id` defaults to the target's space (none for site-wide texts)."""
    if before is not None and after is not None:
        before, after = changed(before, after)
    if space_id is None:
        space_id = target.id if isinstance(target, Space) else getattr(target, "space_id", None)
    entry = AuditEntry(
        actor_id=actor.id, actor_email=actor.email, action=action,
        target_type=TARGET_TYPES[type(target)], target_id=target.id, space_id=space_id,
        before=before, after=after,
    )
    db.session.add(entry)
    return entry


def entries(space_id: int | None = None, action: str | None = None,
            actor: str | None = None) -> sa.Select:
    query = sa.select(AuditEntry).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    if space_id:
        query = query.where(AuditEntry.space_id == space_id)
    if action:
        query = query.where(AuditEntry.action == action)
    if actor:
        query = query.where(AuditEntry.actor_email.contains(actor.strip().lower()))
    return query
