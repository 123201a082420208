"""Results by district: each ranking among the residents a district's roll entries verified."""
import sqlalchemy as sa

from app.eligibility import hasher
from app.eligibility.verification import verify
from app.extensions import db
from app.models import Idea, Voter
from app.qv.ballots import save_ballot
from app.results.districts import district_results
from tests.eligibility.conftest import ANA, LUIS

BETO = {"documento": "CD654321", "nacimiento": "1975-11-30"}


def verified_voter(space, make_user, fields) -> int:
    voter = Voter(user_id=make_user().id)
    db.session.add(voter)
    db.session.flush()
    verify(hasher(), space, voter.id, "roll", {"fields": fields})
    return voter.id


def test_each_district_ranks_its_own_voters_ballots(centro, make_user, client, login):
    shade, benches, fountains = db.session.scalars(
        sa.select(Idea).where(Idea.space_id == centro.id).order_by(Idea.id)).all()
    ana, beto, luis = (verified_voter(centro, make_user, fields) for fields in (ANA, BETO, LUIS))
    save_ballot(centro, ana, {str(shade.id): 5, str(benches.id): 2})      # Centro
    save_ballot(centro, beto, {str(shade.id): 3})                         # Centro
    save_ballot(centro, luis, {str(fountains.id): 6, str(shade.id): 1})   # Guerrero
    db.session.commit()
    centro.focus_k = 1
    db.session.commit()
    result = district_results(centro, "quadratic")
    assert [(d.district, d.voters, d.top) for d in result.districts] == [
        ("Centro", 2, [shade.id]), ("Guerrero", 1, [fountains.id])]
    assert result.everywhere == [] and result.only_in == {shade.id: "Centro", fountains.id: "Guerrero"}
    centro.focus_k = 2
    db.session.commit()
    assert district_results(centro, "quadratic").everywhere == [shade.id]

    html = client.get("/spaces/centro/results").get_data(as_text=True)
    assert 'id="districts-quadratic"' in html and "<th scope=\"row\">Guerrero</th>" in html
    assert "In the top 2 of every district:</strong>" in html and "Shade trees</p>" in html
    login(make_user(role="staff"))
    staff_view = client.get("/staff/spaces/centro/rankings").get_data(as_text=True)
    assert 'id="districts-quadratic"' in staff_view and 'id="districts-pairwise"' in staff_view
    assert "No votes yet." in staff_view  # nobody compared ideas yet


def test_pairwise_by_district_leaves_unseen_ideas_out(centro, make_user, client):
    from app.pairwise.service import next_pair, record_vote
    import numpy as np

    ana = verified_voter(centro, make_user, ANA)
    db.session.commit()
    pair = next_pair(centro, ana, [], np.random.default_rng(1))
    record_vote(centro, ana, pair.token, "left", None)
    db.session.commit()
    result = district_results(centro, "pairwise")
    assert [d.district for d in result.districts] == ["Centro"]
    assert result.districts[0].top == [pair.left.id, pair.right.id]
    assert result.everywhere == [] and result.only_in == {}  # one district: nothing to compare


def test_no_districts_no_section(centro, client):
    assert district_results(centro, "quadratic") is None
    assert "By district" not in client.get("/spaces/centro/results").get_data(as_text=True)
