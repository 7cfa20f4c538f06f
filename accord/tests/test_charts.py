from accord.charts import bar_chart, line_chart, profile_chart


def test_charts_are_self_contained_svg_images_with_alt_text():
    chart = line_chart(
        "Goodwill trust",
        ["Q1", "Q2", "Q3"],
        {"A → B": [5.5, 5.1, None], "B → A": [5.0, 4.2, 3.9]},
        alt="Goodwill trust falls in both directions",
        y_range=(1, 7),
        reference_lines={"Target": 5.0},
    )
    html = str(chart.img())
    assert html.startswith('<img class="chart" src="data:image/svg+xml;base64,')
    assert 'alt="Goodwill trust falls in both directions"' in html
    assert "<script" not in chart.svg
    assert "A → B" in chart.svg


def test_bar_and_profile_charts_render():
    assert "<svg" in bar_chart("Shares", ["A", "B"], {"value": [0.6, 0.4]}, alt="x").svg
    profile = profile_chart("Culture", ["Risk", "Time"], {"A": [2, 5], "B": [6, 3]}, alt="y")
    assert "Risk" in profile.svg
