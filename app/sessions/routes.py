"""Pages of facilitated sessions."""
from app.sessions import bp  # noqa: F401
