""""Support this one instead" on the idea form's hints: it follows the existing idea, casts
nothing, and pressing it again keeps the follow."""
import sqlalchemy as sa

from app.extensions import db
from app.models import Follow, PairwiseVote, QVBallot


def test_support_follows_the_idea_and_casts_no_vote(client, post_form, resident, voting_space):
    idea_id = db.session.scalar(sa.text("SELECT min(id) FROM ideas"))
    for _ in range(2):  # not a toggle
        response = post_form(f"/spaces/zocalo/ideas/{idea_id}/support", {})
        assert response.status_code == 302 and response.headers["Location"] == f"/spaces/zocalo/ideas/{idea_id}"
    assert db.session.scalars(sa.select(Follow.idea_id).where(Follow.user_id == resident.id)).all() == [idea_id]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PairwiseVote)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(QVBallot)) == 0
    assert "No vote was cast." in client.get(response.headers["Location"]).get_data(as_text=True)


def test_support_needs_an_account(client, post_form, voting_space):
    response = post_form("/spaces/zocalo/ideas/1/support", {})
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
