"""Public pages: the list of spaces and each space with its ideas."""
from flask import Blueprint

bp = Blueprint("spaces", __name__)
