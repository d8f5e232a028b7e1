"""The rules file of risk monitoring (TOML), read and checked with every problem at once.

The defaults ship as ``default_rules.toml`` beside this module; a regulator
copies and edits it. :func:`load_rules` refuses a file that names an unknown
indicator or key, puts a threshold out of range, or orders the levels wrongly,
listing every problem with the key, the rule in words and the value as written.

>>> rules = load_rules()
>>> rules.levels
{'blue': 2, 'yellow': 4, 'orange': 6, 'red': 8}
>>> rules.indicators["complaints_12m"].threshold, rules.indicators["complaints_12m"].value
('absolute', 4.0)
"""

from __future__ import annotations

import hashlib
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .catalogue import CATALOGUE_VERSION, INDICATORS

DEFAULT_RULES = Path(__file__).with_name("default_rules.toml")
LEVELS = ("blue", "yellow", "orange", "red")
RESPONSES = ("reminder_letter", "rectification_notice", "interview_notice", "supervised_listing", "special_check")
THRESHOLDS = ("percentile", "absolute")
_TOP = {"version", "catalogue", "peers", "levels", "score", "deadlines", "indicators"}
_INDICATOR_KEYS = {"threshold", "value", "points", "min_level"}
_SCORE_KEYS = {"top_percent", "top_points", "rise", "rise_points"}
_PEER_KEYS = {"min_peers", "size_classes"}


@dataclass(frozen=True)
class IndicatorRule:
    """How one indicator is judged: its threshold, the points it adds and the least level it raises."""

    threshold: str
    value: float
    points: int
    min_level: str | None = None


@dataclass(frozen=True)
class Rules:
    """A checked rules file."""

    version: str
    sha256: str
    min_peers: int
    size_classes: int
    levels: dict[str, int]
    top_percent: float
    top_points: int
    rise: float
    rise_points: int
    deadlines: dict[str, int]
    indicators: dict[str, IndicatorRule]


class RulesError(ValueError):
    """A rules file that cannot be used; ``problems`` lists (key, rule, value as written)."""

    def __init__(self, path: Path, problems: list[tuple[str, str, str]]) -> None:
        self.path, self.problems = path, problems
        lines = [f"  {key}: {rule} (found {value})" for key, rule, value in problems]
        super().__init__(f"The rules file {path} cannot be used ({len(problems)} problem(s)):\n" + "\n".join(lines))


class _Checker:
    """Collects the problems of one parsed file while reading its values."""

    def __init__(self) -> None:
        self.problems: list[tuple[str, str, str]] = []

    def fail(self, key: str, rule: str, value: object) -> None:
        self.problems.append((key, rule, _as_written(value)))

    def table(self, doc: dict[str, Any], key: str, allowed: set[str] | None = None) -> dict[str, Any]:
        value = doc.get(key, {})
        if not isinstance(value, dict):
            self.fail(key, "must be a table ([" + key + "])", value)
            return {}
        if allowed is not None:
            for unknown in sorted(set(value) - allowed):
                self.fail(f"{key}.{unknown}", "is not a known key (known: " + ", ".join(sorted(allowed)) + ")", unknown)
        return value

    def integer(self, table: dict[str, Any], prefix: str, key: str, low: int, high: int) -> int:
        value = table.get(key)
        if value is None:
            self.fail(f"{prefix}.{key}", "is required", "nothing")
        elif isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(f"{prefix}.{key}", f"must be a whole number from {low} to {high}", value)
        else:
            return value
        return low

    def number(self, table: dict[str, Any], prefix: str, key: str, low: float, high: float, open_: bool) -> float:
        value = table.get(key)
        inside = isinstance(value, int | float) and not isinstance(value, bool)
        if inside:
            inside = low < value < high if open_ else low <= value <= high  # type: ignore[operator]
        if not inside:
            bounds = f"between {low:g} and {high:g}" + (" (exclusive)" if open_ else "")
            self.fail(f"{prefix}.{key}", f"must be a number {bounds}", "nothing" if value is None else value)
            return low
        return float(value)  # type: ignore[arg-type]


def _as_written(value: object) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def load_rules(path: str | os.PathLike | None = None) -> Rules:
    """The rules of ``path`` (default: the rules that ship with the engine), checked.

    Raises
    ------
    RulesError
        When the file is missing, is not TOML or breaks a rule; every problem at once.
    """
    file = Path(path) if path is not None else DEFAULT_RULES
    try:
        raw = file.read_bytes()
        doc = tomllib.loads(raw.decode("utf-8"))
    except FileNotFoundError:
        raise RulesError(file, [("file", "must exist", str(file))]) from None
    except IsADirectoryError:
        raise RulesError(file, [("file", "must be a file, not a folder", str(file))]) from None
    except UnicodeDecodeError:
        raise RulesError(file, [("file", "must be UTF-8 text", "other bytes")]) from None
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(file, [("file", "must be TOML", str(exc))]) from None
    return _checked(doc, file, hashlib.sha256(raw).hexdigest())


def _checked(doc: dict[str, Any], file: Path, sha256: str) -> Rules:
    check = _Checker()
    for unknown in sorted(set(doc) - _TOP):
        check.fail(unknown, "is not a known key (known: " + ", ".join(sorted(_TOP)) + ")", unknown)
    version = doc.get("version", "")
    if not isinstance(version, str) or not version.strip():
        check.fail("version", "must be a non-empty text label", version or "nothing")
    if doc.get("catalogue") != CATALOGUE_VERSION:
        check.fail("catalogue", f'must be "{CATALOGUE_VERSION}", the catalogue of this engine', doc.get("catalogue"))
    peers = check.table(doc, "peers", _PEER_KEYS)
    score = check.table(doc, "score", _SCORE_KEYS)
    deadlines = check.table(doc, "deadlines", set(RESPONSES))
    rules = Rules(
        version=str(version),
        sha256=sha256,
        min_peers=check.integer(peers, "peers", "min_peers", 1, 10_000),
        size_classes=check.integer(peers, "peers", "size_classes", 1, 10),
        levels=_levels(check, check.table(doc, "levels", set(LEVELS))),
        top_percent=check.number(score, "score", "top_percent", 0, 100, open_=True),
        top_points=check.integer(score, "score", "top_points", 0, 10),
        rise=check.number(score, "score", "rise", 0, 1, open_=False),
        rise_points=check.integer(score, "score", "rise_points", 0, 10),
        deadlines={r: check.integer(deadlines, "deadlines", r, 1, 3650) for r in RESPONSES},
        indicators=_indicators(check, check.table(doc, "indicators")),
    )
    if check.problems:
        raise RulesError(file, check.problems)
    return rules


def _levels(check: _Checker, table: dict[str, Any]) -> dict[str, int]:
    levels = {name: check.integer(table, "levels", name, 1, 1000) for name in LEVELS}
    values = [levels[name] for name in LEVELS]
    if all(name in table for name in LEVELS) and values != sorted(set(values)):
        check.fail("levels", "must rise strictly from blue to yellow, orange and red", values)
    return levels


def _indicators(check: _Checker, table: dict[str, Any]) -> dict[str, IndicatorRule]:
    if not table:
        check.fail("indicators", "must name at least one indicator", "none")
    out = {}
    for name, spec in table.items():
        key = f"indicators.{name}"
        if name not in INDICATORS:
            check.fail(key, "is not an indicator of the catalogue (known: " + ", ".join(INDICATORS) + ")", name)
            continue
        if not isinstance(spec, dict):
            check.fail(key, "must be a table", spec)
            continue
        out[name] = _indicator(check, key, spec)
    return out


def _indicator(check: _Checker, key: str, spec: dict[str, Any]) -> IndicatorRule:
    for unknown in sorted(set(spec) - _INDICATOR_KEYS):
        check.fail(
            f"{key}.{unknown}", "is not a known key (known: " + ", ".join(sorted(_INDICATOR_KEYS)) + ")", unknown
        )
    kind = spec.get("threshold")
    if kind not in THRESHOLDS:
        check.fail(f"{key}.threshold", 'must be "percentile" or "absolute"', kind if kind is not None else "nothing")
    if kind == "absolute":
        value = check.number(spec, key, "value", 0, float("inf"), open_=False)
    else:
        value = check.number(spec, key, "value", 0, 100, open_=True)
    min_level = spec.get("min_level")
    if min_level is not None and min_level not in LEVELS:
        check.fail(f"{key}.min_level", "must be one of " + ", ".join(LEVELS), min_level)
        min_level = None
    return IndicatorRule(str(kind), value, check.integer(spec, key, "points", 1, 10), min_level)
