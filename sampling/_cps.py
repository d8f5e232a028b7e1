"""Conditional Poisson sampling (CPS, maximum entropy) -- the algorithms.

A CPS design of size ``n`` with working odds ``w_k`` gives every ``n``-subset
``s`` the probability ``prod_{k in s} w_k / e_n(w)``, where ``e_j`` is the
elementary symmetric polynomial of degree ``j``: the coefficient of ``x**j``
in ``prod_k (1 + w_k x)``. Its inclusion probabilities are

    pi_k  = w_k e_{n-1}(w without k) / e_n(w),
    pi_kl = w_k w_l e_{n-2}(w without k, l) / e_n(w).

Everything below works on the *distinct* target probabilities (units with
the same target share the same odds), and evaluates those polynomials as
products of truncated polynomials ``(1 + v x)**m`` kept with a separate log
scale. Only sums and products of non-negative numbers occur, so the results
are accurate to a few ulps whatever the odds; no subtraction of nearly equal
quantities is involved except in Aires' formula for the joint probabilities
of units whose odds are far apart (relative gap above ``NEAR_TIE``), where it
is well conditioned.

Not public: use :mod:`sampling.designs`.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from scipy.special import expit

#: Aires' formula is used for pairs whose odds differ by more than this
#: relative gap; closer pairs are computed from the polynomials directly.
NEAR_TIE = 1e-3

_SHIFT_ADD_MAX = 8
_FULL_NEWTON_MAX = 64
_UNITS_MAX_N = 600
_TINY = 1e-280
_TOL = 1e-12
_MAX_STEP = 4.0
_NOISE = 1e-10
_MAX_ITER = 100

Poly = tuple[np.ndarray, float]  # coefficients (max 1) and the log of their scale
_ONE: Poly = (np.ones(1), 0.0)


def _normalise(c: np.ndarray, s: float) -> Poly:
    top = float(c.max())
    c = c / top
    c[c < _TINY] = 0.0
    return c, s + math.log(top)


def _binomial(v: float, m: int, deg: int) -> Poly:
    """(1 + v x)**m truncated at degree ``deg``."""
    j = np.arange(1, min(m, deg) + 1, dtype=np.float64)
    logc = np.concatenate(([0.0], np.cumsum(np.log((m - j + 1.0) / j)))) + math.log(v) * np.arange(j.size + 1)
    top = float(logc.max())
    return np.exp(logc - top), top


def _mul(p: Poly, v: float, m: int, deg: int) -> Poly:
    """p(x) * (1 + v x)**m truncated at degree ``deg``."""
    c, s = p
    if m <= 0:
        return p
    if m > _SHIFT_ADD_MAX:
        b, sb = _binomial(v, m, deg)
        return _normalise(np.convolve(c[: deg + 1], b)[: deg + 1], s + sb)
    shrink, c = 1.0 / (1.0 + v), c[: deg + 1]
    for _ in range(m):
        # Dividing by 1 + v keeps every coefficient <= 1; as the working
        # probabilities sum to n, the kept mass (degrees <= deg) cannot vanish.
        if c.size <= deg:
            out = np.append(c, 0.0)
        else:
            out = c.copy()
        out[1:] += v * c[: out.size - 1]
        out *= shrink
        c = out
    return c, s + m * math.log1p(v)


def _log_coef(p: Poly, q: Poly, k: int) -> float:
    """log of the coefficient of x**k in p(x) q(x) (-inf if it is 0)."""
    (c1, s1), (c2, s2) = p, q
    lo, hi = max(0, k - (c2.size - 1)), min(k, c1.size - 1)
    if k < 0 or lo > hi:
        return -math.inf
    val = float(np.dot(c1[lo : hi + 1], c2[k - hi : k - lo + 1][::-1]))
    return math.log(val) + s1 + s2 if val > 0 else -math.inf


class Tables:
    """Prefix and suffix products over the groups, for one set of odds."""

    def __init__(self, log_w: np.ndarray, counts: np.ndarray, n: int) -> None:
        self.log_w, self.counts, self.n = log_w, counts, n
        self.w = np.exp(log_w)
        d = log_w.size
        self.pre: list[Poly] = [_ONE] * (d + 1)
        self.suf: list[Poly] = [_ONE] * (d + 1)
        for a in range(d):
            self.pre[a + 1] = _mul(self.pre[a], self.w[a], int(counts[a]), n)
        for a in range(d - 1, -1, -1):
            self.suf[a] = _mul(self.suf[a + 1], self.w[a], int(counts[a]), n)
        self.log_en = _log_coef(self.pre[d], _ONE, n)

    def first_order(self) -> np.ndarray:
        """Inclusion probability of a unit of each group."""
        out = np.empty(self.w.size)
        for a in range(self.w.size):
            t = _mul(self.pre[a], self.w[a], int(self.counts[a]) - 1, self.n - 1)
            out[a] = math.exp(self.log_w[a] + _log_coef(t, self.suf[a + 1], self.n - 1) - self.log_en)
        return out

    def pair(self, a: int, b: int) -> float:
        """Joint probability of one unit of group ``a`` and another of ``b`` (a <= b)."""
        deg = self.n - 2
        if a == b:
            t = _mul(self.pre[a], self.w[a], int(self.counts[a]) - 2, deg)
        else:
            t = _mul(self.pre[a], self.w[a], int(self.counts[a]) - 1, deg)
            for c in range(a + 1, b):
                t = _mul(t, self.w[c], int(self.counts[c]), deg)
            t = _mul(t, self.w[b], int(self.counts[b]) - 1, deg)
        return math.exp(self.log_w[a] + self.log_w[b] + _log_coef(t, self.suf[b + 1], deg) - self.log_en)


def _recentre(log_w: np.ndarray, counts: np.ndarray, n: int) -> np.ndarray:
    """Shift the log odds so that the working probabilities sum to ``n``.

    Safeguarded Newton on the shift ``c`` (the sum is increasing in ``c``),
    inside the bracket [logit(n/M) - max(log_w), logit(n/M) - min(log_w)]
    where ``M`` is the number of units.
    """
    total = float(counts.sum())
    base = math.log(n / total) - math.log1p(-n / total)
    lo, hi = base - float(log_w.max()), base - float(log_w.min())
    shift = min(max(0.0, lo), hi)
    for _ in range(200):
        p = expit(log_w + shift)
        gap = float(np.dot(counts, p)) - n
        if abs(gap) <= 1e-13 * n or hi - lo <= 1e-15 * max(1.0, abs(shift)):
            break
        if gap > 0:
            hi = shift
        else:
            lo = shift
        slope = float(np.dot(counts, p * (1.0 - p)))
        step = shift - gap / slope if slope > 0 else math.nan
        shift = step if lo < step < hi else 0.5 * (lo + hi)
    return log_w + shift


def _newton_step(log_w: np.ndarray, counts: np.ndarray, n: int, got: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Newton step in the group log odds.

    The Jacobian of the inclusion probabilities with respect to the log odds
    is their covariance: entry [a, b] is ``m_b (pi_ab - pi_a pi_b)`` for
    ``a != b`` and ``pi_a (1 - pi_a) + (m_a - 1)(pi_aa - pi_a**2)`` on the
    diagonal. For few groups the full system (singular along the common
    shift of the log odds, and across because the probabilities sum to n) is
    solved by least squares, both null directions removed; for many groups only its diagonal is
    used (the off-diagonal terms are then O(1/N) and convergence stays fast).
    """
    gap = targets - got
    if log_w.size > _FULL_NEWTON_MAX:
        diagonal_step: np.ndarray = gap / (got * (1.0 - got))
        return diagonal_step
    tab = Tables(log_w, counts, n)
    joint = joint_groups(tab, got)
    m = counts.astype(np.float64)
    jac = m[None, :] * (joint - np.outer(got, got))
    np.fill_diagonal(jac, got * (1.0 - got) + (m - 1.0) * (np.diag(joint) - got**2))
    # The system is singular both ways: a common shift of the log odds changes nothing (jac @ 1 = 0), and the
    # probabilities always sum to n (m @ jac = 0). Whether LAPACK reports the zero singular value as zero is
    # a matter of rounding, so both null directions are removed here: the part of the gap no step can close
    # (targets summing to n within rounding, not exactly) and the common shift, which _recentre sets. Left in,
    # either can dominate the step, which the clip then flattens into a shift (no progress).
    reachable = gap - m * (float(m @ gap) / float(m @ m))
    step: np.ndarray = np.linalg.lstsq(jac, reachable, rcond=None)[0]
    centred: np.ndarray = step - step.mean()
    return centred


def first_order_units(log_w: np.ndarray, n: int) -> np.ndarray | None:
    """CPS inclusion probabilities of single units, vectorised over the units.

    ``P[a, k] = e_a(w_0..w_{k-1})`` and ``S[b, k] = e_b(w_k..w_{N-1})`` are
    built one degree at a time with a cumulative sum over the units (each
    degree rescaled to a maximum of 1, its log scale kept apart), then
    ``pi_k = w_k sum_a P[a, k] S[n-1-a, k+1] / e_n``. Coefficients far below
    their degree's maximum may underflow; they are negligible, and the result
    is checked (the probabilities must sum to ``n``): ``None`` if the check
    fails, so the caller can use the slower :class:`Tables`.
    """
    size = log_w.size
    w = np.exp(log_w)
    w_rev = w[::-1].copy()
    pre = np.zeros((n, size + 1))
    suf = np.zeros((n + 1, size + 1))  # stored reversed: suf[b, i] = e_b(last i units)
    pre[0], suf[0] = 1.0, 1.0
    log_pre, log_suf = np.zeros(n), np.zeros(n + 1)
    buf = np.empty(size)
    for a in range(1, n):
        np.multiply(w, pre[a - 1, :size], out=buf)
        np.cumsum(buf, out=pre[a, 1:])
        top = pre[a, size]
        pre[a, 1:] *= 1.0 / top
        log_pre[a] = log_pre[a - 1] + math.log(top)
    for b in range(1, n + 1):
        np.multiply(w_rev, suf[b - 1, :size], out=buf)
        np.cumsum(buf, out=suf[b, 1:])
        top = suf[b, size]
        suf[b, 1:] *= 1.0 / top
        log_suf[b] = log_suf[b - 1] + math.log(top)
    log_en = log_suf[n]  # suf[n, size] == 1 after scaling
    scale = np.exp(log_pre + log_suf[n - 1 :: -1] - log_en)
    # unit k: prefix of k units (pre[:, k]) and suffix of size - 1 - k units (suf[:, size - 1 - k])
    with np.errstate(under="ignore"):
        prod = pre[:, :size] * suf[n - 1 :: -1, size - 1 :: -1]
        got: np.ndarray = w * (scale @ prod)
    if not np.all(np.isfinite(got)) or abs(float(got.sum()) - n) > 1e-9 * n:
        return None
    return got


def _first_order(log_w: np.ndarray, counts: np.ndarray, n: int) -> np.ndarray:
    """Group first-order probabilities, by units when there are many groups."""
    if log_w.size > _FULL_NEWTON_MAX and n <= _UNITS_MAX_N:
        starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
        units = first_order_units(np.repeat(log_w, counts), n)
        if units is not None:
            return units[starts]
    return Tables(log_w, counts, n).first_order()


def solved_log_odds(targets: np.ndarray, counts: np.ndarray, n: int) -> np.ndarray:
    """The log odds of :func:`solve_log_odds`, remembered for the last few designs.

    Replicated draws, a verification that re-draws, and a simulation of many
    draws from one frame solve the same design again; the solution is a pure
    function of its inputs, so it is kept (a read-only copy) by their bytes.
    """
    return _solved(targets.astype(np.float64).tobytes(), counts.astype(np.int64).tobytes(), int(n))


@lru_cache(maxsize=16)
def _solved(targets: bytes, counts: bytes, n: int) -> np.ndarray:
    log_w, _ = solve_log_odds(np.frombuffer(targets, dtype=np.float64), np.frombuffer(counts, dtype=np.int64), n)
    log_w.flags.writeable = False
    return log_w


def solve_log_odds(targets: np.ndarray, counts: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Working log odds per group whose CPS probabilities equal ``targets``.

    Newton's method (see :func:`_newton_step`) started at ``logit(pi)`` as
    Tille's fixed point, with steps limited to 4 in log odds and halved if the
    error grows, until the largest error relative to ``min(pi, 1 - pi)`` is
    below 1e-12 or stalls at rounding noise (< 1e-10). The odds are
    normalised so that the working probabilities ``w / (1 + w)`` sum to
    ``n``. For ``n = 1`` the odds are proportional to ``pi`` exactly.

    Returns the log odds and the achieved first-order probabilities.
    """
    if n == 1:
        log_w = _recentre(np.log(targets), counts, n)
        return log_w, Tables(log_w, counts, n).first_order()
    log_w = _recentre(np.log(targets) - np.log1p(-targets), counts, n)
    room = np.minimum(targets, 1.0 - targets)  # errors are measured relative to this
    best_got: np.ndarray | None = None  # set with best_log_w at the first finite error
    best_log_w, best_err, step = log_w, math.inf, np.zeros_like(log_w)
    damping = 1.0
    for _ in range(_MAX_ITER):
        got = _first_order(log_w, counts, n)
        err = float(np.max(np.abs(got - targets) / room))
        if best_got is None and not math.isfinite(err):
            break
        if err < best_err:
            stalled = err > 0.5 * best_err
            best_log_w, best_got, best_err, damping = log_w, got, err, min(1.0, 2.0 * damping)
            if err <= _TOL or (stalled and err <= _NOISE):
                break
            step = np.clip(_newton_step(log_w, counts, n, got, targets), -_MAX_STEP, _MAX_STEP)
        elif best_err <= _NOISE:  # rounding noise reached
            break
        else:
            damping *= 0.5
            if damping < 1e-6:
                break
        log_w = _recentre(best_log_w + damping * step, counts, n)
    if best_got is None or best_err > 1e-9:
        raise FloatingPointError(f"conditional Poisson working probabilities did not converge (error {best_err:.3g}).")
    return best_log_w, best_got


def joint_groups(tab: Tables, first: np.ndarray) -> np.ndarray:
    """Joint probabilities between groups (entry [a, b]: a unit of a with another of b)."""
    w = tab.w
    with np.errstate(divide="ignore", invalid="ignore"):
        # Aires (1999): pi_kl = (pi_k w_l - pi_l w_k) / (w_l - w_k), in a scaled form.
        inv = 1.0 / w
        g: np.ndarray = (first[:, None] * inv[:, None] - first[None, :] * inv[None, :]) / (inv[:, None] - inv[None, :])
    gap = np.abs(tab.log_w[:, None] - tab.log_w[None, :])
    near = gap < math.log1p(NEAR_TIE)
    for a, b in zip(*np.nonzero(np.triu(near)), strict=True):
        if a == b and tab.counts[a] < 2:
            g[a, a] = 0.0
            continue
        g[a, b] = g[b, a] = tab.pair(int(a), int(b))
    np.clip(g, 0.0, None, out=g)
    return g


def suffix_log_table(log_w: np.ndarray, n: int) -> np.ndarray:
    """``table[j, k] = log e_j(w_k, ..., w_{N-1})`` for j <= n, k <= N (-inf if 0).

    Built one degree at a time with ``logaddexp.accumulate`` over the units
    (no under- or overflow): ``e_j(U_{>=k}) = sum_{i >= k} w_i e_{j-1}(U_{>i})``.
    """
    size = log_w.size
    table = np.full((n + 1, size + 1), -np.inf)
    table[0, :] = 0.0
    for j in range(1, n + 1):
        terms = log_w + table[j - 1, 1:]
        table[j, :size] = np.logaddexp.accumulate(terms[::-1])[::-1]
    return table


def sequential_select(log_w: np.ndarray, n: int, u: np.ndarray) -> np.ndarray:
    """Chen-Dempster-Liu sequential CPS draw in the given unit order.

    Unit ``k`` is taken when ``u[k] < w_k e_{j-1}(U_{>k}) / e_j(U_{>=k})``,
    ``j`` being the number still to take (all remaining units are taken when
    ``j`` equals their number). One uniform per unit, used in order.
    """
    size = log_w.size
    table = suffix_log_table(log_w, n)
    chosen = np.zeros(size, dtype=bool)
    left = n
    for k in range(size):
        if left == 0:
            break
        if left >= size - k:
            chosen[k:] = True
            break
        q = 1.0 / (1.0 + math.exp(table[left, k + 1] - log_w[k] - table[left - 1, k + 1]))
        if u[k] < q:
            chosen[k] = True
            left -= 1
    return chosen
