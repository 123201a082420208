"""The two rankings of a space in one row format, for the API and the results pages."""
from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.models import Idea, Space
from app.urls import idea_url
from app.voting.refits import refitter

METHODS = ("pairwise", "quadratic")


def pairwise_rows(space: Space) -> tuple[list[dict], dict]:
    """Rows best first from a fit that includes every stored vote."""
    standings = refitter().fresh(space.id)
    s = standings.summary
    rows = [
        {"id": int(standings.idea_ids[p]), "score": round(float(s.score[p]), 2),
         "ci_low": round(float(s.ci_low[p]), 2), "ci_high": round(float(s.ci_high[p]), 2),
         "wins": int(s.wins[p]), "losses": int(s.losses[p]), "ties": int(s.ties[p]),
         "appearances": int(s.appearances[p])}
        for p in s.order()
    ]
    totals = {"votes": standings.votes, "voters": standings.voters,
              "fitted_at": standings.fitted_at.isoformat()}
    return rows, totals


def quadratic_rows(space: Space) -> tuple[list[dict], dict]:
    from app.qv.standings import quadratic_standings

    return quadratic_standings(space)


def ranking(space: Space, method: str) -> dict:
    """{"method", "space", "ideas": [rows with rank, title, url, ...], "totals"}."""
    rows, totals = (pairwise_rows if method == "pairwise" else quadratic_rows)(space)
    ideas = {i.id: i for i in db.session.scalars(
        sa.select(Idea).where(Idea.id.in_([r["id"] for r in rows])))}
    for rank, row in enumerate(rows, start=1):
        idea = ideas[row["id"]]
        row.update(rank=rank, title=idea.title, category=idea.category, status=idea.status,
                   url=idea_url(space.slug, idea.id))
    return {"method": method, "space": space.slug, "ideas": rows, "totals": totals}
