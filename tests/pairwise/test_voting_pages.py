"""The voting screen and the ranking page as HTML."""


def test_voting_screen(client, voting_space):
    html = client.get("/spaces/zocalo/vote").get_data(as_text=True)
    assert "Which would make Zócalo better?" in html
    assert 'data-pair-url="/api/spaces/zocalo/pair"' in html
    assert "Add your own idea" in html and "Equally good" in html and "I like neither" in html


def test_voting_screen_when_closed(client, voting_space):
    from app.extensions import db

    voting_space.phase = "closed"
    db.session.commit()
    html = client.get("/spaces/zocalo/vote").get_data(as_text=True)
    assert "Voting has closed in this space." in html and "pairwise.js" not in html


def test_members_only_space_sends_to_login(client, make_space):
    make_space(slug="members", pairwise_rule="confirmed")
    response = client.get("/spaces/members/vote")
    assert response.status_code == 302 and "/auth/login?next=/spaces/members/vote" in response.headers["Location"]


def test_space_page_links_to_voting_and_ranking(client, voting_space):
    html = client.get("/spaces/zocalo").get_data(as_text=True)
    assert 'href="/spaces/zocalo/vote"' in html and 'href="/spaces/zocalo/results"' in html
