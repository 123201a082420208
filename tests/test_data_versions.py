"""Caches key on versions the database keeps, so no machine's clock can freeze them."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Idea, PairwiseVote, QVBallot, Space, Voter
from app.models.versions import ballots_version, space_version

AN_HOUR_AHEAD = datetime.now(timezone.utc) + timedelta(hours=1)


def version(space: Space) -> int:
    return db.session.scalar(space_version(space.id))


@pytest.fixture
def plaza(make_space, make_idea):
    space = make_space(slug="zocalo", qv_budget=100)
    return space, [make_idea(space, title=t) for t in ("Shade trees", "Benches for reading", "Fountains")]


def test_every_change_to_ideas_bumps_the_space_version(plaza, make_idea):
    space, (trees, benches, _) = plaza
    seen = [version(space)]
    make_idea(space, title="Night lighting")
    seen.append(version(space))
    trees.status = "adopted"
    db.session.commit()
    seen.append(version(space))
    benches.body = "Benches in the shade, for reading."
    db.session.commit()
    seen.append(version(space))
    db.session.delete(benches)
    db.session.commit()
    seen.append(version(space))
    assert seen == sorted(set(seen)) and len(seen) == 5


def test_votes_and_unchanged_objects_leave_the_version_alone(plaza):
    space, (trees, benches, _) = plaza
    before = version(space)
    voter = Voter(anon_key="someone")
    db.session.add(voter)
    db.session.flush()
    vote = PairwiseVote(space_id=space.id, voter_id=voter.id, left_idea_id=trees.id,
                        right_idea_id=benches.id, choice="left", pair_key="k1")
    db.session.add(vote)
    trees.title = trees.title  # no real change
    db.session.commit()
    assert version(space) == before
    db.session.delete(vote)  # a vote taken back: fits must see it
    db.session.commit()
    assert version(space) == before + 1


def machine_ahead_wrote(model, row_id: int) -> None:
    """What a write from a machine whose clock runs an hour ahead leaves behind."""
    db.session.execute(sa.update(model).where(model.id == row_id).values(updated_at=AN_HOUR_AHEAD))
    db.session.commit()


def test_the_map_etag_changes_after_a_machine_ahead_wrote(client, plaza):
    space, (trees, benches, _) = plaza
    machine_ahead_wrote(Idea, trees.id)
    first = client.get("/api/spaces/zocalo/ideas.geojson")
    benches.status = "adopted"  # written with the right clock, "earlier" than the ahead write
    db.session.commit()
    second = client.get("/api/spaces/zocalo/ideas.geojson", headers={"If-None-Match": first.headers["ETag"]})
    assert second.status_code == 200 and second.headers["ETag"] != first.headers["ETag"]
    statuses = {f["properties"]["id"]: f["properties"]["status"] for f in second.get_json()["features"]}
    assert statuses[benches.id] == "adopted"


def test_similar_ideas_see_an_edit_after_a_machine_ahead_wrote(client, plaza):
    space, (trees, benches, _) = plaza
    machine_ahead_wrote(Idea, trees.id)
    assert client.get("/api/spaces/zocalo/similar?q=skate+ramp").get_json()["ideas"] == []
    benches.title = "A skate ramp for the kids"
    db.session.commit()
    found = client.get("/api/spaces/zocalo/similar?q=skate+ramp").get_json()["ideas"]
    assert [i["id"] for i in found] == [benches.id]


def test_quadratic_standings_see_a_ballot_saved_after_a_machine_ahead_wrote(client, plaza, make_user):
    from app.qv.ballots import save_ballot

    space, (trees, benches, _) = plaza
    voters = [Voter(user_id=make_user().id) for _ in ("on-machine-a", "on-machine-b")]
    db.session.add_all(voters)
    db.session.commit()
    for voter in voters:
        save_ballot(space, voter.id, {str(trees.id): 1})
    db.session.commit()
    first_ballot = db.session.scalar(sa.select(QVBallot.id).where(QVBallot.voter_id == voters[0].id))
    machine_ahead_wrote(QVBallot, first_ballot)
    before = client.get("/api/spaces/zocalo/ranking?method=quadratic").get_json()
    assert before["ideas"][0]["id"] == trees.id
    save_ballot(space, voters[1].id, {str(benches.id): 3})  # saved on B, "before" A's clock
    db.session.commit()
    after = client.get("/api/spaces/zocalo/ranking?method=quadratic").get_json()
    assert after["ideas"][0]["id"] == benches.id and after["ideas"][0]["votes_net"] == 3


def test_every_ballot_save_changes_the_ballots_version(plaza, make_user):
    from app.qv.ballots import save_ballot

    space, (trees, benches, _) = plaza
    voter = Voter(user_id=make_user().id)
    db.session.add(voter)
    db.session.commit()
    seen = []
    for allocations in ({str(trees.id): 1}, {str(trees.id): 1}, {str(benches.id): 2}):
        save_ballot(space, voter.id, allocations)
        db.session.commit()
        seen.append(tuple(db.session.execute(ballots_version(space.id)).one()))
    assert seen == [(1, 1), (1, 2), (1, 3)]


def test_the_pairwise_fit_sees_a_declined_idea_after_a_machine_ahead_wrote(client, plaza):
    """Declined ideas stay public (same count) but leave the pairs: the fit must notice."""
    from app.pairwise.refits import refitter

    space, (trees, benches, fountains) = plaza
    machine_ahead_wrote(Idea, trees.id)
    assert client.get("/api/spaces/zocalo/ranking?method=pairwise").status_code == 200
    fountains.status = "declined"
    db.session.commit()
    fit = refitter().fresh(space.id)
    votable = {int(i) for i in fit.idea_ids[fit.votable]}
    assert votable == {trees.id, benches.id}
