"""On the CDNOW sample, the BG/NBD fit gives Fader, Hardie & Lee's (2005) published estimates:
r = 0.243, alpha = 4.414, a = 0.793, b = 2.426 and log-likelihood -9582.4."""

import numpy as np

from regulars.insights.clv import fit_bgnbd
from regulars.insights.tests.clv_cdnow import calibration


def _significant(value: float, digits: int = 3) -> float:
    return float(f"{value:.{digits}g}")


def test_the_sample_summarises_as_in_the_paper():
    s = calibration()

    assert len(s) == 2357
    assert int((s.frequency > 0).sum()) == 946  # 1,411 made no repeat purchase
    assert int(s.frequency.sum()) == 2457  # repeat purchases in the 39 weeks
    # The first customer: purchases on 1 and 18 January and 2 August 1997.
    assert s.frequency[0] == 2
    assert np.isclose(s.recency[0], 213 / 7)
    assert np.isclose(s.T[0], 272 / 7)
    assert s.holdout_length == 39.0


def test_the_fit_reproduces_the_published_parameters_and_log_likelihood():
    s = calibration()

    fit = fit_bgnbd(s.frequency, s.recency, s.T)

    assert [_significant(v) for v in (fit.r, fit.alpha, fit.a, fit.b)] == [
        0.243,
        4.41,
        0.793,
        2.43,
    ]
    assert round(fit.alpha, 3) == 4.414
    assert round(fit.b, 3) == 2.426
    assert round(fit.log_likelihood, 1) == -9582.4
    assert fit.converged
    assert fit.n == 2357
    assert np.isclose(fit.max_T, 272 / 7)
    assert all(0 < e < np.inf for e in fit.standard_errors.values())
