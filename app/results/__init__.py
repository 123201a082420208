"""Results: both rankings of a space in one row format, and the page that explains them."""
from flask import Blueprint

bp = Blueprint("results", __name__)
