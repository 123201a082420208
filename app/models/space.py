"""A public space open for ideas, with its map and voting settings."""
from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.columns import choice_type, utcnow
from app.models.eligibility import METHODS, RULES

PHASES = ("ideas", "voting", "closed")
OFFICIAL_RESULTS = ("pairwise", "quadratic", "both")
DEFAULT_CATEGORIES = (
    "greenery",
    "seating & shade",
    "lighting",
    "play",
    "accessibility",
    "culture & events",
    "safety",
    "cleanliness",
    "other",
)


def default_categories() -> list[str]:
    return list(DEFAULT_CATEGORIES)


#: The largest "focus on the top K" staff may set: a city adopts tens of ideas, not thousands.
MAX_FOCUS_K = 100


class Space(db.Model):
    __tablename__ = "spaces"
    __table_args__ = (
        sa.CheckConstraint("zoom BETWEEN 1 AND 20", name="zoom_range"),
        sa.CheckConstraint("center_lat BETWEEN -90 AND 90", name="center_lat_range"),
        sa.CheckConstraint("center_lng BETWEEN -180 AND 180", name="center_lng_range"),
        sa.CheckConstraint("qv_budget > 0", name="qv_budget_positive"),
        sa.CheckConstraint(f"focus_k BETWEEN 1 AND {MAX_FOCUS_K}", name="focus_k_range"),
        sa.CheckConstraint("length(slug) >= 1", name="slug_not_empty"),
        sa.CheckConstraint("length(name) >= 1", name="name_not_empty"),
        sa.CheckConstraint("qv_rule <> 'anyone'", name="qv_needs_a_person"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    center_lat: Mapped[float] = mapped_column(sa.Float)
    center_lng: Mapped[float] = mapped_column(sa.Float)
    zoom: Mapped[int] = mapped_column(default=17)
    boundary: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    phase: Mapped[str] = mapped_column(choice_type(PHASES, "space_phase"), default="ideas")
    categories: Mapped[list[str]] = mapped_column(sa.JSON, default=default_categories)
    #: How the name reads inside a sentence, per language ("es": "el Zócalo"), set by staff;
    #: a language without one reads "the space «name»" in its own words (app/i18n.py place_name).
    name_in_sentence: Mapped[dict[str, str]] = mapped_column(sa.JSON, default=dict, server_default="{}")
    #: Places staff name, [{"name", "lat", "lng"}], for saying where an idea belongs without
    #: the map (app/spaces/landmarks.py).
    landmarks: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list, server_default="[]")
    #: Whether an idea may say "somewhere in the space" instead of a spot (it then has none).
    ideas_anywhere: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # New spaces hold ideas for review: a junk idea published at once floods the pairs
    # before anyone has seen it (issue 17). Spaces made before keep what they had.
    moderation: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    #: Who may compare ideas and who may cast a quadratic ballot (app/eligibility/rules.py).
    pairwise_rule: Mapped[str] = mapped_column(choice_type(RULES, "pairwise_rule"), default="anyone",
                                               server_default="anyone")
    qv_rule: Mapped[str] = mapped_column(choice_type(RULES, "qv_rule"), default="confirmed",
                                         server_default="confirmed")
    #: How a resident may verify here: a subset of METHODS.
    verification_methods: Mapped[list[str]] = mapped_column(
        sa.JSON, default=lambda: list(METHODS), server_default='["roll", "code"]')
    #: Whether a person verified by roll or code may vote with no account (their identity
    #: rides in the signed cookie, and the same code brings it back in another browser).
    verified_without_account: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    #: The names of the roll's identifying values, in the order a resident types them.
    roll_fields: Mapped[list[str]] = mapped_column(sa.JSON, default=list, server_default="[]")
    ideas_during_voting: Mapped[bool] = mapped_column(default=True)
    qv_budget: Mapped[int] = mapped_column(default=100)
    qv_negative: Mapped[bool] = mapped_column(default=False)
    show_results: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    #: How many ideas the city expects to adopt: pair choice spends a share of its votes on
    #: the boundary of this top K, and the results say how sure it is (issue 19).
    focus_k: Mapped[int] = mapped_column(default=10, server_default="10")
    # Which ranking is the space's result: "pairwise", "quadratic" or "both" side by side.
    official_result: Mapped[str] = mapped_column(
        choice_type(OFFICIAL_RESULTS, "space_official_result"), default="both",
        server_default="both")
    # Bumped in the transaction of any change to the space's ideas or removal of its votes
    # (app/models/versions.py): caches of the map, similar ideas and fits key on it. A
    # counter in the database, unlike max(updated_at), cannot be frozen by a machine whose
    # clock runs ahead.
    data_version: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    ideas = relationship("Idea", back_populates="space", lazy="raise_on_sql")

    def counts_method(self, method: str) -> bool:
        """Whether the `method` ranking ("pairwise" or "quadratic") is the official result."""
        return self.official_result in (method, "both")

    @property
    def accepts_ideas(self) -> bool:
        """Like a wiki survey, voting still takes new ideas unless the space turns that off."""
        return self.phase == "ideas" or (self.phase == "voting" and self.ideas_during_voting)

    @property
    def accepts_votes(self) -> bool:
        return self.phase == "voting"

    @staticmethod
    def by_slug(slug: str) -> sa.Select:
        return sa.select(Space).where(Space.slug == slug)

    def __repr__(self) -> str:
        return f"<Space {self.slug} {self.phase}>"
