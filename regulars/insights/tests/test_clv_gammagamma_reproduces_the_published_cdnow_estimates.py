"""On the CDNOW sample's 946 repeat customers, the Gamma-Gamma fit gives the published
estimates of Fader, Hardie & Lee (2005, "RFM and CLV"): p = 6.25, q = 3.74, gamma = 15.44, and
the weak correlation of frequency and spend (0.11) that the paper reports."""

from regulars.insights.clv import fit_gammagamma
from regulars.insights.tests.clv_cdnow import calibration


def test_the_fit_reproduces_the_published_parameters():
    s = calibration()

    fit = fit_gammagamma(s.frequency, s.monetary_value)

    assert (round(fit.p, 2), round(fit.q, 2), round(fit.gamma, 2)) == (6.25, 3.74, 15.44)
    assert fit.n == 946
    assert fit.excluded == 0
    assert round(fit.mean_spend, 2) == 35.17


def test_the_independence_check_finds_the_correlation_weak():
    s = calibration()

    fit = fit_gammagamma(s.frequency, s.monetary_value)

    assert round(fit.correlation, 2) == 0.11
    assert fit.independence == "weak"
    assert fit.verdict == (
        "Weak correlation of purchase frequency and spend (+0.11): the model's assumption that"
        " they are independent holds."
    )
