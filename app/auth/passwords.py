"""How strong a new password must be: long enough, and not guessable (zxcvbn).

zxcvbn estimates how many guesses a password takes from dictionaries of common passwords,
names and words, keyboard patterns, dates and repeats, and says why a password is weak in
English. Its sentences are listed here so they come out in the person's language too.
"""
from __future__ import annotations

from zxcvbn import zxcvbn

from app.text import N_, _

PASSWORD_MIN = 10
# zxcvbn's 0-4 scale; 3 is "safely unguessable: moderate protection from offline attacks".
MIN_SCORE = 3
# Only the first characters matter to the estimate; a 10,000-character paste costs seconds.
ESTIMATE_CHARS = 100

# Every sentence of zxcvbn's feedback (zxcvbn/feedback.py), as its gettext calls write them.
FEEDBACK = {
    message: message for message in (
        N_("Add another word or two. Uncommon words are better."),
        N_("Capitalization doesn't help very much."),
        N_("Reversed words aren't much harder to guess."),
        N_("Predictable substitutions like '@' instead of 'a' don't help very much."),
        N_("Use a few words, avoid common phrases."),
        N_("No need for symbols, digits, or uppercase letters."),
        N_("Straight rows of keys are easy to guess."),
        N_("Short keyboard patterns are easy to guess."),
        N_("This is a top-10 common password."),
        N_("This is similar to a commonly used password."),
        N_("A word by itself is easy to guess."),
        N_("All-uppercase is almost as easy to guess as all-lowercase."),
        N_("Use a longer keyboard pattern with more turns."),
        N_('Repeats like "aaa" are easy to guess.'),
        N_('Repeats like "abcabcabc" are only slightly harder to guess than "abc".'),
        N_("This is a top-100 common password."),
        N_("This is a very common password."),
        N_("Names and surnames by themselves are easy to guess."),
        N_("Common names and surnames are easy to guess."),
        N_("Avoid repeated words and characters."),
        N_('Sequences like "abc" or "6543" are easy to guess.'),
        N_("Avoid sequences."),
        N_("Recent years are easy to guess."),
        N_("Dates are often easy to guess."),
        N_("Avoid recent years."),
        N_("Avoid years that are associated with you."),
        N_("Avoid dates and years that are associated with you."),
    )
}


class WeakPassword(ValueError):
    """A password Plaza will not take; the message says why, in the person's language."""


def check_password_strength(password: str, *, known: tuple[str, ...] = ()) -> None:
    """Refuse short and guessable passwords; `known` are the person's own details (e-mail,
    name), which a password must not lean on."""
    if len(password) < PASSWORD_MIN:
        raise WeakPassword(_("Use at least %(min)s characters for the password.", min=PASSWORD_MIN))
    inputs = [part for value in known for part in _pieces(value)] + ["plaza"]
    estimate = zxcvbn(password[:ESTIMATE_CHARS], user_inputs=inputs)
    if estimate["score"] >= MIN_SCORE:
        return
    feedback = estimate["feedback"]
    reasons = [feedback["warning"]] if feedback["warning"] else []
    reasons += feedback["suggestions"][:1]
    why = " ".join(_(FEEDBACK.get(reason, reason)) for reason in reasons)
    raise WeakPassword(" ".join(filter(None, [_("This password is easy to guess."), why])))


def _pieces(value: str) -> list[str]:
    """An e-mail or a name in the words someone might build a password from."""
    value = value.strip().lower()
    return [value, *value.replace("@", " ").replace(".", " ").split()]
