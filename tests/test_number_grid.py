"""The step-through's number tables: what the browser sends is read only as a table of numbers
of the expected shape (the page itself is covered in test_gates_page and the e2e tests)."""

import numpy as np
import pytest

from rnn_ui.number_grid import grid_values


def test_a_sent_table_keeps_its_numbers_and_blanks_become_nan():
    got = grid_values([[1, -0.5], [None, 2.25]], (2, 2))
    assert got[0].tolist() == [1.0, -0.5] and got[1, 1] == 2.25 and np.isnan(got[1, 0])


@pytest.mark.parametrize("sent", [None, "1,2", [[1, 2]], [[1, 2], [3]], [[1, 2], "ab"],
                                  {"0": [1, 2]}, [[1, 2, 3], [4, 5, 6]]])
def test_a_table_of_another_shape_counts_as_blank(sent):
    assert np.isnan(grid_values(sent, (2, 2))).all()


def test_only_numbers_count_as_numbers():
    got = grid_values([[True, "3"], [[1], {"v": 1}]], (2, 2))
    assert np.isnan(got).all()  # a JSON true is not 1, a string not its number
