"""The Alembic revisions build exactly the schema the models describe."""
import logging
import logging.config

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from app.extensions import db


@pytest.fixture
def empty_database(app):
    """The test database with no tables at all, as on a fresh install."""
    db.drop_all()
    with db.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    yield
    with db.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))


# SQLite cannot reflect an index over expressions (uq_pairwise_votes_voter_pair), so
# SQLAlchemy warns and Alembic leaves it out of the comparison; the test below checks it.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index")
def test_upgrade_matches_models_and_downgrades(app, empty_database):
    upgrade()
    assert set(db.metadata.tables) <= set(sa.inspect(db.engine).get_table_names())
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert diff == []
    downgrade(revision="base")
    assert sa.inspect(db.engine).get_table_names() == ["alembic_version"]


def insert(conn, table: str, **values) -> int:
    columns = ", ".join(values)
    params = ", ".join(f":{k}" for k in values)
    return conn.execute(sa.text(f"INSERT INTO {table} ({columns}) VALUES ({params}) RETURNING id"), values).scalar()


def insert_space(conn, created_at: str) -> int:
    """The Zócalo as a space row of the oldest schema the tests upgrade from."""
    return insert(conn, "spaces", slug="zocalo", name="Zócalo", description="", center_lat=19.4,
                  center_lng=-99.1, zoom=17, phase="voting", categories="[]", moderation=False,
                  anonymous_pairwise=True, ideas_during_voting=True, qv_budget=100,
                  qv_negative=False, show_results=True, created_at=created_at)


class Recorded(logging.Handler):
    """What a migration logs (migrations/env.py's fileConfig would reset pytest's caplog)."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_one_vote_per_pair_keeps_each_voters_first_vote_of_existing_duplicates(app, empty_database,
                                                                               monkeypatch):
    upgrade(revision="0005_login_sessions")
    now = "2026-11-30 10:00:00"
    with db.engine.begin() as conn:
        space = insert_space(conn, now)
        a, b, c = (insert(conn, "ideas", space_id=space, title=t, body="", category="other",
                          status="published", created_at=now, updated_at=now) for t in "ABC")
        ana, luis = (insert(conn, "voters", anon_key=k, created_at=now) for k in ("ana", "luis"))
        votes = [(ana, a, b, "left"), (ana, b, a, "right"), (ana, a, b, "tie"),  # two repeats
                 (ana, a, c, "left"), (luis, b, a, "left"), (luis, a, b, "skip")]  # one repeat
        ids = [insert(conn, "pairwise_votes", space_id=space, voter_id=v, left_idea_id=l,
                      right_idea_id=r, choice=ch, pair_key=f"key-{n}", created_at=now)
               for n, (v, l, r, ch) in enumerate(votes)]
    monkeypatch.setattr("logging.config.fileConfig", lambda *args, **kwargs: None)
    recorded, migration_log = Recorded(), logging.getLogger("alembic.runtime.migration")
    migration_log.addHandler(recorded)
    try:
        upgrade()
    finally:
        migration_log.removeHandler(recorded)
    with db.engine.connect() as conn:
        kept = conn.execute(sa.text("SELECT id FROM pairwise_votes ORDER BY id")).scalars().all()
        # Later revisions keep the rows too: 0007's data versions start from the defaults.
        assert conn.execute(sa.text("SELECT data_version FROM spaces")).scalars().all() == [0]
        assert conn.execute(sa.text("SELECT count(*) FROM ideas")).scalar() == 3
    assert kept == [ids[0], ids[3], ids[4]]
    removed = [r for r in recorded.records if "Removing duplicate pairwise vote" in r.getMessage()]
    assert [int(r.args[0]) for r in removed] == [ids[1], ids[2], ids[5]]
    with pytest.raises(sa.exc.IntegrityError, match="uq_pairwise_votes_voter_pair|UNIQUE"):
        with db.engine.begin() as conn:
            insert(conn, "pairwise_votes", space_id=space, voter_id=luis, left_idea_id=a,
                   right_idea_id=b, choice="left", pair_key="key-new", created_at=now)
    downgrade(revision="base")


def test_accounts_and_notices_keep_existing_accounts_able_to_take_part(app, empty_database):
    upgrade(revision="0008_room_results")
    now = "2026-11-30 10:00:00"
    with db.engine.begin() as conn:
        user = insert(conn, "users", email="ana@example.org", display_name="Ana", password_hash="x",
                      role="resident", created_at=now)
        space = insert_space(conn, now)
        idea = insert(conn, "ideas", space_id=space, author_id=user, title="Shade", body="", category="other",
                      status="published", created_at=now, updated_at=now)
    upgrade()
    with db.engine.connect() as conn:
        row = conn.execute(sa.text("SELECT email_confirmed_at, language, notify FROM users")).one()
        follows = conn.execute(sa.text("SELECT user_id, idea_id FROM follows")).all()
    assert row[0] is not None and (row[1], row[2]) == ("en", "weekly")
    assert [tuple(f) for f in follows] == [(user, idea)]
    downgrade(revision="base")


def test_existing_spaces_keep_both_rankings_and_merges_start_empty(app, empty_database):
    upgrade(revision="0009_accounts_notices")
    now = "2026-11-30 10:00:00"
    with db.engine.begin() as conn:
        insert_space(conn, now)
    upgrade()
    with db.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT official_result FROM spaces")).scalars().all() == ["both"]
        assert conn.execute(sa.text("SELECT count(*) FROM idea_merges")).scalar() == 0
    with pytest.raises(sa.exc.IntegrityError):
        with db.engine.begin() as conn:
            conn.execute(sa.text("UPDATE spaces SET official_result = 'borda'"))
    downgrade(revision="base")


def test_new_spaces_are_moderated_and_existing_ones_keep_their_setting(app, empty_database):
    upgrade(revision="0009_accounts_notices")
    now = "2026-12-02 10:00:00"
    fields = dict(description="", center_lat=19.4, center_lng=-99.1, zoom=17, phase="voting",
                  categories="[]", anonymous_pairwise=True, ideas_during_voting=True, qv_budget=100,
                  qv_negative=False, show_results=True, created_at=now)
    with db.engine.begin() as conn:
        insert(conn, "spaces", slug="old", name="Old", moderation=False, **fields)
    upgrade()
    with db.engine.begin() as conn:
        fields.pop("anonymous_pairwise")  # a column of the schema upgraded from
        insert(conn, "spaces", slug="new", name="New", **fields)  # as a script that omits it would
        rows = dict(conn.execute(sa.text("SELECT slug, moderation FROM spaces")).all())
    assert {slug: bool(value) for slug, value in rows.items()} == {"old": False, "new": True}
    downgrade(revision="base")


def test_existing_accounts_have_no_acceptance_they_never_gave(app, empty_database):
    upgrade(revision="0011_walk_results")
    with db.engine.begin() as conn:
        insert(conn, "users", email="ana@example.org", display_name="Ana", password_hash="x", role="resident",
               created_at="2026-11-30 10:00:00", email_confirmed_at="2026-11-30 10:05:00")
    upgrade()
    with db.engine.begin() as conn:
        assert conn.execute(sa.text("SELECT email, terms_accepted_at FROM users")).one() == ("ana@example.org", None)
        assert conn.execute(sa.text("SELECT count(*) FROM legal_texts")).scalar() == 0
        with pytest.raises(sa.exc.IntegrityError):
            with conn.begin_nested():
                conn.execute(sa.text("INSERT INTO legal_texts (kind, language, body, updated_at) "
                                     "VALUES ('cookies', 'en', 'x', '2026-12-02 08:00:00')"))
    downgrade(revision="base")


def test_existing_spaces_read_their_name_as_before(app, empty_database):
    upgrade(revision="0012_legal_texts")
    with db.engine.begin() as conn:
        insert_space(conn, "2026-12-02 10:00:00")
    upgrade()
    with db.engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT name, name_in_sentence FROM spaces")).one()
    assert stored[0] == "Zócalo" and stored[1] in ("{}", {})
    downgrade(revision="base")


def test_existing_spaces_have_no_landmarks_and_existing_ideas_keep_their_pins(app, empty_database):
    upgrade(revision="0013_space_name_in_sentence")
    now = "2026-12-02 10:00:00"
    with db.engine.begin() as conn:
        space = insert_space(conn, now)
        insert(conn, "ideas", space_id=space, title="Shade", body="", category="other", lat=19.4,
               lng=-99.1, status="published", created_at=now, updated_at=now)
    upgrade()
    with db.engine.connect() as conn:
        landmarks, anywhere = conn.execute(sa.text("SELECT landmarks, ideas_anywhere FROM spaces")).one()
        idea = conn.execute(sa.text("SELECT title, lat, lng, landmark FROM ideas")).one()
    assert landmarks in ("[]", []) and not anywhere and tuple(idea) == ("Shade", 19.4, -99.1, None)
    downgrade(revision="base")


def test_existing_spaces_focus_on_the_top_ten(app, empty_database):
    upgrade(revision="0014_landmarks")
    with db.engine.begin() as conn:
        insert_space(conn, "2026-12-02 10:00:00")
    upgrade()
    with db.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT focus_k FROM spaces")).scalar() == 10
    with pytest.raises(sa.exc.IntegrityError, match="focus_k_range"):
        with db.engine.begin() as conn:
            conn.execute(sa.text("UPDATE spaces SET focus_k = 0"))
    downgrade(revision="base")


def test_existing_spaces_keep_who_may_vote(app, empty_database):
    upgrade(revision="0015_focus_k")
    with db.engine.begin() as conn:
        open_space = insert_space(conn, "2026-12-03 10:00:00")
        members = insert(conn, "spaces", slug="members", name="Members", description="", center_lat=19.4,
                         center_lng=-99.1, zoom=17, phase="voting", categories="[]", moderation=False,
                         anonymous_pairwise=False, ideas_during_voting=True, qv_budget=100,
                         qv_negative=False, show_results=True, created_at="2026-12-03 10:00:00")
    upgrade()
    with db.engine.connect() as conn:
        rules = dict(conn.execute(sa.text("SELECT id, pairwise_rule || '/' || qv_rule FROM spaces")).all())
    assert rules == {open_space: "anyone/confirmed", members: "confirmed/confirmed"}
    with pytest.raises(sa.exc.IntegrityError, match="qv_needs_a_person"):
        with db.engine.begin() as conn:
            conn.execute(sa.text("UPDATE spaces SET qv_rule = 'anyone'"))
    downgrade(revision="0015_focus_k")
    with db.engine.connect() as conn:
        anonymous = dict(conn.execute(sa.text("SELECT id, anonymous_pairwise FROM spaces")).all())
    assert anonymous == {open_space: True, members: False}
    downgrade(revision="base")


def test_existing_spaces_start_without_a_stored_fit_and_their_first_job_writes_it(app, empty_database):
    from app.pairwise.refit_job import refit_space

    upgrade(revision="0015_focus_k")
    with db.engine.begin() as conn:
        space_id = insert_space(conn, "2026-12-03 10:00:00")
    upgrade()
    with db.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM stored_fits")).scalar() == 0
    assert refit_space(space_id).outcome == "stored"
    with db.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT space_id, serial, votes FROM stored_fits")).one() == (space_id, 1, 0)
    db.session.remove()
    downgrade(revision="0016_eligibility")
    with db.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM spaces")).scalar() == 1
        assert "stored_fits" not in sa.inspect(conn).get_table_names()
    downgrade(revision="base")


def test_existing_spaces_start_without_stored_standings_and_the_first_ranking_stores_them(app, empty_database):
    from app.qv.stored import compute_standings, standings_key

    upgrade(revision="0015_focus_k")
    with db.engine.begin() as conn:
        space_id = insert_space(conn, "2026-12-04 10:00:00")
    upgrade(revision="0017_stored_fits")
    upgrade()
    with db.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM stored_standings")).scalar() == 0
    assert compute_standings(space_id) == ([], {"votes": 0, "voters": 0, "credits": 0})
    with db.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT space_id, key FROM stored_standings")).one() == (
            space_id, standings_key(space_id))
    db.session.remove()
    downgrade(revision="0017_stored_fits")
    with db.engine.connect() as conn:
        assert "stored_standings" not in sa.inspect(conn).get_table_names()
    downgrade(revision="base")


def test_an_existing_space_with_a_roll_can_preview_an_upload(app, empty_database):
    import io

    from app.eligibility import hasher
    from app.eligibility.roll import preview_roll
    from app.eligibility.roll_uploads import keep_upload, roll_of
    from app.models import Space

    upgrade(revision="0015_focus_k")
    with db.engine.begin() as conn:
        space_id = insert_space(conn, "2026-12-04 10:00:00")
    upgrade(revision="0018_stored_standings")
    with db.engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO roll_entries (space_id, key_hash, listed, imported_at) "
                             "VALUES (:s, :k, true, '2026-12-04 10:00:00')"),
                     {"s": space_id, "k": hasher().roll(space_id, ["AB1"])})
    upgrade()
    space = db.session.get(Space, space_id)
    upload = keep_upload(hasher(), space, None, io.StringIO("dni\nAB1\nCD2\n"), ["dni"], None)
    db.session.commit()
    report = preview_roll(space_id, roll_of(upload))
    assert (report.listed, report.added, report.kept, report.unlisted) == (2, 1, 1, 0)
    db.session.remove()
    downgrade(revision="0018_stored_standings")
    with db.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM roll_entries")).scalar() == 1
        assert "roll_uploads" not in sa.inspect(conn).get_table_names()
    downgrade(revision="base")
