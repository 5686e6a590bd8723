"""Helpers shared by the models: input checks, grouping, standard errors, convergence checks.

The models' likelihoods and predictions depend on a customer only through a few small integers
and floats (frequency, recency, age), and real stores repeat those combinations many times
(dates are whole days). Grouping identical rows and computing once per group is what makes a
million customers fast; `group_rows` does it with sorts, no loop per customer.
"""

import numpy as np
from scipy import optimize

from .errors import FitErrorCode, ModelFitError

# Wide enough for any time unit from hours to years and any currency unit; a parameter that
# runs to a bound means the data cannot pin it down, which is reported rather than returned.
LOG_BOUNDS = (np.log(1e-8), np.log(1e10))


def as_rft(frequency, recency, T) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Frequency (int64), recency and age (float64) checked for the BG/NBD model: one
    dimension, same length, finite, whole non-negative frequencies, 0 <= recency <= T and
    recency 0 for customers without a repeat purchase."""
    f = np.asarray(frequency)
    r = np.asarray(recency, dtype=np.float64)
    t = np.asarray(T, dtype=np.float64)
    if f.ndim != 1 or r.ndim != 1 or t.ndim != 1 or not f.size == r.size == t.size:
        raise ModelFitError(
            "frequency, recency and T must be 1-dimensional arrays of one length"
            f" (got shapes {f.shape}, {r.shape}, {t.shape})."
        )
    if f.size == 0:
        raise ModelFitError("There are no customers.", code=FitErrorCode.NO_ORDERS)
    f64 = f.astype(np.float64)
    _require(
        np.isfinite(f64) & (f64 >= 0) & (f64 == np.round(f64)), "frequency", "a whole number >= 0"
    )
    _require(np.isfinite(r) & np.isfinite(t), "recency and T", "finite")
    _require(t >= 0, "T", ">= 0")
    _require((r >= 0) & (r <= t), "recency", "between 0 and T")
    _require((f64 > 0) | (r == 0), "recency", "0 for a customer without a repeat purchase")
    return f64.astype(np.int64), r, t


def _require(ok: np.ndarray, what: str, rule: str) -> None:
    if not ok.all():
        bad = np.flatnonzero(~ok)
        who = "1 customer" if bad.size == 1 else f"{bad.size} customers"
        raise ModelFitError(
            f"{what} must be {rule}; it is not for {who} (the first at position {int(bad[0])})."
        )


# Arrays are processed in slices of this many elements: they stay in the CPU cache, and
# OpenBLAS computes a dot product of up to 10,000 elements on the calling thread. Above that it
# wakes its thread pool, whose start-up and busy-waiting cost more than the sum itself (up to
# milliseconds per call on a busy machine) and slow the work that follows.
SLICE = 8192


def dot(a: np.ndarray, b: np.ndarray) -> float:
    """a @ b for 1-d arrays of any length, summed slice by slice on this thread."""
    return float(sum(a[i : i + SLICE] @ b[i : i + SLICE] for i in range(0, a.size, SLICE)))


def codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values, ascending, and each value's index among them. Integers of a small
    range (frequencies, keys of a few combinations) are counted rather than sorted."""
    if np.issubdtype(values.dtype, np.integer) and values.size:
        low = int(values.min())
        if int(values.max()) - low <= max(4 * values.size, 1 << 16):
            present = np.bincount(values - low) > 0
            index = np.cumsum(present) - 1
            return np.flatnonzero(present).astype(values.dtype) + low, index[values - low]
    uniques, inverse = np.unique(values, return_inverse=True)
    return uniques, inverse.reshape(-1)


def combine(*code_arrays: tuple[np.ndarray, int]) -> np.ndarray:
    """One int64 key per row from several (codes, number of codes) pairs, in mixed radix."""
    key = np.zeros(code_arrays[0][0].size, dtype=np.int64)
    span = 1
    for each, size in code_arrays:
        span *= size
        if span >= 2**62:
            raise ModelFitError("Too many distinct customer histories to group.")
        key = key * size + each
    return key


def split(key: np.ndarray, sizes: list[int]) -> list[np.ndarray]:
    """The inverse of `combine`: the codes back from the keys."""
    out = []
    for size in reversed(sizes):
        out.append(key % size)
        key = key // size
    return out[::-1]


def group_rows(x: np.ndarray, *columns: np.ndarray):
    """Distinct rows of (x, *columns): their values, one array per column, and the inverse
    (the row's group) so per-group results can be spread back with `result[inverse]`."""
    parts = [codes(x), *(codes(c) for c in columns)]
    sizes = [u.size for u, _ in parts]
    keys, inverse = codes(combine(*((c, s) for (_, c), s in zip(parts, sizes, strict=True))))
    return [u[c] for (u, _), c in zip(parts, split(keys, sizes), strict=True)], inverse


def standard_errors(gradient, params: np.ndarray, names) -> dict:
    """Standard errors of maximum-likelihood estimates: square roots of the diagonal of the
    inverse Hessian of -log L, the Hessian by forward differences of the analytic `gradient`
    (one evaluation per parameter). Infinity where the Hessian is not positive definite."""
    at = gradient(params)
    hessian = np.empty((params.size, params.size))
    for i in range(params.size):
        step = np.zeros(params.size)
        step[i] = 1e-6 * params[i]
        hessian[i] = -(gradient(params + step) - at) / step[i]
    hessian = (hessian + hessian.T) / 2
    try:
        np.linalg.cholesky(hessian)
        errors = np.sqrt(np.diag(np.linalg.inv(hessian)))
    except np.linalg.LinAlgError:
        errors = np.full(params.size, np.inf)
    errors = np.where(np.isfinite(errors), errors, np.inf)
    return dict(zip(names, map(float, errors), strict=True))


def maximise(objective, start: np.ndarray, bounds=None):
    """Minimise `objective` (-log L / n and its gradient, in the log of the parameters unless
    other `bounds` say otherwise) with L-BFGS-B; returns exp of the optimum and the result."""
    result = optimize.minimize(
        objective,
        start,
        jac=True,
        method="L-BFGS-B",
        bounds=bounds or [LOG_BOUNDS] * start.size,
        options={"maxiter": 2000, "ftol": 1e-14, "gtol": 1e-9},
    )
    return np.exp(result.x), result


def check_fit(model: str, result, params: np.ndarray, errors: dict, hint: str) -> None:
    """Raise unless the optimiser converged to a point the data pin down: not at a bound, with
    a positive definite Hessian (finite standard errors)."""
    gradient = np.max(np.abs(result.jac)) if result.jac is not None else np.inf
    if not (result.success or gradient < 1e-5) or not np.all(np.isfinite(params)):
        raise ModelFitError(
            f"The {model} fit did not converge: {hint}.", code=FitErrorCode.DID_NOT_CONVERGE
        )
    logs = np.log(params)
    loose = np.isclose(logs, LOG_BOUNDS[0]) | np.isclose(logs, LOG_BOUNDS[1])
    loose |= ~np.isfinite(np.array(list(errors.values())))
    if loose.any():
        names = ", ".join(name for name, bad in zip(errors, loose, strict=True) if bad)
        raise ModelFitError(
            f"The {model} fit cannot pin down its parameters ({names}): {hint}.",
            code=FitErrorCode.DID_NOT_CONVERGE,
        )
