"""The two rankings of a space in one row format, for the API and the results pages."""
from __future__ import annotations

import sqlalchemy as sa
from flask import current_app

from app import jobs
from app.extensions import db
from app.models import Idea, Space
from app.qv.stored import compute_standings, read_standings, standings_key
from app.ranking import tiers_from_intervals
from app.pairwise.refits import refitter

METHODS = ("pairwise", "quadratic")
STANDINGS_TASK = "plaza.quadratic_standings"


def pairwise_rows(space: Space) -> tuple[list[dict], dict]:
    """Rows best first from a fit that includes every stored vote."""
    standings = refitter().fresh(space.id)
    s = standings.summary
    top_k = standings.top_k
    rows = [
        {"id": int(standings.idea_ids[p]), "score": round(float(s.score[p]), 2),
         "ci_low": round(float(s.ci_low[p]), 2), "ci_high": round(float(s.ci_high[p]), 2),
         "wins": int(s.wins[p]), "losses": int(s.losses[p]), "ties": int(s.ties[p]),
         "appearances": int(s.appearances[p]), "p_top": round(float(top_k.p_top[p]), 3)}
        for p in s.order()
    ]
    ids = lambda positions: [int(standings.idea_ids[p]) for p in positions]  # noqa: E731
    status = top_k.status
    totals = {"votes": standings.votes, "voters": standings.voters,
              "fitted_at": standings.fitted_at.isoformat(), "focus_k": status.k,
              "top_k": {"surely_in": ids(status.surely_in), "still_open": ids(status.still_open),
                        "open_places": status.open_places,
                        "votes_to_settle": top_k.votes_to_settle}}
    return rows, totals


def quadratic_rows(space: Space) -> tuple[list[dict], dict]:
    """The QV standings stored for the space's ballots and ideas (app/qv/stored.py).

    With a broker, standings that are behind are served while the job computes new ones,
    as the pairwise fit is; the first standings of a space, and all of them in the demo,
    are computed here.
    """
    key = standings_key(space.id)
    computed = read_standings(space.id, key)
    if computed is None and jobs.queued():
        computed = read_standings(space.id)
        if computed is not None:
            _ask_for_standings(space.id, key)
    if computed is None:
        computed = compute_standings(space.id)
    rows, totals = computed
    # Voters are resampled per idea, not jointly, so the bootstrap gives no top-K chance.
    return ([dict(row, p_top=None) for row in rows],
            dict(totals, focus_k=space.focus_k, top_k=None))


def _ask_for_standings(space_id: int, key: str) -> None:
    """Submit the standings job once per key and process, not once per page view."""
    asked = current_app.extensions.setdefault("plaza_qv_asked", {})
    if asked.get(space_id) != key:
        asked[space_id] = key
        jobs.submit(STANDINGS_TASK, space_id)


def ranking(space: Space, method: str) -> dict:
    """{"method", "official", "space", "ideas": [rows], "totals"}.

    Pairwise rows have ``p_top``, the idea's chance to be in the top ``totals.focus_k``,
    and the totals' ``top_k`` says which ideas are surely in and still open; the quadratic
    ranking has neither (None), in the same row format.

    Each row has its strict ``rank`` and its tier, ``tier_first``..``tier_last``: the ranks
    it shares with the ideas whose intervals overlap (app/ranking/tiers.py). Rows carry no
    addresses, so a job can build a ranking without a request: the pages and the API add
    them (app/urls.py with_idea_urls).
    """
    rows, totals = (pairwise_rows if method == "pairwise" else quadratic_rows)(space)
    ideas = {i.id: i for i in db.session.scalars(
        sa.select(Idea).where(Idea.id.in_([r["id"] for r in rows])))}
    tiers = tiers_from_intervals([r["ci_low"] for r in rows], [r["ci_high"] for r in rows])
    for rank, (row, tier) in enumerate(zip(rows, tiers), start=1):
        idea = ideas[row["id"]]
        row.update(rank=rank, tier_first=tier.first, tier_last=tier.last,
                   title=idea.title, category=idea.category, status=idea.status)
    return {"method": method, "official": space.counts_method(method), "space": space.slug,
            "ideas": rows, "totals": totals}
