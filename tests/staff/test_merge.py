"""Merging a duplicate keeps every vote counted once, for the idea that stays."""
import sqlalchemy as sa

from app.extensions import db
from app.models import Idea, PairwiseVote, QVAllocation, QVBallot


def test_merge_moves_votes_and_ballots(client, post_form, staff, ideas, add_vote, add_ballot):
    kept, dup, benches, fountains = ideas
    add_vote("a", kept, benches, "left")
    add_vote("a", dup, fountains, "left")
    add_vote("b", benches, dup, "right")
    add_vote("b", kept, dup, "tie")         # duplicates compared: dropped
    both = add_ballot("q1", {kept: 2, dup: -3})
    only_dup = add_ballot("q2", {dup: 4})
    before = client.get("/api/spaces/zocalo/ranking").get_json()
    assert sum(r["wins"] for r in before["ideas"] if r["id"] in (kept.id, dup.id)) == 3

    response = post_form(f"/staff/spaces/zocalo/ideas/{dup.id}/merge", {"into": str(kept.id)})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 pairwise votes moved, 1 dropped, 2 ballots updated" in page

    db.session.expire_all()
    merged = db.session.get(Idea, dup.id)
    assert merged.merged_into_id == kept.id and merged.status == "hidden"
    pairs = db.session.execute(sa.select(PairwiseVote.left_idea_id, PairwiseVote.right_idea_id)).all()
    assert len(pairs) == 3 and all(dup.id not in p for p in pairs)
    allocations = {(a.ballot_id, a.idea_id): a.votes for a in db.session.scalars(sa.select(QVAllocation))}
    assert allocations == {(both.id, kept.id): -3, (only_dup.id, kept.id): 4}
    assert db.session.get(QVBallot, both.id).credits_used == 9
    assert db.session.get(QVBallot, only_dup.id).credits_used == 16

    after = client.get("/api/spaces/zocalo/ranking").get_json()
    row = next(r for r in after["ideas"] if r["id"] == kept.id)
    assert (row["wins"], row["losses"], row["ties"]) == (3, 0, 0)
    assert dup.id not in [r["id"] for r in after["ideas"]]
    assert after["totals"]["votes"] == 3
    redirect = client.get(f"/spaces/zocalo/ideas/{dup.id}")
    assert redirect.status_code == 301 and redirect.headers["Location"].endswith(f"/ideas/{kept.id}")


def test_merge_refusals(client, post_form, staff, ideas, make_space, make_idea):
    dup = ideas[1]
    foreign = make_idea(make_space(slug="other"))
    for into, message in ((dup.id, "cannot be merged into itself"), (999, "no idea number 999"),
                          (foreign.id, "same space"), ("", "Give the number")):
        response = post_form(f"/staff/spaces/zocalo/ideas/{dup.id}/merge", {"into": str(into)})
        assert message in client.get(response.headers["Location"]).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Idea, dup.id).merged_into_id is None
