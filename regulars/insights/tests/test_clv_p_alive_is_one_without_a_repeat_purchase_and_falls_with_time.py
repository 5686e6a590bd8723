"""P(alive) under BG/NBD: 1 for a customer without a repeat purchase (the model lets customers
drop out only after a repeat purchase), and falling as time passes since the last purchase."""

import numpy as np

from regulars.insights.clv import BGNBDFit, p_alive

CDNOW = BGNBDFit(0.243, 4.414, 0.793, 2.426, log_likelihood=-9582.4, n=2357, converged=True)


def test_a_customer_without_a_repeat_purchase_is_alive_whatever_their_age():
    assert p_alive(CDNOW, [0, 0, 0], [0.0, 0.0, 0.0], [0.0, 5.0, 500.0]).tolist() == [1.0] * 3


def test_it_falls_as_time_passes_since_the_last_purchase():
    ages = np.array([20.0, 25.0, 30.0, 40.0, 80.0])

    alive = p_alive(CDNOW, np.full(5, 3), np.full(5, 20.0), ages)

    assert alive[0] == 1 / (1 + 0.793 / (2.426 + 2))  # bought just now: only the coin flip
    assert np.all(np.diff(alive) < 0)
    assert 0 < alive[-1] < 0.1


def test_it_matches_the_closed_form():
    # Fader, Hardie & Lee (2008), equation (2), for x = 2, t_x = 30.43, T = 38.86 (weeks).
    x, tx, T = 2, 30.43, 38.86
    expected = 1 / (1 + 0.793 / (2.426 + x - 1) * ((4.414 + T) / (4.414 + tx)) ** (0.243 + x))

    assert np.isclose(p_alive(CDNOW, [x], [tx], [T])[0], expected, rtol=1e-12)
