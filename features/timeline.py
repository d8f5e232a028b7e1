"""Point-in-time sums over events, for many (body, date) queries at once.

Every feature is a sum over a body's events dated strictly before the as-of
date, often within a window. Events are sorted once by (body, time); each query
is then two binary searches and a difference of cumulative sums, so features
for thousands of as-of dates cost about as much as for one.
"""

from __future__ import annotations

import numpy as np

_SPAN = np.int64(2**34)  # seconds: more than 500 years per body
_ORIGIN = np.datetime64("1900-01-01T00:00:00", "s")


def _seconds(times) -> np.ndarray:
    return (np.asarray(times, dtype="datetime64[s]") - _ORIGIN).astype(np.int64)


class EventIndex:
    """Events of many groups (bodies), searchable by (group, time).

    Parameters
    ----------
    groups : array of int
        Group (body) index of each event; events with a negative group are ignored.
    times : array of datetime64
        When each event became known. NaT events are ignored.

    Examples
    --------
    >>> idx = EventIndex(np.array([0, 0, 1]), np.array(["2024-01-05", "2024-03-01", "2024-02-01"], "datetime64[ns]"))
    >>> idx.count(np.array([0, 1]), np.array(["2024-03-01", "2024-03-01"], "datetime64[ns]"))
    array([1., 1.])
    """

    def __init__(self, groups: np.ndarray, times: np.ndarray):
        groups = np.asarray(groups, dtype=np.int64)
        times = np.asarray(times, dtype="datetime64[ns]")
        keep = (groups >= 0) & ~np.isnat(times)
        self._keep = keep
        key = groups[keep] * _SPAN + _seconds(times[keep])
        self._order = np.argsort(key, kind="stable")
        self._key = key[self._order]

    def _position(self, groups: np.ndarray, times: np.ndarray) -> np.ndarray:
        return np.searchsorted(self._key, np.asarray(groups, np.int64) * _SPAN + _seconds(times), side="left")

    def _bounds(self, groups, times, days: float | None):
        hi = self._position(groups, times)
        if days is None:
            lo = np.searchsorted(self._key, np.asarray(groups, np.int64) * _SPAN, side="left")
        else:
            lo = self._position(groups, np.asarray(times, "datetime64[ns]") - np.timedelta64(int(days * 86400), "s"))
        return lo, hi

    def window_sum(self, values, groups, times, days: float | None = None) -> np.ndarray:
        """Sum of ``values`` over each group's events in ``[time - days, time)`` (all before ``time`` if None)."""
        v = np.broadcast_to(np.asarray(values, dtype=float), self._keep.shape)[self._keep][self._order]
        cs = np.concatenate([[0.0], np.cumsum(v)])
        lo, hi = self._bounds(groups, times, days)
        return cs[hi] - cs[lo]

    def count(self, groups, times, days: float | None = None) -> np.ndarray:
        """Number of each group's events in ``[time - days, time)``."""
        lo, hi = self._bounds(groups, times, days)
        return (hi - lo).astype(float)

    def decayed_sum(self, values, groups, times, tau_days: float, days: float | None = None) -> np.ndarray:
        """Sum of ``values * exp(-age / tau)`` over the window, age = time - event time."""
        kept = np.flatnonzero(self._keep)[self._order]
        anchor = _seconds(np.max(times)) if len(times) else 0
        ev_sec = (self._key - (self._key // _SPAN) * _SPAN) - anchor
        v = np.broadcast_to(np.asarray(values, dtype=float), self._keep.shape)[kept]
        cs = np.concatenate([[0.0], np.cumsum(v * np.exp(ev_sec / (tau_days * 86400.0)))])
        lo, hi = self._bounds(groups, times, days)
        q_sec = _seconds(times) - anchor
        return (cs[hi] - cs[lo]) * np.exp(-q_sec / (tau_days * 86400.0))

    def last_time(self, groups, times) -> np.ndarray:
        """Time of each group's latest event before ``time`` (NaT if none)."""
        lo, hi = self._bounds(groups, times, None)
        out = np.full(len(hi), np.datetime64("NaT", "ns"))
        has = hi > lo
        sec = self._key[hi[has] - 1] - (self._key[hi[has] - 1] // _SPAN) * _SPAN
        out[has] = (_ORIGIN + sec.astype("timedelta64[s]")).astype("datetime64[ns]")
        return out

    def last_value(self, values, groups, times, default=np.nan) -> np.ndarray:
        """``values`` of each group's latest event before ``time`` (``default`` if none)."""
        lo, hi = self._bounds(groups, times, None)
        v = np.asarray(values)[self._keep][self._order]
        out = np.full(len(hi), default, dtype=float)
        has = hi > lo
        out[has] = v[hi[has] - 1]
        return out
