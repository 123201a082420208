"""The rankings' interval charts: rows of text with a bar, readable at any width."""
from app.staff.charts import interval_chart

LONG = "Bancas con respaldo y descansabrazos para personas mayores bajo pérgolas ligeras"


def test_each_idea_is_a_row_with_its_whole_title_and_its_figures():
    rows = [{"title": LONG, "score": 62.4, "ci_low": 55.2, "ci_high": 70.1},
            {"title": "<b>Toldos</b>", "score": 40, "ci_low": -5, "ci_high": 130}]
    chart = interval_chart(rows, 0, 100, "Pairwise scores")
    assert f'<span class="interval-title">{LONG}</span>' in chart
    assert '<span class="interval-value">62 (55–70)</span>' in chart
    assert 'style="left:55.2%;width:14.9%"' in chart and 'style="left:62.4%"' in chart
    assert "&lt;b&gt;Toldos&lt;/b&gt;" in chart and "<b>" not in chart
    assert 'style="left:0.0%;width:100.0%"' in chart  # an interval past the scale stops at its ends


def test_the_chart_shows_the_first_rows_only():
    rows = [{"title": f"Idea {i}", "score": i, "ci_low": i, "ci_high": i} for i in range(30)]
    chart = interval_chart(rows, 0, 30, "t", limit=15)
    assert chart.count("<li>") == 15 and "Idea 14<" in chart and "Idea 15<" not in chart
