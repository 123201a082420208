"""Plaza's tables, one module per area; importing this package registers them all."""
from app.models import facilitation  # noqa: F401  (tables of facilitated sessions)
from app.models.audit import AuditEntry
from app.models.eligibility import METHODS, RULES, RollEntry, RollUpload, Verification, VerificationCode
from app.models.idea import IDEA_STATUSES, Idea
from app.models.legal import LEGAL_KINDS, LegalText
from app.models.merges import IdeaMerge
from app.models.moderation import Flag
from app.models.notices import Follow, Notice, NoticeEvent
from app.models.photo import IdeaPhoto
from app.models.space import DEFAULT_CATEGORIES, PHASES, Space
from app.models.stored_fit import StoredFit
from app.models.stored_standings import StoredStandings
from app.models.user import ROLES, ExternalIdentity, LoginSession, User
from app.models.voting import (
    PAIRWISE_CHOICES,
    SKIP_REASONS,
    PairwiseVote,
    QVAllocation,
    QVBallot,
    Voter,
)
from app.models import versions  # noqa: F401,E402  (the data-version flush event)

__all__ = [
    "AuditEntry",
    "DEFAULT_CATEGORIES",
    "IDEA_STATUSES",
    "PAIRWISE_CHOICES",
    "PHASES",
    "ROLES",
    "SKIP_REASONS",
    "Flag",
    "Follow",
    "IdeaMerge",
    "Notice",
    "NoticeEvent",
    "Idea",
    "IdeaPhoto",
    "LEGAL_KINDS",
    "LegalText",
    "LoginSession",
    "PairwiseVote",
    "QVAllocation",
    "QVBallot",
    "Space",
    "StoredFit",
    "StoredStandings",
    "User",
    "Voter",
    "ExternalIdentity",
    "METHODS",
    "RULES",
    "RollEntry",
    "RollUpload",
    "Verification",
    "VerificationCode",
]
