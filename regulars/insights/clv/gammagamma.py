"""The Gamma-Gamma model of spend per purchase: Fader, Hardie & Lee (2005), "RFM and CLV: Using
Iso-Value Curves for Customer Base Analysis", Journal of Marketing Research 42(4), 415-430, as
written out in Fader & Hardie (2013), "The Gamma-Gamma Model of Monetary Value".

A customer's purchase values are gamma (shape p, rate nu); nu varies across customers as a
gamma (shape q, rate gamma). Fitted on repeat customers only, from x (repeat purchases) and m
(their mean value), by maximum likelihood with the analytic gradient. The model assumes that how
much a customer spends does not depend on how often they buy; `independence` reports the
correlation of the two among the fitted customers, with a plain verdict for the merchant.
"""

from dataclasses import dataclass, field

import numpy as np
from scipy import special

from ._shared import LOG_BOUNDS, SLICE, check_fit, codes, dot, maximise, standard_errors
from .errors import FitErrorCode, ModelFitError, require_enough_repeat_customers, require_finite

MODEL = "gammagamma"
VERSION = 1
PARAMETERS = ("p", "q", "gamma")
WEAK, MODERATE = 0.3, 0.5


@dataclass(frozen=True)
class GammaGammaFit:
    p: float
    q: float
    gamma: float
    log_likelihood: float
    n: int  # repeat customers fitted
    converged: bool
    correlation: float  # Pearson, frequency vs mean spend, among the fitted customers
    independence: str  # "weak", "moderate" or "strong" correlation
    verdict: str  # the same in a sentence for the merchant
    excluded: int = 0  # repeat customers left out because their mean spend was not positive
    iterations: int = 0
    standard_errors: dict = field(default_factory=dict)

    @property
    def params(self) -> np.ndarray:
        return np.array([self.p, self.q, self.gamma])

    @property
    def same_mean_spend(self) -> bool:
        """True for the point-mass limit: customers' mean spend differs only by chance, so
        every customer's expected spend is the population's `mean_spend`."""
        return self.q > _SAME_SPEND_ABOVE

    @property
    def mean_spend(self) -> float:
        """The population's mean spend per purchase, p gamma / (q - 1)."""
        return self.p * self.gamma / (self.q - 1.0)

    def as_dict(self) -> dict:
        return {
            "model": MODEL,
            "version": VERSION,
            "params": dict(zip(PARAMETERS, map(float, self.params), strict=True)),
            **{
                k: getattr(self, k)
                for k in (
                    "log_likelihood",
                    "n",
                    "converged",
                    "correlation",
                    "independence",
                    "verdict",
                    "excluded",
                    "iterations",
                    "standard_errors",
                )
            },
        }

    @classmethod
    def from_dict(cls, data: dict) -> "GammaGammaFit":
        if data.get("model") != MODEL or data.get("version") != VERSION:
            raise ModelFitError(
                f"Not a Gamma-Gamma fit of version {VERSION}: model {data.get('model')!r},"
                f" version {data.get('version')!r}."
            )
        rest = {k: v for k, v in data.items() if k not in ("model", "version", "params")}
        try:
            return cls(**data["params"], **rest)
        except (KeyError, TypeError) as exc:
            raise ModelFitError(f"A stored Gamma-Gamma fit lacks or mistypes {exc}.") from exc


@dataclass(frozen=True)
class _Spend:
    """Repeat customers: per distinct x the count, and per customer x, m x and the constant
    sums of the likelihood's terms that are linear in p."""

    xs: np.ndarray
    x_weight: np.ndarray
    x: np.ndarray
    total: np.ndarray  # m x, the customer's total repeat spend
    sum_log_total: float
    sum_x_log_total: float
    sum_log_x: float
    sum_x: float
    n: int


def _spend(x: np.ndarray, m: np.ndarray) -> _Spend:
    xs, inverse = codes(x.astype(np.int64))
    total = m * x
    log_total = np.log(total)
    return _Spend(
        xs=xs.astype(np.float64),
        x_weight=np.bincount(inverse, minlength=xs.size).astype(np.float64),
        x=x,
        total=total,
        sum_log_total=float(log_total.sum()),
        sum_x_log_total=dot(x, log_total),
        sum_log_x=float(np.log(x).sum()),
        sum_x=float(x.sum()),
        n=x.size,
    )


def _log_likelihood(params: np.ndarray, s: _Spend, gradient: bool = True):
    """Sum over customers of the log of the density of the mean spend m of x purchases
    (Fader & Hardie 2013):
    ln G(px+q) - ln G(px) - ln G(q) + q ln gamma + (px-1) ln(mx) + ln x - (px+q) ln(gamma+mx).
    Written so that no two large terms cancel when q and gamma are large (customers' mean spend
    alike): the gamma functions as -ln B(px, q), and ln(gamma+mx) as ln gamma + L with
    L = ln(1 + mx/gamma). Only L needs a pass over the customers (`_row_sums`); the rest is per
    distinct x or precomputed."""
    p, q, gamma = params
    px = p * s.xs
    log_gamma = np.log(gamma)
    sum_l, sum_xl, sum_share, sum_x_inv = _row_sums(gamma, s)
    ll = (
        -dot(s.x_weight, special.betaln(px, q))
        + p * (s.sum_x_log_total - s.sum_x * log_gamma)
        - s.sum_log_total
        + s.sum_log_x
        - p * sum_xl
        - q * sum_l
    )
    if not gradient:
        return ll, None
    psi_pxq = special.digamma(px + q)
    grad = np.array(
        [
            dot(s.x_weight, s.xs * (psi_pxq - special.digamma(px)))
            + s.sum_x_log_total
            - s.sum_x * log_gamma
            - sum_xl,
            dot(s.x_weight, psi_pxq - special.digamma(q)) - sum_l,
            q / gamma * sum_share - p * sum_x_inv,
        ]
    )
    return ll, grad


def _row_sums(gamma: float, s: _Spend) -> np.ndarray:
    """Sums over customers of L = ln(1 + mx/gamma), x L, mx/(gamma + mx) and x/(gamma + mx)."""
    sums = np.zeros(4)
    for lo in range(0, s.n, SLICE):
        x, t = s.x[lo : lo + SLICE], s.total[lo : lo + SLICE]
        log_g = np.log1p(t / gamma)
        inv_g = 1.0 / (gamma + t)
        sums += (log_g.sum(), x @ log_g, t @ inv_g, x @ inv_g)
    return sums


def log_likelihood(params, frequency, monetary_value) -> float:
    """The Gamma-Gamma log-likelihood of repeat customers (frequency > 0, spend > 0)."""
    s = _spend(*_repeat_customers(frequency, monetary_value)[:2])
    return float(_log_likelihood(_params(params), s, gradient=False)[0])


def log_likelihood_gradient(params, frequency, monetary_value) -> np.ndarray:
    """The analytic gradient of `log_likelihood` in (p, q, gamma)."""
    s = _spend(*_repeat_customers(frequency, monetary_value)[:2])
    return _log_likelihood(_params(params), s)[1]


def _params(params) -> np.ndarray:
    v = np.asarray(params, dtype=np.float64).reshape(-1)
    if v.size != 3 or not np.all(np.isfinite(v) & (v > 0)):
        raise ModelFitError(f"Gamma-Gamma parameters must be 3 positive numbers, not {params!r}.")
    return v


def _as_fm(frequency, monetary_value) -> tuple[np.ndarray, np.ndarray]:
    f = np.asarray(frequency)
    m = np.asarray(monetary_value, dtype=np.float64)
    if f.ndim != 1 or f.shape != m.shape:
        raise ModelFitError(
            "frequency and monetary_value must be 1-dimensional arrays of one length"
            f" (got shapes {f.shape}, {m.shape})."
        )
    f64 = f.astype(np.float64)
    if not np.all(np.isfinite(f64) & (f64 >= 0) & (f64 == np.round(f64))):
        raise ModelFitError("frequency must be whole numbers >= 0.")
    if not np.all(np.isfinite(m)):
        raise ModelFitError("monetary_value must be finite numbers.")
    return f64, m


def _repeat_customers(frequency, monetary_value):
    """x and m of the repeat customers with a positive mean spend, and how many repeat
    customers were left out for a spend of zero or less (free or refunded purchases)."""
    f, m = _as_fm(frequency, monetary_value)
    repeat = f > 0
    usable = repeat & (m > 0)
    return f[usable], m[usable], int(repeat.sum() - usable.sum())


# --- fit -------------------------------------------------------------------------------------


def fit_gammagamma(frequency, monetary_value) -> GammaGammaFit:
    """Maximum-likelihood Gamma-Gamma parameters from all customers' frequency and mean repeat
    spend (one-time buyers are ignored, as the model needs repeat purchases)."""
    x, m, excluded = _repeat_customers(frequency, monetary_value)
    require_enough_repeat_customers(x, "The Gamma-Gamma spend model", repeat_only=True)
    s = _spend(x, m)

    def objective(theta):
        v = np.exp(theta)
        ll, g = _log_likelihood(v, s)
        return -ll / s.n, -(g * v) / s.n

    # p = 1, q = 2: a population mean spend p gamma / (q - 1) equal to the observed one.
    v, result = maximise(objective, np.log([1.0, 2.0, float(m.mean())]))
    errors = standard_errors(lambda x: _log_likelihood(x, s)[1], v, PARAMETERS)
    try:
        check_fit("Gamma-Gamma spend", result, v, errors, _UNFITTABLE)
    except ModelFitError:
        if not v[1] > _SAME_SPEND_ABOVE:
            raise
        v, result, errors = _fit_same_mean_spend(s, v)
    if v[1] <= 1.0:
        raise ModelFitError(
            f"Spend varies so much between customers (q = {v[1]:.3f} <= 1) that the model's"
            " mean spend is infinite; its predicted values would be meaningless.",
            code=FitErrorCode.DID_NOT_CONVERGE,
        )
    ll = float(_log_likelihood(v, s, gradient=False)[0])
    require_finite("Gamma-Gamma log-likelihood", ll)
    correlation, independence, verdict = independence_check(x, m)
    return GammaGammaFit(
        *map(float, v),
        log_likelihood=ll,
        n=int(x.size),
        converged=True,
        correlation=correlation,
        independence=independence,
        verdict=verdict,
        excluded=excluded,
        iterations=int(result.nit),
        standard_errors=errors,
    )


_UNFITTABLE = "the repeat customers are too few, or their spend too uniform, for the model"
# A fit that cannot pin down q, above this (nu's spread under 3 % of its mean): the spread of nu (how much customers' mean spend differs) has
# collapsed to nothing; q is then held at _SAME_SPEND_Q (nu's spread 1 % of its mean), large
# enough to be that limit, small enough for ln G(px+q) - ln G(q) to be computed accurately.
_SAME_SPEND_ABOVE = 1e3
_SAME_SPEND_Q = 1e4


def _fit_same_mean_spend(s, start: np.ndarray):
    """The Gamma-Gamma with one nu for all customers (the gamma's point-mass limit: customers'
    mean spend differs only by chance): p and the mean spend mu = p gamma / (q - 1) fitted, with
    q fixed large and gamma = mu (q - 1) / p. Every customer's expected spend is then about mu.
    Standard errors of q and gamma are None (only mu is determined, its standard error is
    "mean_spend"); the fit's `same_mean_spend` says so."""
    q = _SAME_SPEND_Q

    def full(theta):
        p, mu = np.exp(theta)
        return np.array([p, q, mu * (q - 1.0) / p])

    def objective(theta):
        v = full(theta)
        ll, g = _log_likelihood(v, s)
        # d/d ln p at fixed mu moves gamma as 1/p; d/d ln mu moves gamma alone
        grad = np.array([g[0] * v[0] - g[2] * v[2], g[2] * v[2]])
        return -ll / s.n, -grad / s.n

    mean = start[0] * start[2] / (start[1] - 1.0)
    _, result = maximise(objective, np.log([start[0], mean]), [LOG_BOUNDS] * 2)
    v = full(result.x)
    p, mu = np.exp(result.x)

    def gradient_pm(x):  # in (p, mu)
        g = _log_likelihood(np.array([x[0], q, x[1] * (q - 1.0) / x[0]]), s)[1]
        return np.array([g[0] - g[2] * x[1] * (q - 1.0) / x[0] ** 2, g[2] * (q - 1.0) / x[0]])

    errors = standard_errors(gradient_pm, np.array([p, mu]), ("p", "mean_spend"))
    check_fit("Gamma-Gamma spend", result, np.array([p, mu]), errors, _UNFITTABLE)
    return v, result, {"p": errors["p"], "q": None, "gamma": None, **errors}


def independence_check(frequency, monetary_value) -> tuple[float, str, str]:
    """Pearson correlation of frequency and mean spend among repeat customers, its strength
    (|c| < 0.3 weak, < 0.5 moderate, else strong) and a sentence saying what it means."""
    x, m = np.asarray(frequency, dtype=np.float64), np.asarray(monetary_value, dtype=np.float64)
    if x.size < 2 or x.std() == 0 or m.std() == 0:
        return 0.0, "weak", "Spend cannot be related to frequency here: one of them never varies."
    dx, dm = x - x.mean(), m - m.mean()
    c = dot(dx, dm) / np.sqrt(dot(dx, dx) * dot(dm, dm))
    if abs(c) < WEAK:
        return (
            c,
            "weak",
            (
                f"Weak correlation of purchase frequency and spend ({c:+.2f}): the model's"
                " assumption that they are independent holds."
            ),
        )
    if abs(c) < MODERATE:
        return (
            c,
            "moderate",
            (
                f"Moderate correlation of purchase frequency and spend ({c:+.2f}): the model"
                " assumes none; treat its spend predictions with care."
            ),
        )
    return (
        c,
        "strong",
        (
            f"Strong correlation of purchase frequency and spend ({c:+.2f}): the model's"
            " independence assumption does not hold; its spend predictions are unreliable."
        ),
    )


# --- predictions -----------------------------------------------------------------------------


def conditional_expected_spend(fit, frequency, monetary_value) -> np.ndarray:
    """E[M | p, q, gamma, m, x] = (gamma + m x) p / (p x + q - 1) (Fader & Hardie 2013): a
    weighted mean of the population's mean spend and the customer's own, the weight on their
    own growing with x. One-time buyers get the population mean; a negative mean spend (more
    refunded than bought) counts as 0."""
    f, m = _as_fm(frequency, monetary_value)
    p, q, gamma = fit.p, fit.q, fit.gamma
    out = (gamma + np.maximum(m, 0.0) * f) * p / (p * f + q - 1.0)
    require_finite("expected spend", out)
    return out


# --- simulation ------------------------------------------------------------------------------


def simulate_gammagamma(p, q, gamma, frequency, rng: np.random.Generator) -> np.ndarray:
    """Mean repeat spend drawn from the model for customers with these frequencies (0 where
    the frequency is 0): nu ~ Gamma(q, gamma); the x purchases' total is Gamma(p x, nu)."""
    x = np.asarray(frequency, dtype=np.float64)
    nu = rng.gamma(q, 1.0 / gamma, x.size)
    repeat = x > 0
    total = rng.gamma(np.where(repeat, p * x, 1.0), 1.0 / nu)
    return np.where(repeat, total / np.maximum(x, 1.0), 0.0)
