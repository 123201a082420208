"""Pairwise voting: "which of these two is better?", and the ranking it produces."""
from flask import Blueprint

bp = Blueprint("voting", __name__)
