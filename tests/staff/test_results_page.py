"""The public results page: both rankings explained, adopted ideas, and the privacy switch."""
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
