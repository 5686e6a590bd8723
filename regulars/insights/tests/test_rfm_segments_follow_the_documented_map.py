"""The segment of each (R, F) pair is the documented grid: docs/insights.md and SEGMENT_GRID
say the same, every one of the 11 segments has its cells, and the rules read as the grid."""

import re
from pathlib import Path

import pytest

from regulars.insights.models import Segment
from regulars.insights.rfm import SEGMENT_GRID, SEGMENTS, segment_for, segment_rule

DOC = Path(__file__).resolve().parents[3] / "docs" / "insights.md"


def _documented_grid() -> dict[int, list[str]]:
    rows = re.findall(r"^\| \*\*(\d)\*\* \|(.*)\|$", DOC.read_text(), flags=re.M)
    return {int(r): [cell.strip() for cell in cells.split("|")] for r, cells in rows}


def test_the_documented_grid_is_the_grid_in_the_code():
    documented = _documented_grid()

    assert sorted(documented) == [1, 2, 3, 4, 5]
    for r in range(1, 6):
        assert documented[r] == [str(segment_for(r, f).label) for f in range(1, 6)]


def test_the_documented_rules_are_the_rules_of_the_grid():
    text = DOC.read_text()

    for segment in SEGMENTS:
        assert f"| {segment.label} | {segment_rule(segment)} |" in text


def test_every_segment_has_cells_and_every_cell_a_segment():
    cells = [segment for row in SEGMENT_GRID for segment in row]

    assert len(cells) == 25
    assert set(cells) == set(Segment)
    assert sorted(SEGMENTS) == sorted(Segment)


@pytest.mark.parametrize(
    ("r", "f", "segment"),
    [
        (5, 5, Segment.CHAMPIONS),
        (5, 1, Segment.NEW),
        (4, 1, Segment.PROMISING),
        (4, 4, Segment.LOYAL),
        (5, 3, Segment.POTENTIAL_LOYALISTS),
        (3, 3, Segment.NEED_ATTENTION),
        (3, 2, Segment.ABOUT_TO_SLEEP),
        (2, 4, Segment.AT_RISK),
        (1, 5, Segment.CANNOT_LOSE),
        (2, 2, Segment.HIBERNATING),
        (1, 2, Segment.HIBERNATING),
        (1, 1, Segment.LOST),
    ],
)
def test_cells_of_the_map(r, f, segment):
    assert segment_for(r, f) == segment


def test_rules_as_text():
    assert segment_rule(Segment.CHAMPIONS) == "R 5, F 4–5"
    assert segment_rule(Segment.LOYAL) == "R 3–4, F 4–5"
    assert segment_rule(Segment.HIBERNATING) == "R 2, F 1–2 or R 1, F 2"
    assert segment_rule(Segment.LOST) == "R 1, F 1"
