"""Pairwise voting: "which of these two is better?", pair tokens, votes, undo and refits."""
from flask import Blueprint

bp = Blueprint("pairwise", __name__)
