"""The CDNOW sample (tests/data/CDNOW_sample.txt, see the README beside it) as the models' tests
use it: one row per order, summarised as in Fader, Hardie & Lee (2005): purchases on the same
day merged, 39-week calibration period 1997-01-01 to 1997-09-30, holdout to 1998-06-30, weeks."""

from functools import cache
from pathlib import Path

import numpy as np

from regulars.insights.clv import Summary, summarize

SAMPLE = Path(__file__).parent / "data" / "CDNOW_sample.txt"
CALIBRATION_END = np.datetime64("1997-09-30")
OBSERVATION_END = np.datetime64("1998-06-30")


@cache
def orders() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(sample customer id, purchase date, dollar value) per row of the file."""
    columns = np.loadtxt(SAMPLE, dtype=str, usecols=(1, 2, 4), unpack=True)
    dates = np.array([f"{d[:4]}-{d[4:6]}-{d[6:]}" for d in columns[1]], dtype="datetime64[D]")
    return columns[0].astype(np.int64), dates, columns[2].astype(np.float64)


@cache
def calibration() -> Summary:
    return summarize(
        *orders(),
        observation_end=OBSERVATION_END,
        calibration_end=CALIBRATION_END,
        unit_days=7.0,
    )
