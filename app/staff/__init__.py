"""The staff workspace: spaces, rankings side by side, decisions, moderation, audit, exports."""
from flask import Blueprint

bp = Blueprint("staff", __name__)
