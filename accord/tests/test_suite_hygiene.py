"""The suite runs in random order (pytest-randomly, from requirements-dev.txt), which reseeds
Python's `random` before every test; property tests must still search the same examples on
every run, as conftest.py intends, or a green run could turn red by chance."""

from hypothesis import given, settings
from hypothesis import strategies as st


def test_hypothesis_is_derandomized_under_random_order():
    assert settings.default.derandomize is True
    assert settings.default.deadline is None


def test_a_property_test_sees_the_same_examples_twice():
    @given(st.lists(st.integers(), max_size=5))
    @settings(max_examples=20, database=None)
    def record(values):
        run.append(values)

    runs = []
    for _ in range(2):
        run: list[list[int]] = []
        record()
        runs.append(run)
    assert runs[0] == runs[1]
    assert len(runs[0]) > 1
