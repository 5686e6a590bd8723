"""The BG/NBD model of repeat buying: Fader, Hardie & Lee (2005), "Counting Your Customers the
Easy Way: An Alternative to the Pareto/NBD Model", Marketing Science 24(2), 275-284.

While active, a customer buys at a Poisson rate lambda (gamma distributed across customers,
shape r, rate alpha); after each repeat purchase they drop out for good with probability p
(beta distributed, a and b). A customer is described by frequency x (repeat purchases), recency
t_x (time of the last purchase after the first) and age T (time since the first purchase), all
in one time unit (weeks, days); equation numbers below are the paper's.

The fit is maximum likelihood with the analytic gradient, on the log of the parameters, over the
distinct (x, t_x, T) combinations weighted by how many customers share them, and the special
functions evaluated once per distinct x, t_x and T: cost grows with the number of distinct
histories, not with the number of customers.
"""

from dataclasses import dataclass, field

import numpy as np
from scipy import special

from ._shared import (
    LOG_BOUNDS,
    SLICE,
    as_rft,
    check_fit,
    codes,
    combine,
    dot,
    group_rows,
    maximise,
    split,
    standard_errors,
)
from .errors import ModelFitError, require_enough_repeat_customers, require_finite

MODEL = "bgnbd"
VERSION = 1
PARAMETERS = ("r", "alpha", "a", "b")
# time_to_next_purchase bisects log t over 30 (e^-30 of the cap is "now") in 28 halvings.
_LOG_RANGE = 30.0
_BISECTION_STEPS = 28


@dataclass(frozen=True)
class BGNBDFit:
    r: float
    alpha: float
    a: float
    b: float
    log_likelihood: float
    n: int  # customers fitted
    converged: bool
    iterations: int = 0
    standard_errors: dict = field(default_factory=dict)  # from the inverse Hessian
    max_T: float = 0.0  # the longest customer age in the data: the history the model saw

    @property
    def same_dropout(self) -> bool:
        """True for the point-mass limit: every customer drops out after a purchase with the
        same probability `dropout`."""
        return self.a + self.b > _SAME_DROPOUT_ABOVE

    @property
    def dropout(self) -> float:
        """The mean probability of dropping out after a repeat purchase, a / (a + b)."""
        return self.a / (self.a + self.b)

    @property
    def params(self) -> np.ndarray:
        return np.array([self.r, self.alpha, self.a, self.b])

    def as_dict(self) -> dict:
        """JSON-ready: model name, version, parameters and fit statistics (never a pickle)."""
        return {
            "model": MODEL,
            "version": VERSION,
            "params": dict(zip(PARAMETERS, map(float, self.params), strict=True)),
            "log_likelihood": self.log_likelihood,
            "n": self.n,
            "converged": self.converged,
            "iterations": self.iterations,
            "standard_errors": self.standard_errors,
            "max_T": self.max_T,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "BGNBDFit":
        if data.get("model") != MODEL or data.get("version") != VERSION:
            raise ModelFitError(
                f"Not a BG/NBD fit of version {VERSION}: model {data.get('model')!r},"
                f" version {data.get('version')!r}."
            )
        try:
            fields = {k: data[k] for k in ("log_likelihood", "n", "converged", "iterations")}
            return cls(
                **data["params"],
                **fields,
                standard_errors=dict(data.get("standard_errors", {})),
                max_T=data.get("max_T", 0.0),
            )
        except (KeyError, TypeError) as exc:
            raise ModelFitError(f"A stored BG/NBD fit lacks or mistypes {exc}.") from exc


# --- likelihood ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Histories:
    """Customers grouped: per distinct x, per distinct T (those without a repeat purchase),
    and per distinct (x, t_x, T) with x > 0 ("tuples"), each with its number of customers."""

    xs: np.ndarray
    x_weight: np.ndarray
    Ts: np.ndarray
    zero_weight: np.ndarray
    txs: np.ndarray
    ix: np.ndarray  # per tuple: index into xs, Ts, txs
    iT: np.ndarray
    itx: np.ndarray
    weight: np.ndarray  # per tuple: customers
    weight_x: np.ndarray  # per tuple: customers times x
    n: float


def _histories(f: np.ndarray, r: np.ndarray, T: np.ndarray, weights=None) -> _Histories:
    w = np.ones(f.size) if weights is None else _weights(weights, f.size)
    xs, ix = codes(f)
    Ts, iT = codes(T)
    txs, itx = codes(r)
    zero = f == 0
    rep = ~zero
    sizes = [xs.size, Ts.size, txs.size]
    key = combine((ix[rep], sizes[0]), (iT[rep], sizes[1]), (itx[rep], sizes[2]))
    if weights is None:
        keys, weight = np.unique(key, return_counts=True)
        weight = weight.astype(np.float64)
    else:
        keys, inverse = codes(key)
        weight = np.bincount(inverse, w[rep], minlength=keys.size)
    tix, tiT, titx = split(keys, sizes)
    xs = xs.astype(np.float64)
    return _Histories(
        xs=xs,
        x_weight=np.bincount(ix, w, minlength=xs.size),
        Ts=Ts,
        zero_weight=np.bincount(iT[zero], w[zero], minlength=Ts.size),
        txs=txs,
        ix=tix,
        iT=tiT,
        itx=titx,
        weight=weight,
        weight_x=weight * xs[tix],
        n=float(w.sum()),
    )


def _weights(weights, size: int) -> np.ndarray:
    w = np.asarray(weights, dtype=np.float64)
    if w.shape != (size,) or not np.all(np.isfinite(w) & (w >= 0)):
        raise ModelFitError("weights must be one finite, non-negative number per customer.")
    return w


def _log_likelihood(params: np.ndarray, h: _Histories, gradient: bool = True):
    """Sum of equation (6)'s log over the customers, and its gradient in (r, alpha, a, b).

    log L = ln G(r+x) - ln G(r) + r ln alpha + ln B(a, b+x) - ln B(a, b)
            + ln[ (alpha+T)^-(r+x) + [x>0] a/(b+x-1) (alpha+t_x)^-(r+x) ]
    The first line depends only on x and is evaluated per distinct x; the bracket per tuple,
    in `_tuple_sums`."""
    r, alpha, a, b = params
    xs = h.xs
    per_x = (
        special.gammaln(r + xs)
        - special.gammaln(r)
        + r * np.log(alpha)
        + special.betaln(a, b + xs)
        - special.betaln(a, b)
    )
    log_aT = np.log(alpha + h.Ts)
    s = _tuple_sums(params, h, gradient)
    ll = dot(h.x_weight, per_x) - r * dot(h.zero_weight, log_aT) + s[0] - s[1]
    if not gradient:
        return ll, None
    psi_ab = special.digamma(a + b)
    psi_abx = special.digamma(a + b + xs)
    grad = np.array(
        [
            dot(h.x_weight, special.digamma(r + xs) - special.digamma(r) + np.log(alpha))
            - dot(h.zero_weight, log_aT)
            - s[2]
            + s[3],
            h.n * r / alpha - r * dot(h.zero_weight, 1.0 / (alpha + h.Ts)) - s[4] - s[5] + s[6],
            dot(h.x_weight, psi_ab - psi_abx) + s[7] / a,
            dot(h.x_weight, special.digamma(b + xs) - psi_abx - special.digamma(b) + psi_ab) - s[8],
        ]
    )
    return ll, grad


def _tuple_sums(params, h: _Histories, gradient: bool) -> np.ndarray:
    """Weighted sums over the (x, t_x, T) tuples of the likelihood's bracket and of the
    pieces of its gradient. The bracket is (alpha+T)^-(r+x) (1 + e^d) with
    d = ln a - ln(b+x-1) + (r+x) ln((alpha+T)/(alpha+t_x)); its log is taken as softplus(d),
    never as a difference of large numbers, and q = e^d / (1 + e^d) is the share of the
    likelihood from "dropped out after the last purchase"."""
    r, alpha, a, b = params
    log_aT = np.log(alpha + h.Ts)
    log_atx = np.log(alpha + h.txs)
    inv_aT = 1.0 / (alpha + h.Ts)
    inv_atx = 1.0 / (alpha + h.txs)
    b_x = b + np.maximum(h.xs, 1.0) - 1.0
    d_x = np.log(a) - np.log(b_x)
    inv_b_x = 1.0 / b_x
    sums = np.zeros(9)
    for lo in range(0, h.weight.size, SLICE):
        part = slice(lo, lo + SLICE)
        ix, iT, w = h.ix[part], h.iT[part], h.weight[part]
        lT = log_aT[iT]
        gap = lT - log_atx[h.itx[part]]  # ln((alpha+T)/(alpha+t_x)) >= 0
        w_rx = w * r + h.weight_x[part]  # customers times (r + x)
        d = d_x[ix] + (r + h.xs[ix]) * gap
        e = np.exp(-np.abs(d))
        sums[0] += w @ (np.maximum(d, 0.0) + np.log1p(e))
        sums[1] += w_rx @ lT
        if not gradient:
            continue
        q = np.where(d >= 0, 1.0, e) / (1.0 + e)
        wq = w * q
        w_rx_q = w_rx * q
        i_aT = inv_aT[iT]
        sums[2:] += (
            w @ lT,
            wq @ gap,
            w_rx @ i_aT,
            w_rx_q @ inv_atx[h.itx[part]],
            w_rx_q @ i_aT,
            wq.sum(),
            wq @ inv_b_x[ix],
        )
    return sums


def log_likelihood(params, frequency, recency, T, weights=None) -> float:
    """The BG/NBD log-likelihood (equation 6) of customers at params (r, alpha, a, b)."""
    h = _histories(*as_rft(frequency, recency, T), weights)
    return float(_log_likelihood(_params(params), h, gradient=False)[0])


def log_likelihood_gradient(params, frequency, recency, T, weights=None) -> np.ndarray:
    """The analytic gradient of `log_likelihood` in (r, alpha, a, b)."""
    h = _histories(*as_rft(frequency, recency, T), weights)
    return _log_likelihood(_params(params), h)[1]


def _params(params) -> np.ndarray:
    p = np.asarray(params, dtype=np.float64).reshape(-1)
    if p.size != 4 or not np.all(np.isfinite(p) & (p > 0)):
        raise ModelFitError(f"BG/NBD parameters must be 4 positive numbers, not {params!r}.")
    return p


# --- fit -------------------------------------------------------------------------------------


def fit_bgnbd(frequency, recency, T, *, weights=None) -> BGNBDFit:
    """Maximum-likelihood BG/NBD parameters; raises ModelFitError when the data cannot support
    a fit or the optimiser does not converge.

    When a and b run off together and cannot be pinned down (the data show no spread in the drop-out probability between
    customers: the beta distribution tends to a point mass at p = a/(a+b)), the model is refitted
    with that limit, p and a fixed large a+b, see `_fit_same_dropout`."""
    f, r, t = as_rft(frequency, recency, T)
    require_enough_repeat_customers(f, "BG/NBD", repeat_only=False)
    h = _histories(f, r, t, weights)

    def objective(theta):
        p = np.exp(theta)
        ll, g = _log_likelihood(p, h)
        return -ll / h.n, -(g * p) / h.n

    # Start from an NBD with the observed purchase rate (r = 1, so alpha = 1 / rate).
    total_age = dot(h.zero_weight, h.Ts) + dot(h.weight, h.Ts[h.iT])
    rate = (dot(h.x_weight, h.xs) + 1.0) / max(total_age, 1e-9)
    p, result = maximise(objective, np.log([1.0, float(np.clip(1.0 / rate, 1e-3, 1e6)), 1.0, 1.0]))
    errors = standard_errors(lambda x: _log_likelihood(x, h)[1], p, PARAMETERS)
    try:
        check_fit("BG/NBD", result, p, errors, _UNFITTABLE)
    except ModelFitError:
        if not p[2] + p[3] > _SAME_DROPOUT_ABOVE:
            raise
        return _fit_same_dropout(h, p, f.size, float(t.max()))
    return _fit_result(h, p, result, errors, f.size, float(t.max()))


_UNFITTABLE = (
    "the customers are too few, or their history too short or too regular, to tell how"
    " often they buy and how soon they drop out"
)
# A fit that cannot pin down a and b, with a+b above this (p's spread between customers under
# 0.016): the beta distribution of the drop-out probability has collapsed to a point; its concentration a+b is then held at _SAME_DROPOUT_SUM,
# where p's spread between customers is under 0.005 and the likelihood accurately computed.
_SAME_DROPOUT_ABOVE = 1e3
_SAME_DROPOUT_SUM = 1e4
_LOGIT_BOUNDS = (-30.0, 30.0)  # p from 1e-13 to 1 - 1e-13


def _fit_same_dropout(h: _Histories, start: np.ndarray, n: int, max_T: float) -> BGNBDFit:
    """The BG/NBD with one drop-out probability p for all customers (the beta's point-mass
    limit): r, alpha and p fitted, with a = p K and b = (1 - p) K for a fixed large K, so that
    every prediction works unchanged. Standard errors of a and b are None (only their ratio is
    determined, its standard error is "p"); the fit's `same_dropout` says so."""
    K = _SAME_DROPOUT_SUM

    def full(theta):
        p = special.expit(theta[2])
        return np.array([np.exp(theta[0]), np.exp(theta[1]), p * K, (1.0 - p) * K]), p

    def objective(theta):
        params, p = full(theta)
        ll, g = _log_likelihood(params, h)
        dp = K * (g[2] - g[3]) * p * (1.0 - p)
        return -ll / h.n, -np.array([g[0] * params[0], g[1] * params[1], dp]) / h.n

    theta0 = np.array(
        [np.log(start[0]), np.log(start[1]), special.logit(start[2] / start[2:].sum())]
    )
    _, result = maximise(objective, theta0, [LOG_BOUNDS, LOG_BOUNDS, _LOGIT_BOUNDS])
    params, p = full(result.x)

    def gradient_rap(x):  # in (r, alpha, p)
        g = _log_likelihood(np.array([x[0], x[1], x[2] * K, (1.0 - x[2]) * K]), h)[1]
        return np.array([g[0], g[1], K * (g[2] - g[3])])

    errors = standard_errors(gradient_rap, np.array([params[0], params[1], p]), ("r", "alpha", "p"))
    check_fit("BG/NBD", result, np.array([params[0], params[1], p]), errors, _UNFITTABLE)
    errors = {"r": errors["r"], "alpha": errors["alpha"], "a": None, "b": None, "p": errors["p"]}
    return _fit_result(h, params, result, errors, n, max_T)


def _fit_result(h, p, result, errors, n: int, max_T: float) -> BGNBDFit:
    ll = float(_log_likelihood(p, h, gradient=False)[0])
    require_finite("BG/NBD log-likelihood", ll)
    return BGNBDFit(
        *map(float, p),
        log_likelihood=ll,
        n=int(n),
        converged=True,
        iterations=int(result.nit),
        standard_errors=errors,
        max_T=max_T,
    )


# --- predictions -----------------------------------------------------------------------------


def p_alive(fit, frequency, recency, T) -> np.ndarray:
    """P(still active | x, t_x, T) (Fader, Hardie & Lee, "Computing P(alive) using the BG/NBD
    model", 2008): 1 / (1 + [x>0] a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x)); 1 for a customer
    without a repeat purchase, whom the model lets
    drop out only after a repeat purchase; for others it falls as time since t_x passes."""
    f, r, t = as_rft(frequency, recency, T)
    out = _p_alive(fit, f, r, t)
    require_finite("probability of being active", out)
    return out


def _p_alive(fit, f, r, t) -> np.ndarray:
    x = f.astype(np.float64)
    log_odds = (
        np.log(fit.a)
        - np.log(fit.b + np.maximum(x, 1.0) - 1.0)
        + (fit.r + x) * (np.log(fit.alpha + t) - np.log(fit.alpha + r))
    )
    return np.where(f > 0, special.expit(-log_odds), 1.0)


def _alive_expectation(fit, x, T, t):
    """E[Y(t) | alive, x, T]: equation (10)'s numerator, the expected purchases in (T, T+t] of
    a customer still active at T. Broadcasts over x, T and t; see `_expectation`."""
    if abs(fit.a - 1.0) < 1e-6:  # a removable singularity: the mean of both sides, O(1e-10)
        return (
            sum(_expectation(fit.r, fit.alpha, a, fit.b, x, T, t) for a in (1 - 1e-5, 1 + 1e-5)) / 2
        )
    return _expectation(fit.r, fit.alpha, fit.a, fit.b, x, T, t)


def _expectation(r, alpha, a, b, x, T, t):
    """(a+b+x-1)/(a-1) [1 - ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; z)], with
    z = t/(alpha+T+t), evaluated where it stays within floating point:

    - first through Euler's transformation, (1-z)^(a-1) 2F1(a+b-1-r, a-1; a+b+x-1; z), whose
      parameters do not grow with x (the printed form overflows for frequent buyers);
    - where that overflows (a large: the data say every customer drops out with nearly the
      same probability), the printed form;
    - where both do, the limit of a point mass at p = a/(a+b+x): for a customer active with
      dropout probability p and a rate gamma(r+x, alpha+T), the expected purchases are
      (1 - ((alpha+T)/(alpha+T+p t))^(r+x)) / p."""
    aT = alpha + np.asarray(T, dtype=np.float64)
    t = np.asarray(t, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    z = t / (aT + t)
    log_shrink = np.log(aT) - np.log(aT + t)  # ln(1 - z)
    c = a + b + x - 1.0
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        tail = np.exp((a - 1.0) * log_shrink) * special.hyp2f1(a + b - 1.0 - r, a - 1.0, c, z)
        out = c / (a - 1.0) * (1.0 - tail)
        bad = ~np.isfinite(out)
        if bad.any():
            printed = np.exp((r + x) * log_shrink) * special.hyp2f1(r + x, b + x, c, z)
            out = np.where(bad, c / (a - 1.0) * (1.0 - printed), out)
            bad = ~np.isfinite(out)
        if bad.any():
            p = a / (a + b + x)
            limit = -np.expm1((r + x) * (np.log(aT) - np.log(aT + p * t))) / p
            out = np.where(bad, limit, out)
    return out


def expected_purchases(fit, t: float, frequency, recency, T) -> np.ndarray:
    """E[Y(t) | x, t_x, T] (equation 10): each customer's expected purchases in the next t."""
    t = _horizon(t)
    f, r, T = as_rft(frequency, recency, T)
    (xs, Ts), inverse = group_rows(f, T)
    out = _p_alive(fit, f, r, T) * _alive_expectation(fit, xs, Ts, t)[inverse]
    require_finite("expected number of purchases", out)
    return out


def expected_purchases_new(fit, t) -> np.ndarray:
    """E[X(t)] (equation 9): the repeat purchases a new customer is expected to make in the
    first t after their first purchase (t may be an array)."""
    t = np.asarray(t, dtype=np.float64)
    if not np.all(np.isfinite(t) & (t >= 0)):
        raise ModelFitError("t must be finite and >= 0.")
    out = _alive_expectation(fit, 0.0, 0.0, t)
    require_finite("expected number of purchases", out)
    return out


def _horizon(t) -> float:
    t = float(t)
    if not (np.isfinite(t) and t >= 0):
        raise ModelFitError(f"The prediction horizon must be finite and >= 0, not {t!r}.")
    return t


def time_to_next_purchase(fit, frequency, recency, T, *, max_t: float | None = None) -> np.ndarray:
    """For each customer, the time from now (T) until their expected number of purchases
    reaches one: the smallest t with E[Y(t) | x, t_x, T] >= 1. It is the horizon by which one
    more purchase is expected, not the mean waiting time (which is infinite whenever the
    customer may have dropped out). Infinity where it is not reached within `max_t` (default:
    the longest customer age the model was fitted on, `fit.max_T`, as the model has seen
    nothing longer): mostly customers who have probably dropped out. Never NaN.

    Solved for all customers at once by bisection on log t over [max_t e^-30, max_t], 28
    halvings: to a relative precision of 1e-7 (seconds, in years)."""
    f, r, T = as_rft(frequency, recency, T)
    cap = _horizon(fit.max_T if max_t is None else max_t)
    if cap <= 0:
        raise ModelFitError("max_t must be positive.")
    (xs, txs, Ts), inverse = group_rows(f, r, T)
    alive = _p_alive(fit, xs, txs, Ts)
    with np.errstate(divide="ignore"):
        target = np.where(alive > 0, 1.0 / alive, np.inf)
    at_cap = _alive_expectation(fit, xs, Ts, cap)
    require_finite("expected number of purchases", at_cap)
    out = np.full(xs.size, np.inf)
    reached = np.flatnonzero(at_cap >= target)
    xs, Ts, target = xs[reached], Ts[reached], target[reached]
    high = np.full(reached.size, np.log(cap))
    low = high - _LOG_RANGE
    for _ in range(_BISECTION_STEPS):
        middle = (low + high) / 2
        above = _alive_expectation(fit, xs, Ts, np.exp(middle)) >= target
        high = np.where(above, middle, high)
        low = np.where(above, low, middle)
    out[reached] = np.exp(high)
    return out[inverse]


# --- simulation ------------------------------------------------------------------------------


def simulate_bgnbd(r, alpha, a, b, T, rng: np.random.Generator):
    """Customers drawn from the BG/NBD model, observed for ages T: (frequency, recency).

    Each draws lambda ~ Gamma(r, alpha) and p ~ Beta(a, b); K, the number of repeat purchases
    before dropping out, is geometric (p); of the N ~ Poisson(lambda T) purchase times of an
    active customer in (0, T] they make x = min(N, K), and the x-th of N uniform times is
    T Beta(x, N-x+1)."""
    T = np.asarray(T, dtype=np.float64)
    lam = rng.gamma(r, 1.0 / alpha, T.size)
    p = np.clip(rng.beta(a, b, T.size), 1e-12, 1.0)
    in_window = rng.poisson(lam * T)
    x = np.minimum(in_window, rng.geometric(p))
    repeat = x > 0
    last = rng.beta(np.where(repeat, x, 1), np.where(repeat, in_window - x + 1, 1))
    return x.astype(np.int64), np.where(repeat, T * last, 0.0)
