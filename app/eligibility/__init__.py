"""Who may vote in a space, and how a resident proves they are one (issue 15).

The blueprint holds the verification page; the JSON API is in app/api/eligibility.py.
"""
from flask import Blueprint, current_app

from app.eligibility.hashing import Hasher

bp = Blueprint("eligibility", __name__)


def hasher() -> Hasher:
    """This deployment's keyed hashes, from SECRET_KEY."""
    return Hasher.of(current_app.config["SECRET_KEY"])
