"""The synthetic national system: all tables, the ground truth, and a closed loop.

>>> world = generate_world(scale=0.02, seed=1, future_quarters=1)
>>> data = world.tables()             # the data directory as of the snapshot
>>> truth = world.truth()             # latent risk per body and quarter
>>> rows = world.inspect(["CB00001"], "2026-11-15", kind="random", inclusion_prob=[0.3], draw_id="D1")
>>> rows[["body_id", "kind", "inclusion_prob", "draw_id"]].values.tolist()
[['CB00001', 'random', 0.3, 'D1']]
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from scipy.special import expit

from features.atomic import atomic_outputs, atomic_path

from .audits import audit_known_at, simulate_audits
from .bodies import simulate_bodies
from .certificates import certificate_view, simulate_certificates
from .config import SimConfig
from .history import Context, background_inspections, consequences, inspect, past_policy_draw
from .ids import make_ids
from .inspectors import simulate_inspectors
from .outcomes import problem_certificate_prob
from .risk import simulate_latent_risk
from .signals import simulate_signals, unreachable_signals
from .status import simulate_status, status_on
from .volume import org_blocks

Date: TypeAlias = str | pd.Timestamp
# One date for every inspected body, or one date per body.
DateOrDates: TypeAlias = Date | Sequence[Date] | np.ndarray | pd.DatetimeIndex

CONTRACT_COLUMNS = {
    "bodies": [
        "body_id",
        "name",
        "province",
        "approved_on",
        "ccc_designated",
        "accredited",
        "status",
        "status_changed_on",
        "fields",
    ],
    "inspections": [
        "inspection_id",
        "body_id",
        "inspected_on",
        "kind",
        "inclusion_prob",
        "draw_id",
        "inspector_ids",
        "outcome",
        "findings",
        "certs_checked",
        "certs_with_problems",
        "entered_by",
        "decision",
    ],
    "signals": ["signal_id", "body_id", "observed_on", "kind", "severity"],
    "audits": [
        "audit_id",
        "body_id",
        "auditor_id",
        "org_id",
        "scheme",
        "planned_start",
        "planned_end",
        "checkin_at",
        "checkout_at",
        "checkin_distance_km",
        "remote",
    ],
    "certificates": [
        "cert_id",
        "body_id",
        "org_id",
        "scheme",
        "issued_on",
        "expires_on",
        "status",
        "status_changed_on",
    ],
    "inspectors": ["inspector_id", "unit", "province", "expertise", "active", "max_assignments"],
    "conflicts": ["inspector_id", "body_id", "reason"],
}


class SyntheticWorld:
    """A simulated national system; build it with :func:`generate_world`."""

    def __init__(self, cfg: SimConfig):
        self.cfg = cfg
        self.bodies = simulate_bodies(cfg)
        self.risk = simulate_latent_risk(cfg, self.bodies)
        status = simulate_status(cfg, self.bodies, self.risk)
        self.bodies["status"] = status["status"].to_numpy()
        self.bodies.insert(self.bodies.columns.get_loc("status") + 1, "status_changed_on", status["status_changed_on"])
        certs_held = self.bodies["_cert_share"].values * cfg.n_certificates
        self.inspectors, self.conflicts = simulate_inspectors(cfg, self.bodies)
        self._ctx = Context(cfg, self.bodies, self.risk, self.inspectors, certs_held)
        self._rng = cfg.rng("inspections")
        signals = pd.concat(
            [simulate_signals(cfg, self.bodies, self.risk), unreachable_signals(cfg, self.bodies, self.risk)],
            ignore_index=True,
        )
        self._signals = signals.sort_values(["observed_on", "body_id"], kind="stable").reset_index(drop=True)
        self._signals.insert(0, "signal_id", make_ids("S", np.arange(1, len(signals) + 1), 7))
        self._inspections = self._empty_inspections()
        self._simulate_history()
        blocks = org_blocks(certs_held, cfg.n_organisations)
        self.certificates = simulate_certificates(cfg, self.bodies, self.risk, blocks)
        self.audits, self._auditors = simulate_audits(cfg, self.bodies, self.risk, blocks)
        self._caps_rng = cfg.rng("checked-caps")
        self._inspections = self._checked_within_held(self._inspections)

    # --- history -------------------------------------------------------------------
    def _empty_inspections(self) -> pd.DataFrame:
        return inspect(self._ctx, [], [], "random", self._rng).assign(inspection_id=pd.Series([], dtype="str"))

    def _simulate_history(self) -> None:
        for q_start in self.risk.quarter_starts[self.risk.quarter_starts < self.cfg.snapshot]:
            drawn = past_policy_draw(self._ctx, q_start, self._signals, self._inspections, self._rng)
            self._record(drawn, until=self.cfg.snapshot)
            self.simulate_background(q_start, until=self.cfg.snapshot)

    def simulate_background(self, q_start: pd.Timestamp, until: pd.Timestamp | None = None) -> pd.DataFrame:
        """Complaint-driven and targeted inspections of the quarter starting ``q_start``."""
        rows = background_inspections(self._ctx, pd.Timestamp(q_start), self._signals, self._inspections, self._rng)
        return self._record(rows, until=until or self.cfg.end)

    def _record(self, rows: pd.DataFrame, until: pd.Timestamp) -> pd.DataFrame:
        rows = rows[rows["inspected_on"] < until].sort_values(["inspected_on", "body_id"], kind="stable")
        start = len(self._inspections) + 1
        rows = rows.assign(inspection_id=make_ids("IN", np.arange(start, start + len(rows)), 6).values)
        self._inspections = pd.concat([self._inspections, rows], ignore_index=True)
        after = consequences(self._ctx, rows, self._rng)
        after = after[after["observed_on"] < self.cfg.end]
        first = len(self._signals) + 1
        after.insert(0, "signal_id", make_ids("S", np.arange(first, first + len(after)), 7).values)
        self._signals = pd.concat([self._signals, after], ignore_index=True)
        return rows[CONTRACT_COLUMNS["inspections"]].reset_index(drop=True)

    # --- closed loop ---------------------------------------------------------------
    def inspect(
        self,
        body_ids: Sequence[str] | np.ndarray | pd.Series,
        on: DateOrDates,
        kind: str = "random",
        inclusion_prob: npt.ArrayLike | None = None,
        draw_id: str | None = None,
        teams: Sequence[str] | None = None,
        certs_listed: Sequence[int] | None = None,
    ) -> pd.DataFrame:
        """Inspect ``body_ids`` on date(s) ``on`` and return the contract rows.

        The rows are added to the world's history, so later :meth:`tables`
        calls see them. ``teams`` (one ``;``-joined id string per body) decide
        the stringency; without it, teams are drawn as in past practice.
        ``certs_listed`` (one count per body): the certificates the draw's
        stage 2 listed, which the inspection then checks, exactly that many;
        without it, the number is set as in past practice.
        """
        idx = pd.Index(self.bodies["body_id"]).get_indexer(list(body_ids))
        if (idx < 0).any():
            raise ValueError(f"unknown body_id(s): {list(np.asarray(body_ids)[idx < 0])[:5]}")
        rows = inspect(
            self._ctx,
            idx,
            _one_date_per_body(on, len(idx)),
            kind,
            self._rng,
            inclusion_prob,
            draw_id,
            teams,
            certs_listed,
        )
        if certs_listed is None:  # past practice: never more certificates than the body held
            rows = self._checked_within_held(rows)
        return self._record(rows, until=self.cfg.end)

    def _checked_within_held(self, rows: pd.DataFrame) -> pd.DataFrame:
        """Past practice checks at most the certificates a body held at the start of the inspection's quarter.

        The history is simulated before the certificates, from each body's expected count; this caps
        ``certs_checked`` at the count valid on the quarter's first day (the frame a past draw had) and
        keeps a hypergeometric share of the problems found (a dedicated random stream).
        """
        if rows.empty:
            return rows
        held = valid_counts(self.certificates, rows["body_id"], rows["inspected_on"].dt.to_period("Q").dt.start_time)
        checked = rows["certs_checked"].to_numpy(dtype=np.int64)
        capped = np.minimum(checked, held)
        problems = rows["certs_with_problems"].to_numpy(dtype=np.int64)
        cut = capped < checked
        kept = problems.copy()
        kept[cut] = self._caps_rng.hypergeometric(problems[cut], checked[cut] - problems[cut], capped[cut])
        return rows.assign(certs_checked=capped, certs_with_problems=kept)

    # --- views -------------------------------------------------------------------
    @property
    def as_of(self) -> pd.Timestamp:
        return self.cfg.snapshot

    def tables(self, as_of: Date | None = None) -> dict[str, pd.DataFrame]:
        """The data directory as it stood on ``as_of`` (records dated before it)."""
        return {name: _concat(chunks) for name, chunks in self._table_chunks(as_of).items()}

    def row_counts(self, as_of: Date | None = None) -> dict[str, int]:
        """Rows per table as of ``as_of``, without assembling the tables."""
        return {name: sum(map(len, chunks)) for name, chunks in self._table_chunks(as_of).items()}

    def _table_chunks(self, as_of: Date | None) -> dict[str, list[pd.DataFrame]]:
        t = pd.Timestamp(as_of or self.as_of)
        t64 = np.datetime64(t, "ns")
        before = lambda frame, col: _rows(frame, frame[col].values < t64)  # noqa: E731
        bodies = status_on(before(self.bodies, "approved_on"), t)
        views = {
            "bodies": [bodies],
            "inspections": [before(self._inspections, "inspected_on")],
            "signals": [before(self._signals, "observed_on")],
            "audits": [_rows(a, audit_known_at(a) < t64) for a in self.audits],
            "certificates": [certificate_view(c, t) for c in self.certificates],
            "inspectors": [self.inspectors],
            "conflicts": [_rows(self.conflicts, self.conflicts["body_id"].isin(bodies["body_id"]).to_numpy())],
        }
        return {name: [v[cols] for v in views[name]] for name, cols in CONTRACT_COLUMNS.items()}

    def truth(self) -> dict[str, pd.DataFrame]:
        """Ground truth, for evaluation only (the engine never reads it)."""
        n, q = self.risk.logit.shape
        z = self.risk.logit.ravel()
        zc = self.risk.centered.ravel()
        risk = pd.DataFrame(
            {
                "body_id": np.repeat(self.bodies["body_id"].values, q),
                "quarter_start": np.tile(self.risk.quarter_starts.values, n),
                "latent_logit": z,
                "p_serious": expit(z),
                "p_problem_cert": problem_certificate_prob(zc),
            }
        ).dropna(subset=["latent_logit"])
        hidden = [c for c in self.bodies.columns if c.startswith("_")]
        return {
            "risk_quarterly": risk.reset_index(drop=True),
            "bodies": self.bodies[["body_id", *hidden]].rename(columns=lambda c: c.lstrip("_")),
            "inspections": self._inspections[["inspection_id", "_stringency", "_p_serious"]].rename(
                columns={"_stringency": "team_stringency", "_p_serious": "p_serious"}
            ),
            "inspectors": self.inspectors[["inspector_id", "_stringency"]].rename(
                columns={"_stringency": "stringency"}
            ),
            "auditors": self._auditors.table(self.bodies),
        }

    def write_data(self, out: str | os.PathLike, as_of: Date) -> Path:
        """Write the data directory as it stands on ``as_of`` (e.g. after a simulated quarter), atomically."""
        out = Path(out)
        if out.exists():
            raise FileExistsError(f"{out} already exists; nothing was written there.")
        with atomic_path(out) as tmp:
            tmp.mkdir()
            for table, chunks in self._table_chunks(as_of).items():
                _write_parquet(chunks, tmp / f"{table}.parquet")
        return out

    def write(self, out: str | os.PathLike) -> None:
        """Write ``out/data`` (the data directory), ``out/truth`` and ``out/generation.json``, all or nothing.

        The large tables are streamed chunk by chunk, so memory stays close to
        the size of the simulated data itself.
        """
        out = Path(out)
        for name in ("data", "truth"):
            if (out / name).exists():
                raise FileExistsError(f"{out / name} already exists; nothing was written there.")
        truth = {name: [frame] for name, frame in self.truth().items()}
        settings = {k: (str(v) if isinstance(v, pd.Timestamp) else v) for k, v in vars(self.cfg).items()}
        with atomic_outputs([out / "data", out / "truth", out / "generation.json"]) as (data_dir, truth_dir, record):
            for folder, tables in ((data_dir, self._table_chunks(None)), (truth_dir, truth)):
                folder.mkdir()
                for table, chunks in tables.items():
                    _write_parquet(chunks, folder / f"{table}.parquet")
            (truth_dir / "README.md").write_text(TRUTH_README, encoding="utf-8")
            record.write_text(json.dumps(settings, indent=2, ensure_ascii=False), encoding="utf-8")


def valid_counts(chunks: list[pd.DataFrame], body_ids: pd.Series, dates: pd.Series) -> np.ndarray:
    """Certificates of each body valid on each date: issued before it, not yet expired or ended early."""
    pairs = pd.DataFrame({"row": np.arange(len(body_ids)), "body_id": body_ids.to_numpy(), "on": dates.to_numpy()})
    counts = np.zeros(len(body_ids), dtype=np.int64)
    for certs in chunks:
        end = certs["expires_on"] + pd.Timedelta(seconds=1)
        end = end.where(certs["_fate_on"].isna(), np.minimum(certs["_fate_on"], end))
        mine = pairs[pairs["body_id"].isin(certs["body_id"].unique())]  # a few bodies per chunk: isin of many is slow
        joined = mine.merge(certs[["body_id", "issued_on"]].assign(end=end.to_numpy()), on="body_id")
        valid = (joined["issued_on"] < joined["on"]) & (joined["end"] >= joined["on"])
        counts += np.bincount(joined.loc[valid, "row"].to_numpy(), minlength=len(body_ids))
    return counts


def _one_date_per_body(on: DateOrDates, n: int) -> pd.DatetimeIndex:
    """``on`` repeated ``n`` times when it is one date, else ``on`` itself."""
    if np.isscalar(on) or isinstance(on, (str, pd.Timestamp)):
        return pd.DatetimeIndex(np.broadcast_to(np.datetime64(pd.Timestamp(on), "ns"), n))
    return pd.DatetimeIndex(on)


def _rows(frame: pd.DataFrame, mask: np.ndarray) -> pd.DataFrame:
    """``frame[mask]`` without a copy when every row is kept."""
    return frame if mask.all() else frame[mask]


def _concat(chunks: list[pd.DataFrame]) -> pd.DataFrame:
    return chunks[0].reset_index(drop=True) if len(chunks) == 1 else pd.concat(chunks, ignore_index=True)


def _write_parquet(chunks: list[pd.DataFrame], path: Path) -> None:
    writer = None
    try:
        for chunk in chunks:
            table = pa.Table.from_pandas(chunk, preserve_index=False)
            writer = writer or pq.ParquetWriter(path, table.schema)
            writer.write_table(table.cast(writer.schema))
    finally:
        if writer is not None:
            writer.close()


TRUTH_README = """# Ground truth of the synthetic system (never read by the engine)

- risk_quarterly: body_id, quarter_start, latent_logit, p_serious (true probability that
  an inspection by an average team in that quarter finds a serious problem),
  p_problem_cert (true probability that a checked certificate has a problem).
- bodies: hidden traits (body effect, field risk, certificate share, nuisance propensities).
- inspections: inspection_id, team_stringency (logit shift of the drawn team), p_serious.
- inspectors: inspector_id, stringency.
- auditors: auditor_id, body_id (whose roster the auditor belongs to), skip_prob (chance to skip
  each audit), skipper (skip_prob > 0), second_body_id (the body the auditor lends a name to, or empty).
"""


def generate_world(scale: float = 1.0, seed: int = 20240101, **overrides: Any) -> SyntheticWorld:
    """Simulate a national system of certification bodies.

    Parameters
    ----------
    scale : float
        Size relative to the 2024 national system (0.001 .. 10).
    seed : int
        Root seed; the same seed gives identical tables.
    **overrides
        Any :class:`SimConfig` field (e.g. ``future_quarters=8`` for closed loops).

    Examples
    --------
    >>> world = generate_world(scale=0.02, seed=3)
    >>> sorted(world.tables())[:2]
    ['audits', 'bodies']
    """
    return SyntheticWorld(SimConfig.from_scale(scale, seed, **overrides))
