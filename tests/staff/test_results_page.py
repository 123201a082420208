"""The public results page: both rankings explained, adopted ideas, and the privacy switch."""
import pytest

from app.extensions import db


def test_results_show_both_rankings_and_adopted_ideas(client, space_with_duplicate, ideas):
    ideas[2].status = "adopted"
    ideas[2].staff_response = "Twenty benches by June."
    db.session.commit()
    html = client.get("/spaces/zocalo/results").get_data(as_text=True)
    assert "Compared two at a time" in html and "Voice credits" in html
    assert "estimated chance, out of 100" in html and "n votes on one idea cost n² credits" in html
    assert "Adopted by the city (1)" in html and "Twenty benches by June." in html


def test_results_can_be_kept_private(client, make_user, login, space_with_duplicate):
    space_with_duplicate.show_results = False
    db.session.commit()
    response = client.get("/spaces/zocalo/results")
    assert response.status_code == 404 and "not public yet" in response.get_data(as_text=True)
    login(make_user(role="staff"))
    response = client.get("/spaces/zocalo/results")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Compared two at a time" in html and "Voice credits" in html  # staff see the results
    assert "Benches" in html and "not public yet" not in html


@pytest.mark.parametrize("official, shown, not_shown, line", [
    ("pairwise", 'id="ranking"', 'id="qv-ranking"', "The official result is the ranking from comparing ideas two at a time."),
    ("quadratic", 'id="qv-ranking"', 'id="ranking"', "The official result is the voice-credit ranking"),
    ("both", 'id="qv-ranking"', None, "Both rankings count"),
])
def test_results_say_which_ranking_counts_and_show_only_it(client, space_with_duplicate, official, shown,
                                                           not_shown, line):
    space_with_duplicate.official_result = official
    db.session.commit()
    html = client.get("/spaces/zocalo/results").get_data(as_text=True)
    assert line in html and shown in html
    assert not_shown is None or not_shown not in html


def test_ideas_nobody_can_tell_apart_share_a_range_of_places(client, space_with_duplicate):
    html = client.get("/spaces/zocalo/results").get_data(as_text=True)
    assert "too close to call" in html and "Places 1 to" in html


def test_staff_rankings_say_which_ranking_counts(client, make_user, login, space_with_duplicate):
    space_with_duplicate.official_result = "quadratic"
    db.session.commit()
    login(make_user(role="staff"))
    html = client.get("/staff/spaces/zocalo/rankings").get_data(as_text=True)
    assert "Official result: quadratic voting." in html
