"""The BG/NBD log-likelihood's analytic gradient equals central finite differences."""

import numpy as np
import pytest

from regulars.insights.clv import bgnbd, simulate_bgnbd
from regulars.insights.tests.clv_cdnow import calibration


def _finite_differences(params, *data, relative_step=1e-6):
    params = np.asarray(params, dtype=np.float64)
    out = np.empty(params.size)
    for i in range(params.size):
        step = np.zeros(params.size)
        step[i] = relative_step * params[i]
        up = bgnbd.log_likelihood(params + step, *data)
        down = bgnbd.log_likelihood(params - step, *data)
        out[i] = (up - down) / (2 * step[i])
    return out


@pytest.mark.parametrize(
    "params",
    [
        (0.243, 4.414, 0.793, 2.426),  # the CDNOW optimum: gradient near zero
        (1.0, 1.0, 1.0, 1.0),
        (0.05, 30.0, 2.5, 0.4),
        (3.0, 0.5, 0.2, 12.0),
    ],
)
def test_on_the_cdnow_sample(params):
    s = calibration()
    data = (s.frequency, s.recency, s.T)

    analytic = bgnbd.log_likelihood_gradient(params, *data)

    np.testing.assert_allclose(analytic, _finite_differences(params, *data), rtol=1e-5, atol=1e-3)


def test_on_simulated_customers_with_ages_of_zero_and_large_frequencies():
    rng = np.random.default_rng(7)
    T = np.concatenate([np.zeros(50), rng.uniform(0, 300, 2000)])
    f, r = simulate_bgnbd(2.0, 10.0, 0.5, 5.0, T, rng)
    assert f.max() > 60 and (T == 0).sum() == 50
    params = (1.5, 8.0, 0.6, 4.0)

    analytic = bgnbd.log_likelihood_gradient(params, f, r, T)

    np.testing.assert_allclose(analytic, _finite_differences(params, f, r, T), rtol=1e-5, atol=1e-3)


def test_weights_count_as_repeated_customers():
    f, r, T = np.array([0, 2, 5]), np.array([0.0, 3.0, 9.5]), np.array([4.0, 10.0, 10.0])
    weights = np.array([3, 1, 2])
    repeated = (np.repeat(f, weights), np.repeat(r, weights), np.repeat(T, weights))
    params = (0.7, 2.0, 1.3, 2.2)

    assert np.isclose(
        bgnbd.log_likelihood(params, f, r, T, weights), bgnbd.log_likelihood(params, *repeated)
    )
    np.testing.assert_allclose(
        bgnbd.log_likelihood_gradient(params, f, r, T, weights),
        bgnbd.log_likelihood_gradient(params, *repeated),
    )
