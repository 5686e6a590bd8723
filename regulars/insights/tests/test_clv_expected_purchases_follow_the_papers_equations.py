"""Expected purchases: the conditional expectation E[Y(t) | x, t_x, T] (equation 10) and the
unconditional E[X(t)] (equation 9) of Fader, Hardie & Lee (2005)."""

import numpy as np
import pytest
from scipy import integrate, stats
from scipy.special import hyp2f1

from regulars.insights.clv import (
    BGNBDFit,
    expected_purchases,
    expected_purchases_new,
    p_alive,
    time_to_next_purchase,
)
from regulars.insights.tests.clv_cdnow import calibration

CDNOW = BGNBDFit(0.243, 4.414, 0.793, 2.426, log_likelihood=-9582.4, n=2357, converged=True)


def _equation_10(fit, t, x, tx, T):
    """Written as printed in the paper, without the library's rearrangement."""
    r, alpha, a, b = fit.params
    z = t / (alpha + T + t)
    head = (a + b + x - 1) / (a - 1)
    tail = ((alpha + T) / (alpha + T + t)) ** (r + x) * hyp2f1(r + x, b + x, a + b + x - 1, z)
    alive = 1 + (x > 0) * a / (b + x - 1) * ((alpha + T) / (alpha + tx)) ** (r + x)
    return head * (1 - tail) / alive


def _hyp2f1_series(a, b, c, z, terms=4000):
    """The hypergeometric series summed term by term (for z well below 1): each term is the
    previous one times (a+n)(b+n) z / ((c+n)(n+1))."""
    n = np.arange(terms - 1)
    ratios = (a + n) * (b + n) * z / ((c + n) * (n + 1))
    return float(1.0 + np.cumprod(ratios).sum())


def test_it_matches_equation_10_on_every_cdnow_customer():
    s = calibration()
    for t in (1.0, 13.0, 39.0, 104.0):
        ours = expected_purchases(CDNOW, t, s.frequency, s.recency, s.T)
        paper = _equation_10(CDNOW, t, s.frequency.astype(float), s.recency, s.T)
        np.testing.assert_allclose(ours, paper, rtol=1e-9)


def test_the_hypergeometric_function_is_accurate_where_it_is_used():
    x, T, t = 20.0, 30.0, 26.0
    r, alpha, a, b = CDNOW.params
    z = t / (alpha + T + t)

    series = _hyp2f1_series(r + x, b + x, a + b + x - 1, z)

    assert np.isclose(hyp2f1(r + x, b + x, a + b + x - 1, z), series, rtol=1e-10)
    expected = _equation_10(CDNOW, t, x, 29.0, T)
    assert np.isclose(expected_purchases(CDNOW, t, [20], [29.0], [T])[0], expected, rtol=1e-9)


def test_it_grows_with_the_length_of_the_period():
    s = calibration()
    horizons = [0.0, 1.0, 4.0, 13.0, 52.0, 520.0]

    by_horizon = np.array(
        [expected_purchases(CDNOW, t, s.frequency, s.recency, s.T) for t in horizons]
    )

    assert np.all(by_horizon[0] == 0.0)
    assert np.all(np.diff(by_horizon, axis=0) > 0)


def test_a_new_customer_expects_equation_9():
    r, alpha, a, b = CDNOW.params
    t = np.array([0.0, 1.0, 39.0, 78.0])
    printed = (
        (a + b - 1)
        / (a - 1)
        * (1 - (alpha / (alpha + t)) ** r * hyp2f1(r, b, a + b - 1, t / (alpha + t)))
    )

    np.testing.assert_allclose(expected_purchases_new(CDNOW, t), printed, rtol=1e-10)
    assert np.isclose(
        expected_purchases(CDNOW, 39.0, [0], [0.0], [0.0])[0], expected_purchases_new(CDNOW, 39.0)
    )


def test_a_equal_to_one_is_handled_by_continuity():
    near = [BGNBDFit(0.243, 4.414, a, 2.426, 0.0, 0, True) for a in (1 - 1e-4, 1.0, 1 + 1e-4)]

    values = [expected_purchases(fit, 39.0, [3], [20.0], [38.0])[0] for fit in near]

    assert np.all(np.isfinite(values))
    assert np.isclose(values[1], (values[0] + values[2]) / 2, rtol=1e-6)


def test_time_to_next_purchase_is_when_one_purchase_is_expected():
    fit = BGNBDFit(0.243, 4.414, 0.793, 2.426, 0.0, 2357, True, max_T=39.0)
    f, r, T = np.array([10, 3, 0, 1]), np.array([38.0, 36.0, 0.0, 2.0]), np.array([39.0] * 4)

    t = time_to_next_purchase(fit, f, r, T)

    assert np.isfinite(t[:2]).all() and np.isinf(t[2:]).all()  # the others: not in 39 weeks
    assert t[0] < t[1]  # the more frequent buyer comes back sooner
    np.testing.assert_allclose(expected_purchases(fit, t[0], f[:1], r[:1], T[:1]), 1.0, rtol=1e-6)
    np.testing.assert_allclose(
        expected_purchases(fit, t[1], f[1:2], r[1:2], T[1:2]), 1.0, rtol=1e-6
    )
    longer = time_to_next_purchase(fit, f, r, T, max_t=1e6)
    assert np.isfinite(longer[2]) and longer[2] > 39.0
    assert np.isclose(longer[0], t[0], rtol=1e-6)


@pytest.mark.parametrize(
    ("a", "b"),
    [(0.793, 2.426), (5.0, 20.0), (3000.0, 14000.0), (313246.2, 1407289.9)],
)
def test_it_is_the_mean_over_the_dropout_probability_even_for_huge_a_and_b(a, b):
    # An active customer with rate ~ Gamma(r+x, alpha+T) and dropout probability p expects
    # (1 - ((alpha+T)/(alpha+T+p t))^(r+x)) / p purchases in t; p ~ Beta(a, b+x) given x.
    # Huge a and b (every customer drops out with nearly the same p) overflow the
    # hypergeometric form; the library must still give the integral's value.
    r, alpha, t = 0.93, 56.7, 104.0
    fit = BGNBDFit(r, alpha, a, b, 0.0, 0, True)
    x, tx, T = (
        np.array([0, 1, 5, 40]),
        np.array([0.0, 60.0, 250.0, 299.0]),
        np.array([3.0, 100.0, 300.0, 300.0]),
    )

    ours = expected_purchases(fit, t, x, tx, T)

    def integral(x, T):
        def weighted(p):
            purchases = -np.expm1((r + x) * np.log((alpha + T) / (alpha + T + p * t))) / p
            return purchases * stats.beta.pdf(p, a, b + x)

        lo, hi = stats.beta.ppf([1e-13, 1 - 1e-13], a, b + x)
        return integrate.quad(weighted, lo, hi, limit=500, epsabs=0, epsrel=1e-11)[0]

    means = np.array([integral(*pair) for pair in zip(x, T, strict=True)])
    expected = p_alive(fit, x, tx, T) * means
    np.testing.assert_allclose(ours, expected, rtol=1e-9)
