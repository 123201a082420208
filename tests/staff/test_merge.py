"""Merging a duplicate: search, preview, confirm, undo, and every refusal said in place."""
import pytest
import sqlalchemy as sa

from app.extensions import db
from app.ideas.merging import merge_ideas
from app.models import AuditEntry, Idea, IdeaMerge, PairwiseVote, QVAllocation, QVBallot


def merge_url(dup, kept=None):
    return f"/staff/spaces/zocalo/ideas/{dup.id}/merge" + (f"/{kept.id}" if kept else "")


def allocations():
    return {(a.ballot_id, a.idea_id): a.votes for a in db.session.scalars(sa.select(QVAllocation))}


@pytest.fixture
def voted(ideas, add_vote, add_ballot):
    """Votes on both ideas of the pair: the duplicate's stop counting, its ballots move."""
    kept, dup, benches, fountains = ideas
    add_vote("a", kept, benches, "left")
    add_vote("a", dup, fountains, "left")
    add_vote("b", benches, dup, "right")
    add_vote("b", kept, dup, "tie")
    both = add_ballot("q1", {kept: 2, dup: -3})
    only_dup = add_ballot("q2", {dup: 4})
    return kept, dup, both, only_dup


def test_search_lists_matching_titles_of_the_space_only(client, staff, ideas, make_space, make_idea):
    kept, dup = ideas[0], ideas[1]
    make_idea(make_space(slug="other"), title=kept.title)
    html = client.get(merge_url(dup) + "?q=" + kept.title[:5].lower()).get_data(as_text=True)
    assert f"/merge/{kept.id}" in html and html.count("Keep this one") == 1
    assert "No other idea of this space" in client.get(merge_url(dup) + "?q=zzzz").get_data(as_text=True)


def test_preview_shows_what_moves_and_the_place_before_and_after(client, staff, voted):
    kept, dup, _, _ = voted
    html = client.get(merge_url(dup, kept)).get_data(as_text=True)
    assert "3 pairwise votes on the duplicate stop counting" in html
    assert "1 of them compared the two ideas" in html
    assert "The kept idea keeps its own 1 pairwise vote." in html
    assert "2 quadratic ballots move" in html and "1 of them voted on both" in html
    assert "Pairwise place of the kept idea:" in html and "of 4 now" in html and "of 3 after" in html
    assert db.session.scalar(sa.select(Idea.merged_into_id).where(Idea.id == dup.id)) is None


def test_merge_sets_the_duplicates_votes_aside_and_moves_its_ballots(client, post_form, staff, voted):
    kept, dup, both, only_dup = voted
    response = post_form(merge_url(dup, kept), {})
    assert response.status_code == 302
    assert "You can undo it from the audit log" in client.get(response.headers["Location"]).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Idea, dup.id).merged_into_id == kept.id
    assert db.session.scalar(sa.select(sa.func.count(PairwiseVote.id))) == 4  # all kept, for undo
    assert allocations() == {(both.id, kept.id): -3, (only_dup.id, kept.id): 4}
    assert db.session.get(QVBallot, both.id).credits_used == 9
    ranking = client.get("/api/spaces/zocalo/ranking").get_json()
    row = next(r for r in ranking["ideas"] if r["id"] == kept.id)
    assert (row["wins"], row["losses"], row["ties"]) == (1, 0, 0)  # its own vote only
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "idea.merge"))
    assert entry.after["pairwise_set_aside"] == 3 and entry.after["ballots_changed"] == 2


def test_a_merge_costs_the_same_statements_for_one_ballot_or_forty(ideas, add_ballot, staff):
    """Statements counted at the database, for a merge with 1 ballot and with 40."""
    kept, dup, benches, fountains = ideas
    statements = []
    count = lambda *args: statements.append(args[2])  # noqa: E731
    costs = []
    for ballots, (keep, duplicate) in ((1, (kept, dup)), (40, (benches, fountains))):
        for n in range(ballots):
            add_ballot(f"m{ballots}-{n}", {duplicate: 2, keep: 1} if n % 2 else {duplicate: 3})
        db.session.commit()
        statements.clear()
        sa.event.listen(db.engine, "before_cursor_execute", count)
        merge_ideas(keep, duplicate, staff.id)
        db.session.flush()
        sa.event.remove(db.engine, "before_cursor_execute", count)
        costs.append(len(statements))
    assert costs[1] == costs[0] + 1, costs  # the one more: the 40 have ballots with both ideas
    assert db.session.get(QVBallot, db.session.scalar(sa.select(QVBallot.id).order_by(QVBallot.id.desc()))
                          ).credits_used == 4


def test_undo_restores_the_duplicate_its_votes_and_ballots(client, post_form, staff, voted):
    kept, dup, both, only_dup = voted
    before = allocations()
    ranking_before = client.get("/api/spaces/zocalo/ranking").get_json()["ideas"]
    post_form(merge_url(dup, kept), {})
    record = db.session.scalar(sa.select(IdeaMerge))
    audit = client.get("/staff/audit").get_data(as_text=True)
    assert "Undo this merge" in audit
    response = post_form(f"/staff/merges/{record.id}/undo", {})
    assert "is back with its votes and ballots" in client.get(response.headers["Location"]).get_data(as_text=True)
    db.session.expire_all()
    restored = db.session.get(Idea, dup.id)
    assert restored.merged_into_id is None and restored.status == "published"
    assert allocations() == before
    assert db.session.get(QVBallot, both.id).credits_used == 13
    assert client.get("/api/spaces/zocalo/ranking").get_json()["ideas"] == ranking_before
    assert db.session.scalar(sa.select(AuditEntry.action).order_by(AuditEntry.id.desc())) == "idea.unmerge"
    again = post_form(f"/staff/merges/{record.id}/undo", {})
    assert "already undone" in client.get(again.headers["Location"]).get_data(as_text=True)


def test_undo_is_refused_once_a_voter_changed_a_moved_ballot(client, post_form, staff, voted):
    kept, dup, both, _ = voted
    post_form(merge_url(dup, kept), {})
    db.session.expire_all()
    ballot = db.session.get(QVBallot, both.id)
    ballot.revision += 1  # the voter saved their ballot again after the merge
    db.session.commit()
    record = db.session.scalar(sa.select(IdeaMerge))
    audit = client.get("/staff/audit").get_data(as_text=True)
    assert "Cannot be undone: A voter changed a ballot" in audit, audit[audit.find("<table"):]
    response = post_form(f"/staff/merges/{record.id}/undo", {})
    assert "would overwrite their new choice" in client.get(response.headers["Location"]).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Idea, dup.id).merged_into_id == kept.id


def test_undo_is_refused_when_the_kept_idea_was_merged_since(client, post_form, staff, voted, ideas):
    kept, dup, _, _ = voted
    post_form(merge_url(dup, kept), {})
    post_form(merge_url(kept, ideas[2]), {})
    first = db.session.scalar(sa.select(IdeaMerge).where(IdeaMerge.duplicate_id == dup.id))
    response = post_form(f"/staff/merges/{first.id}/undo", {})
    assert "undo that merge first" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_merge_refusals(client, post_form, staff, ideas, make_space, make_idea):
    dup = ideas[1]
    foreign = make_idea(make_space(slug="other"))
    assert "cannot be merged into itself" in client.get(merge_url(dup, dup), follow_redirects=True).get_data(as_text=True)
    assert client.get(merge_url(dup, foreign)).status_code == 404
    assert client.get(f"/staff/spaces/zocalo/ideas/{dup.id}/merge/999999").status_code == 404
    response = post_form(merge_url(dup, dup), {})
    assert "cannot be merged into itself" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert post_form("/staff/merges/999999/undo", {}).status_code == 404
    db.session.expire_all()
    assert db.session.get(Idea, dup.id).merged_into_id is None
