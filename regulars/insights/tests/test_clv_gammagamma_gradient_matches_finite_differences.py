"""The Gamma-Gamma log-likelihood's analytic gradient equals central finite differences."""

import numpy as np
import pytest

from regulars.insights.clv import gammagamma
from regulars.insights.tests.clv_cdnow import calibration


@pytest.mark.parametrize(
    "params", [(6.25, 3.74, 15.44), (1.0, 2.0, 1.0), (0.3, 12.0, 400.0), (40.0, 1.5, 0.2)]
)
def test_on_the_cdnow_sample(params):
    s = calibration()
    params = np.asarray(params)
    numeric = np.empty(3)
    for i in range(3):
        step = np.zeros(3)
        step[i] = 1e-6 * params[i]
        up = gammagamma.log_likelihood(params + step, s.frequency, s.monetary_value)
        down = gammagamma.log_likelihood(params - step, s.frequency, s.monetary_value)
        numeric[i] = (up - down) / (2 * step[i])

    analytic = gammagamma.log_likelihood_gradient(params, s.frequency, s.monetary_value)

    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-3)
