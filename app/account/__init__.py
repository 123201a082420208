"""My Plaza: a person's own ideas, follows, ballots and account settings."""
from flask import Blueprint

bp = Blueprint("account", __name__)
