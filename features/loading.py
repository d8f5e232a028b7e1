"""Read a data directory into canonical DataFrames, checking the data contract.

:func:`load_data_dir` reads every table (Parquet or CSV), parses each column
by its kind, rewrites Chinese aliases to canonical codes, validates each table
with its pandera model and then checks the links between tables. It returns a
:class:`DataSet` only when everything conforms; otherwise it raises one
:class:`~features.report.DataContractError` listing every problem of every
table.

A problem found in a cell masks any later problem in the same cell: a date
that cannot be parsed is reported once, not again as "must not be empty" or
"must not be after the as-of date".
"""

from __future__ import annotations

import copy
import datetime
import functools
import io
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.errors as pe
import pyarrow
import pyarrow.parquet as pq
from pandas.api import types as ptypes

from . import codes
from .contracts import (
    COLUMN_KINDS,
    COLUMNS,
    FIELD_LIST_PATTERN,
    FIELD_LIST_RULE,
    ID_LIST_PATTERN,
    MODELS,
    NOT_AFTER_AS_OF,
    REFERENCES,
    REQUIRED_TABLES,
    ROW_RULES,
    TABLE_LABELS_ZH,
    TABLES,
)
from .report import MAX_LISTED, DataContractError, cell_problems, concat_problems, format_table, table_problem

__all__ = ["DataSet", "empty_table", "load_data_dir", "summarise"]

LOCAL_TZ = "Asia/Shanghai"
TRUE_WORDS = ("true", "1", "yes", "是")
FALSE_WORDS = ("false", "0", "no", "否")
_OFFSET = r"(?:Z|[+-]\d{2}:?\d{2})$"
_EARLIEST, _LATEST = pd.Timestamp("1678-01-01"), pd.Timestamp("2261-12-31 23:59:59")
PARSE_RULES = {
    "date": "must be a date YYYY-MM-DD",
    "datetime": "must be a date and time (ISO 8601)",
    "int": "must be an integer",
    "float": "must be a number",
    "bool": "must be true or false (1/0, yes/no, 是/否)",
}
EMPTY_RULE = "must not be empty"
RANGE_RULE = "must be a date between 1678-01-01 and 2261-12-31"


# ------------------------------------------------------------------ DataSet


@dataclass
class DataSet:
    """The tables of a data directory, in canonical form.

    Attributes
    ----------
    tables : dict of str to DataFrame
        One frame per loaded table; also reachable as attributes
        (``data.bodies``).
    path : Path
        The data directory.
    as_of : Timestamp
        No event in the tables is dated after this day.

    Examples
    --------
    >>> data = load_data_dir("demo-output/data", as_of="2026-10-01")  # doctest: +SKIP
    >>> data.bodies is data.tables["bodies"]  # doctest: +SKIP
    True
    >>> print(data.summary("zh"))  # doctest: +SKIP
    """

    tables: dict[str, pd.DataFrame]
    path: Path
    as_of: pd.Timestamp

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(f"DataSet has no table {name!r}; loaded: {', '.join(tables)}")

    def __dir__(self) -> list[str]:
        return [*super().__dir__(), *self.tables]

    def __repr__(self) -> str:
        sizes = ", ".join(f"{name}: {len(frame):,} rows" for name, frame in self.tables.items())
        return f"DataSet(path={str(self.path)!r}, as_of={self.as_of:%Y-%m-%d}, tables={{{sizes}}})"

    def summary(self, lang: str = "en") -> str:
        """A short readable summary: rows per table, periods, counts per code."""
        if lang not in ("en", "zh"):
            raise ValueError(f"`lang` must be 'en' or 'zh'; got {lang!r}.")
        return summarise(self.tables, self.path, self.as_of, lang)


# --------------------------------------------------------- per-table state


@dataclass
class _Table:
    """A table while it is being loaded: its frame, problems and bad cells."""

    name: str
    frame: pd.DataFrame | None = None
    problems: list[pd.DataFrame] = field(default_factory=list)
    bad: dict[str, np.ndarray] = field(default_factory=dict)
    present: bool = False
    broken: bool = False
    missing: tuple[str, ...] = ()

    def fail(self, rule: str) -> None:
        """Record a problem of the whole table (its rows cannot be trusted)."""
        self.problems.append(table_problem(self.name, rule))
        self.broken = True

    def add(self, column: str, rule: str, mask: np.ndarray, values: pd.Series) -> None:
        """Record the cells of ``mask`` as problems and mark them bad."""
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        rows = np.flatnonzero(mask)
        texts = np.full(len(rows), "", dtype=object)
        listed = rows[: MAX_LISTED + 1]  # cell_problems lists no more than these
        texts[: len(listed)] = _display(values.iloc[listed], COLUMN_KINDS[self.name].get(column, "str"))
        self.problems.append(cell_problems(self.name, column, rule, rows + 1, texts))
        self.mark(column, mask)

    def mark(self, column: str, mask: np.ndarray) -> None:
        previous = self.bad.get(column)
        self.bad[column] = mask if previous is None else previous | mask

    def good(self, *columns: str) -> np.ndarray:
        """Rows where none of ``columns`` has a problem yet."""
        n = len(self.frame)
        ok = np.ones(n, dtype=bool)
        for c in columns:
            if c in self.bad:
                ok &= ~self.bad[c]
        return ok


def _display(values: pd.Series, kind: str) -> np.ndarray:
    """Values as text for the report; missing values become ""."""
    if ptypes.is_datetime64_any_dtype(values):
        fmt = "%Y-%m-%d" if kind == "date" else "%Y-%m-%d %H:%M:%S"
        text = values.dt.strftime(fmt)
    else:
        text = values.astype("str")
    return text.fillna("").to_numpy(dtype=object)


# -------------------------------------------------------------- locating


def _locate(path: Path, table: _Table) -> Path | None:
    """The table's file, or None; records missing and duplicate files."""
    name = table.name
    found = [p for p in (path / f"{name}.parquet", path / f"{name}.csv") if p.is_file()]
    if len(found) == 2:
        table.fail(f"two files for one table: {name}.csv and {name}.parquet")
        table.present = True
        return None
    if not found and name in REQUIRED_TABLES:
        table.fail(f"required table is missing (expected {name}.parquet or {name}.csv)")
    table.present = bool(found)
    return found[0] if found else None


# --------------------------------------------------------------- reading


def _read_csv(file: Path, table: _Table) -> pd.DataFrame | None:
    """Every cell as text; "" for empty cells. None (with a problem) if unreadable."""
    raw = _read_bytes(file, table)
    if raw is None:
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        rule = f"file is not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
        table.fail(rule)
        return None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        table.fail("file is empty (no header row)")
        return None
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, index_col=False)
    except (pd.errors.ParserError, ValueError) as exc:
        table.fail(f"file cannot be read as CSV: {_first_line(exc)}")
        return None
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def _read_parquet(file: Path, table: _Table) -> pd.DataFrame | None:
    """The Parquet table with its native types (dates as datetime64)."""
    try:
        return pq.read_table(file).to_pandas(date_as_object=False)
    except (OSError, ValueError, pyarrow.ArrowException) as exc:
        table.fail(f"file cannot be read as Parquet: {_first_line(exc).replace(str(file), file.name)}")
    return None


def _read_bytes(file: Path, table: _Table) -> bytes | None:
    try:
        return file.read_bytes()
    except OSError as exc:
        table.fail(f"file cannot be read: {exc.strerror or exc}")
        return None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


# --------------------------------------------------------------- parsing


def _text(s: pd.Series) -> pd.Series:
    """Strings with surrounding blanks removed; empty strings become missing."""
    if not ptypes.is_string_dtype(s) or s.dtype == object:
        s = s.astype("str")
    s = s.str.strip()
    return s.mask(s == "")


def _parse_str(s: pd.Series) -> tuple[pd.Series, np.ndarray]:
    return _text(s), np.zeros(len(s), dtype=bool)


def _parse_float(s: pd.Series) -> tuple[pd.Series, np.ndarray]:
    if ptypes.is_numeric_dtype(s) and not ptypes.is_bool_dtype(s):
        num = s.astype("float64")
        bad = np.isinf(num.to_numpy())
    else:
        text = _text(s)
        num = pd.to_numeric(text, errors="coerce").astype("float64")
        bad = (text.notna() & (num.isna() | np.isinf(num))).to_numpy()
    return num.mask(bad), bad


def _parse_int(s: pd.Series) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """int64 values, unparsable cells and empty cells (both filled with 0)."""
    if ptypes.is_integer_dtype(s) and not s.isna().any():
        return s.astype("int64"), np.zeros(len(s), dtype=bool), np.zeros(len(s), dtype=bool)
    num, bad = _parse_float(s)
    values = num.to_numpy()
    with np.errstate(invalid="ignore"):
        bad = bad | (~np.isnan(values) & ((values != np.round(values)) | (np.abs(values) > 2**62)))
    empty = np.isnan(values) & ~bad
    values = np.where(bad | empty, 0, values).astype(np.int64)
    return pd.Series(values, index=s.index), bad, empty


def _parse_bool(s: pd.Series) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """numpy bool values, unparsable cells and empty cells (both filled with False)."""
    if ptypes.is_bool_dtype(s) and not s.isna().any():
        return s.astype(bool), np.zeros(len(s), dtype=bool), np.zeros(len(s), dtype=bool)
    low = _text(s).str.lower()
    true = low.isin(TRUE_WORDS).to_numpy()
    false = low.isin(FALSE_WORDS).to_numpy()
    empty = low.isna().to_numpy()
    bad = ~(true | false | empty)
    return pd.Series(true, index=s.index), bad, empty


def _local_naive(ts: pd.Series) -> pd.Series:
    if getattr(ts.dt, "tz", None) is not None:
        ts = ts.dt.tz_convert(LOCAL_TZ).dt.tz_localize(None)
    return ts


def _parse_datetime_text(text: pd.Series, kind: str) -> pd.Series:
    if kind == "date":
        return pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    aware = text.str.contains(_OFFSET, regex=True).fillna(False).to_numpy(dtype=bool)
    out = pd.to_datetime(text.mask(aware), format="ISO8601", errors="coerce")
    if aware.any():
        shifted = pd.to_datetime(text[aware], format="ISO8601", errors="coerce", utc=True)
        out = out.astype("datetime64[us]")
        out[aware] = _local_naive(shifted).astype("datetime64[us]")
    return out


def _parse_when(s: pd.Series, kind: str) -> tuple[pd.Series, list[tuple[str, np.ndarray]]]:
    """datetime64[ns] values, and the bad cells of each rule they break."""
    if ptypes.is_datetime64_any_dtype(s):
        ts, bad = _local_naive(s), np.zeros(len(s), dtype=bool)
    else:
        text = _text(s)
        ts = _parse_datetime_text(text, kind)
        bad = (text.notna() & ts.isna()).to_numpy()
    outside = (ts.notna() & ~ts.between(_EARLIEST, _LATEST)).to_numpy()
    failures = [(PARSE_RULES[kind], bad), (RANGE_RULE, outside)]
    if kind == "date":
        inside = ts.where(~outside)
        timed = (inside.notna() & (inside != inside.dt.normalize())).to_numpy()
        failures.append(("must be a date without a time of day", timed))
    all_bad = bad | outside | failures[-1][1]
    return ts.mask(all_bad).astype("datetime64[ns]"), failures


def _parse_column(table: _Table, column: str, raw: pd.Series) -> pd.Series:
    """The column in canonical dtype; problems of unparsable cells recorded."""
    kind = COLUMN_KINDS[table.name][column]
    if isinstance(raw.dtype, pd.CategoricalDtype):  # Parquet dictionary columns
        raw = pd.Series(raw.to_numpy(), index=raw.index)
    if kind == "str":
        return _parse_str(raw)[0]
    if kind in ("date", "datetime"):
        parsed, failures = _parse_when(raw, kind)
        for rule, bad in failures:
            table.add(column, rule, bad, raw)
        return parsed
    if kind == "float":
        parsed, bad = _parse_float(raw)
        table.add(column, PARSE_RULES["float"], bad, raw)
        return parsed
    parse = _parse_int if kind == "int" else _parse_bool
    parsed, bad, empty = parse(raw)
    table.add(column, PARSE_RULES[kind], bad, raw)
    table.add(column, EMPTY_RULE, empty, raw)
    return parsed


def _parse(table: _Table, raw: pd.DataFrame) -> pd.DataFrame:
    """Known columns parsed into canonical dtypes; unknown columns kept as they are."""
    raw = raw.reset_index(drop=True)
    known = COLUMN_KINDS[table.name]
    table.frame = raw  # row count for bad-cell masks while parsing
    out = {c: (_parse_column(table, c, raw[c]) if c in known else raw[c]) for c in raw.columns}
    frame = pd.DataFrame(out, index=raw.index)
    for (name, column), aliases in codes.ALIASES.items():
        if name == table.name and column in frame:
            frame[column] = _rewrite(frame[column], aliases)
    return frame


def _rewrite(s: pd.Series, aliases: dict[str, str]) -> pd.Series:
    hit = s.isin(list(aliases))
    if not hit.any():
        return s
    s = s.copy()
    s[hit] = s[hit].map(aliases)
    return s


# ------------------------------------------------------------- validating


@functools.cache
def _column_schema(name: str):
    """The table's pandera schema without its row rules (the loader runs those itself)."""
    schema = copy.deepcopy(MODELS[name].to_schema())
    schema.checks = []
    return schema


def _rule_of(check) -> str:
    """A pandera check in plain words."""
    stats = check.statistics or {}
    if check.name == "isin":
        return "must be one of " + ", ".join(map(str, stats["allowed_values"]))
    if check.name == "greater_than_or_equal_to":
        return f"must be >= {stats['min_value']}"
    if check.name == "in_range":
        left = "[" if stats.get("include_min", True) else "("
        right = "]" if stats.get("include_max", True) else ")"
        return f"must be in {left}{stats['min_value']}, {stats['max_value']}{right}"
    if check.name == "str_matches":
        pattern = getattr(stats["pattern"], "pattern", stats["pattern"])
        words = {FIELD_LIST_PATTERN: FIELD_LIST_RULE, ID_LIST_PATTERN: "must be ;-separated ids without spaces"}
        return words.get(pattern, f"must match the pattern {pattern}")
    return check.error or check.name


def _validate(table: _Table) -> None:
    """Run the pandera model lazily; record its failures as problems."""
    schema = _column_schema(table.name)
    try:
        schema.validate(table.frame, lazy=True)
    except pe.SchemaErrors as exc:
        _record_failures(table, exc.failure_cases, schema)


def _record_failures(table: _Table, cases: pd.DataFrame, schema) -> None:
    cases = cases.reset_index(drop=True)
    whole = cases["index"].isna()
    for check, column in cases.loc[whole, ["check", "failure_case"]].itertuples(index=False):
        if check == "column_in_dataframe":
            table.problems.append(table_problem(table.name, "missing column", column=str(column)))
        elif check == "column_in_schema":
            table.problems.append(table_problem(table.name, "unknown column (not in the contract)", column=str(column)))
    cells = cases[~whole & cases["column"].isin(COLUMNS[table.name])]
    cells = cells[~cells["check"].astype(str).str.startswith("dtype(")]
    for (column, check, number), group in cells.groupby(["column", "check", "check_number"], sort=False, dropna=False):
        rule = _case_rule(schema, column, check, number)
        mask = np.zeros(len(table.frame), dtype=bool)
        mask[group["index"].to_numpy(dtype=np.int64)] = True
        table.add(column, rule, mask & table.good(column), table.frame[column])


def _case_rule(schema, column: str, check: str, number) -> str:
    if check == "not_nullable":
        return EMPTY_RULE
    if check == "field_uniqueness":
        return "must be unique (value appears more than once)"
    if number is not None and not pd.isna(number):
        return _rule_of(schema.columns[column].checks[int(number)])
    return str(check)


# -------------------------------------------------------------- canonical


def _canonical(table: _Table) -> None:
    """Contract columns only, in contract order; missing columns added as empty."""
    frame, n = table.frame, len(table.frame)
    table.missing = tuple(c for c in COLUMNS[table.name] if c not in frame)
    columns = {}
    for column, kind in COLUMN_KINDS[table.name].items():
        if column in frame:
            columns[column] = frame[column]
        else:
            columns[column] = _empty_column(kind, n)
            table.mark(column, np.ones(n, dtype=bool))
    table.frame = pd.DataFrame(columns, index=pd.RangeIndex(n))


def _empty_column(kind: str, n: int) -> pd.Series:
    if kind == "int":
        return pd.Series(np.zeros(n, dtype=np.int64))
    if kind == "bool":
        return pd.Series(np.zeros(n, dtype=bool))
    if kind == "float":
        return pd.Series(np.full(n, np.nan))
    if kind in ("date", "datetime"):
        return pd.Series(np.full(n, np.datetime64("NaT", "ns")))
    return pd.Series([pd.NA] * n, dtype="str")


def empty_table(name: str) -> pd.DataFrame:
    """An empty frame of the table with every column in its canonical dtype.

    Examples
    --------
    >>> empty_table("signals").dtypes["observed_on"]
    dtype('<M8[ns]')
    """
    return pd.DataFrame({c: _empty_column(k, 0) for c, k in COLUMN_KINDS[name].items()})


# ------------------------------------------------------------- row rules


def _check_rows(table: _Table, as_of: pd.Timestamp) -> None:
    """Rules between columns of a row, and no event after the as-of date."""
    df = table.frame
    for rule in ROW_RULES:
        if rule.table != table.name:
            continue
        mask = rule.bad(df).to_numpy(dtype=bool) & table.good(*rule.columns)
        table.add(rule.column, rule.rule, mask, _with_context(df, rule.column, rule.shows, mask, table.name))
    limit = as_of + pd.Timedelta(days=1)
    for column in NOT_AFTER_AS_OF[table.name]:
        mask = (df[column] >= limit).to_numpy(dtype=bool) & table.good(column)
        table.add(column, f"must not be after the as-of date {as_of:%Y-%m-%d}", mask, df[column])


def _with_context(df: pd.DataFrame, column: str, shows: tuple[str, ...], mask: np.ndarray, name: str) -> pd.Series:
    """The column's value followed by the other columns of the rule, as text."""
    text = pd.Series("", index=df.index, dtype=object)
    rows = np.flatnonzero(mask)[:1001]
    if not len(rows):
        return text
    kinds = COLUMN_KINDS[name]
    sub = df.iloc[rows]
    parts = pd.Series(_display(sub[column], kinds[column]), index=sub.index)
    for other in shows:
        shown = pd.Series(_display(sub[other], kinds[other]), index=sub.index).replace("", "(empty)")
        parts = parts.replace("", "(empty)") + f" ({other} = " + shown + ")"
    text.iloc[rows] = parts.to_numpy()
    return text


# ------------------------------------------------------------ cross-table


def _check_references(tables: dict[str, _Table]) -> None:
    """Ids that must exist in another table (body_id in bodies, ...)."""
    for name, column, ref_name, ref_column in REFERENCES:
        table, ref = tables.get(name), tables.get(ref_name)
        if table is None or table.frame is None or ref is None or not ref.present or ref.broken:
            continue
        if ref.frame is None or ref_column in ref.missing:
            continue  # unreadable or missing: already reported
        known = ref.frame[ref_column].dropna().unique()
        values = table.frame[column]
        mask = (values.notna() & ~values.isin(known)).to_numpy() & table.good(column)
        table.add(column, f"must exist in {ref_name}.{ref_column}", mask, values)


# ------------------------------------------------------------------ driver


def _load_table(path: Path, name: str, as_of: pd.Timestamp) -> _Table:
    table = _Table(name)
    file = _locate(path, table)
    if file is None:
        if not table.present:
            table.frame = empty_table(name)
        return table
    raw = _read_parquet(file, table) if file.suffix == ".parquet" else _read_csv(file, table)
    if raw is None:
        return table
    if name == "bodies" and len(raw) == 0:
        table.fail("table has no rows (at least one is required)")
    table.frame = _parse(table, raw)
    _validate(table)
    _canonical(table)
    _check_rows(table, as_of)
    return table


def _as_of(as_of: DateLike | None) -> pd.Timestamp:
    if as_of is None:  # today in China, whatever the machine's time zone
        return pd.Timestamp.now(tz=LOCAL_TZ).tz_localize(None).normalize()
    try:
        stamp = pd.Timestamp(as_of)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"`as_of` must be a date; got {as_of!r}.") from exc
    if pd.isna(stamp):
        raise ValueError(f"`as_of` must be a date; got {as_of!r}.")
    return stamp.tz_localize(None).normalize() if stamp.tzinfo else stamp.normalize()


def _table_names(tables: Iterable[str] | None) -> tuple[str, ...]:
    if tables is None:
        return TABLES
    names = (tables,) if isinstance(tables, str) else tuple(tables)
    unknown = [t for t in names if t not in TABLES]
    if unknown:
        raise ValueError(f"`tables` must name tables of the contract ({', '.join(TABLES)}); got {unknown}.")
    return tuple(t for t in TABLES if t in names)


def _data_dir(path: str | os.PathLike) -> Path:
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"data directory {path} does not exist.")
    if not path.is_dir():
        raise FileNotFoundError(f"data directory {path} is not a directory.")
    return path


DateLike = str | datetime.date | pd.Timestamp


def load_data_dir(
    path: str | os.PathLike,
    as_of: DateLike | None = None,
    tables: Iterable[str] | None = None,
) -> DataSet:
    """Read and check a data directory; every problem is reported at once.

    Parameters
    ----------
    path : str or Path
        Folder with one file per table: ``<table>.parquet`` or ``<table>.csv``.
    as_of : date-like, optional
        No event may be dated after this day (default: today in Asia/Shanghai).
    tables : sequence of str, optional
        Read only these tables (default: all of :data:`~features.contracts.TABLES`).

    Returns
    -------
    DataSet
        Every requested table in canonical form; an optional table without a
        file is an empty frame with the right columns and dtypes.

    Raises
    ------
    DataContractError
        When anything breaks the data contract; its ``problems`` list every
        problem of every table.
    FileNotFoundError
        When ``path`` is not a directory.

    Examples
    --------
    >>> data = load_data_dir("data", as_of="2026-10-01")  # doctest: +SKIP
    >>> data.inspections.dtypes["inspected_on"]  # doctest: +SKIP
    dtype('<M8[ns]')
    """
    path = _data_dir(path)
    as_of = _as_of(as_of)
    loaded = {name: _load_table(path, name, as_of) for name in _table_names(tables)}
    _check_references(loaded)
    problems = concat_problems([p for t in loaded.values() for p in t.problems])
    if len(problems):
        raise DataContractError(_in_table_order(problems), path)
    return DataSet({name: t.frame for name, t in loaded.items()}, path, as_of)


def _in_table_order(problems: pd.DataFrame) -> pd.DataFrame:
    """Problems by table, then whole-table problems, then by column in contract order."""
    table = problems["table"].map({t: i for i, t in enumerate(TABLES)}).to_numpy()
    known = pd.MultiIndex.from_tuples([(t, c) for t in TABLES for c in COLUMNS[t]])
    position = np.concatenate([np.arange(len(COLUMNS[t])) for t in TABLES])
    found = known.get_indexer(pd.MultiIndex.from_arrays([problems["table"], problems["column"]]))
    column = np.where(found >= 0, position[found], -1)
    order = np.lexsort((column, table))
    return problems.iloc[order].reset_index(drop=True)


# ----------------------------------------------------------------- summary

_PERIOD = {
    "bodies": "approved_on",
    "inspections": "inspected_on",
    "signals": "observed_on",
    "audits": "planned_start",
    "certificates": "issued_on",
}
_TALLIES = (
    ("bodies", "status", "status", codes.BODY_STATUSES, "机构状态"),
    ("inspections", "kind", "inspection_kind", codes.INSPECTION_KINDS, "检查方式"),
    ("inspections", "outcome", "outcome", codes.OUTCOMES, "检查结论"),
    ("signals", "kind", "signal_kind", codes.SIGNAL_KINDS, "信号类型"),
    ("certificates", "status", "cert_status", codes.CERT_STATUSES, "证书状态"),
)


def _period(frame: pd.DataFrame, name: str) -> tuple[str, str]:
    column = _PERIOD.get(name)
    if column is None or frame[column].isna().all():
        return "", ""
    return f"{frame[column].min():%Y-%m-%d}", f"{frame[column].max():%Y-%m-%d}"


def _tally(frame: pd.DataFrame, column: str, labels: str, order: tuple[str, ...], zh: bool) -> str:
    counts = frame[column].value_counts()
    words = codes.LABELS_ZH[labels] if zh else {}
    parts = [f"{words.get(code, code)} {int(counts[code]):,}" for code in order if code in counts.index]
    return ("，" if zh else ", ").join(parts)


def summarise(tables: dict[str, pd.DataFrame], path: Path, as_of: pd.Timestamp, lang: str = "en") -> str:
    """Rows per table, periods covered and counts per code, as short text.

    Examples
    --------
    >>> frames = {"signals": empty_table("signals")}
    >>> print(summarise(frames, Path("data"), pd.Timestamp("2026-10-01")).splitlines()[0])
    Data directory data (as of 2026-10-01) conforms to the data contract.
    """
    zh = lang == "zh"
    rows = []
    for name, frame in tables.items():
        label = f"{TABLE_LABELS_ZH[name]} {name}" if zh else name
        rows.append((label, f"{len(frame):,}", *_period(frame, name)))
    header = ("表", "行数", "起", "止") if zh else ("table", "rows", "from", "to")
    lines = [
        f"数据目录 {path}（基准日 {as_of:%Y-%m-%d}）符合数据规范。"
        if zh
        else f"Data directory {path} (as of {as_of:%Y-%m-%d}) conforms to the data contract.",
        "",
        *format_table(rows, header),
        "",
    ]
    for name, column, labels, order, label_zh in _TALLIES:
        if name in tables and len(tables[name]):
            what = f"{TABLE_LABELS_ZH[name]}·{label_zh}" if zh else f"{name} by {column}"
            lines.append(f"{what}{'：' if zh else ': '}{_tally(tables[name], column, labels, order, zh)}")
    return "\n".join(lines).rstrip()
