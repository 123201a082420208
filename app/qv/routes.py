"""Pages of quadratic voting."""
from app.qv import bp  # noqa: F401
