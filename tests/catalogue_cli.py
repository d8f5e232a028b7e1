"""The command-line part of the catalogue of bad inputs (tests/test_bad_inputs.py): grades files and options.

Arguments are templates: ``{data}`` is the minimal valid data directory,
``{core}`` its two required tables alone (bodies and inspections, all that a
grades file is checked against), ``{grades}`` a valid grades file of its twelve bodies, ``{bad}`` the damaged
grades file of the case and ``{tmp}`` the case's own empty folder.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from minimal_data import CSV

AS_OF = "2026-10-01"
GOOD_GRADES = "body_id,as_of,p_serious,grade\n" + "".join(
    f"{line.split(',')[0]},{AS_OF},{0.05 * (i + 1):.2f},{'ABCD'[i % 4]}\n"
    for i, line in enumerate(CSV["bodies"].splitlines()[1:])
)
"""Grades of the twelve minimal bodies, A B C D in turn."""


# ------------------------------------------------------------------ grades files

Write = Callable[[Path], None]


def text(content: str | bytes) -> Write:
    def write(path: Path) -> None:
        (path.write_bytes if isinstance(content, bytes) else path.write_text)(content)

    return write


def grades_cell(row: int, column: str, value: str) -> Write:
    """The good grades with one cell changed (1-based data row)."""
    frame = pd.read_csv(io.StringIO(GOOD_GRADES), dtype=str, keep_default_na=False)
    frame.loc[row - 1, column] = value
    return text(frame.to_csv(index=False))


def folder(path: Path) -> None:
    path.mkdir()


def nothing(path: Path) -> None:
    pass


@dataclass(frozen=True)
class GradesCase:
    id: str
    write: Write
    column: str
    row: int | None
    rule: str
    value: str | None = None
    suffix: str = ".csv"


ONE_ROW = "must appear on one row only (one grade per body)"
G = GradesCase
KEY_GRADES_CASES = [  # the cases, on every command that reads a grades file
    G("two grades for one body", text(GOOD_GRADES + f"CB002,{AS_OF},0.9,D\n"), "body_id", 13, ONE_ROW, "CB002"),
    G("unknown body", grades_cell(5, "body_id", "CB404"), "body_id", 5, "must exist in bodies.body_id", "CB404"),
    G("GBK", text(GOOD_GRADES.replace("A\n", "甲\n", 1).encode("gbk")), "", None, "file is not UTF-8 text (byte 0xbc"),
    G("a folder", folder, "", None, "is a folder, not a file"),
    G("empty file", text(b""), "", None, "file is empty (no header row)"),
]
MORE_GRADES_CASES = [
    G("the same grade twice", text(GOOD_GRADES + f"CB001,{AS_OF},0.05,A\n"), "body_id", 1, ONE_ROW, "CB001"),
    G("grade E", grades_cell(3, "grade", "E"), "grade", 3, "must be one of A, B, C, D", "E"),
    G("lower-case grade", grades_cell(4, "grade", "b"), "grade", 4, "must be one of A, B, C, D", "b"),
    G("empty grade", grades_cell(6, "grade", ""), "grade", 6, "must not be empty"),
    G("empty body", grades_cell(9, "body_id", " "), "body_id", 9, "must not be empty"),
    G("p_serious above 1", grades_cell(7, "p_serious", "1.5"), "p_serious", 7, "must be in [0, 1]", "1.5"),
    G("p_serious in words", grades_cell(8, "p_serious", "high"), "p_serious", 8, "must be a number", "high"),
    G("as_of not ISO", grades_cell(2, "as_of", "2026/10/01"), "as_of", 2, "must be a date YYYY-MM-DD", "2026/10/01"),
    G("no grade column", text(GOOD_GRADES.replace(",grade\n", ",grd\n", 1)), "grade", None, "missing column"),
    G("no body_id column", text(GOOD_GRADES.replace("body_id,", "body,", 1)), "body_id", None, "missing column"),
    G("UTF-16", text(GOOD_GRADES.encode("utf-16")), "", None, "file is UTF-16 text, not UTF-8"),
    G("missing file", nothing, "", None, "file does not exist"),
    G("header only", text("body_id,grade\n"), "", None, "table has no rows (at least one is required)"),
    G("not a spreadsheet", text(b"not a zip"), "", None, "file cannot be read as XLSX", suffix=".xlsx"),
    G("not Parquet", text(b"PAR1 not parquet"), "", None, "file cannot be read as Parquet", suffix=".parquet"),
]  # fmt: skip
GRADES_COMMANDS = {
    "commit": (["commit", "{core}", "--grades", "{bad}", "--budget", "4", "--out", "{tmp}/draws"], "draws"),
    "draw": (["draw", "{core}", "--grades", "{bad}", "--budget", "4", "--seed", "s1", "--out", "{tmp}/draws"], "draws"),
    "plan": (["plan", "{core}", "--grades", "{bad}", "--budget", "4", "--reps", "2", "--out", "{tmp}/plan"], "plan"),
    "estimate": (["estimate", "{core}", "--as-of", AS_OF, "--grades", "{bad}", "--out", "{tmp}/est.csv"], "est.csv"),
}
GRADES_CASES: list[tuple[str, GradesCase]] = [
    (command, case) for case in KEY_GRADES_CASES for command in GRADES_COMMANDS
]
GRADES_CASES += [(list(GRADES_COMMANDS)[i % 4], case) for i, case in enumerate(MORE_GRADES_CASES)]


# ------------------------------------------------------------------ options


@dataclass(frozen=True)
class OptionCase:
    id: str
    argv: list[str]
    option: str  # the option (or argument, or path) the message names
    message: str  # a fragment of the sentence
    unwritten: str = ""  # a path under {tmp} that must not exist afterwards
    stdout: str = ""  # what stdout starts with ("" = nothing printed)
    setup: Callable[[Path, Path], object] | None = None  # prepares {tmp}, given ({tmp}, {data})


def keep_file(name: str) -> Callable[[Path, Path], object]:
    return lambda tmp, data: (tmp / name).write_text("keep")


def copy_data(name: str) -> Callable[[Path, Path], object]:
    return lambda tmp, data: shutil.copytree(data, tmp / name)


def rules_file(old: str, new: str) -> Callable[[Path, Path], object]:
    """Writes {tmp}/rules.toml: the rules that ship, with ``old`` replaced by ``new``."""
    from supervision.rules import DEFAULT_RULES

    def write(tmp: Path, data: Path) -> None:
        text = DEFAULT_RULES.read_text(encoding="utf-8")
        assert old in text, old
        (tmp / "rules.toml").write_text(text.replace(old, new, 1), encoding="utf-8")

    return write


_MADE: dict[bool, Path] = {}  # the draws of tests/publishing.py, made once per session, copied into each case


Setup = Callable[[Path, Path], object]


def publish_draw(uncommitted: bool = False, change: str = "", stray: bool = False) -> Setup:
    """Puts draw P1 of tests/publishing.py into {tmp}/draws/P1 (``change``: a line added to its public list;
    ``stray``: {tmp}/data is the minimal data with an inspection of P1 on CB004, a body it did not draw)."""

    def setup(tmp: Path, _data: Path) -> None:
        from publishing import data_with, make_draw, result

        if uncommitted not in _MADE or not _MADE[uncommitted].is_dir():
            _MADE[uncommitted] = make_draw(tmp / "made", uncommitted=uncommitted)
        folder = Path(shutil.copytree(_MADE[uncommitted], tmp / "draws" / "P1"))
        if change:
            with (folder / "public_list.csv").open("a", encoding="utf-8") as handle:
                handle.write(change)
        if stray:
            data_with(tmp / "data", [result("CB004", "2026-10-09", number=7)])

    return setup


def publish_other_registry(tmp: Path, data: Path) -> None:
    """Draw P1, and {tmp}/data holding one more body approved before the draw than its registry had."""
    publish_draw()(tmp, data)
    (tmp / "data").mkdir()
    for path in data.iterdir():
        shutil.copy(path, tmp / "data" / path.name)
    with (tmp / "data" / "bodies.csv").open("a", encoding="utf-8") as handle:
        handle.write("CB013,新增认证有限公司,11,2020-01-01,false,true,active,,QMS\n")


DATE = "must be a date YYYY-MM-DD; got"
REQUIRED = "the following arguments are required:"
TRACKING = ["--tracking-uri", "sqlite:///{tmp}/mlflow.db"]
COMMIT = ["commit", "{data}", "--grades", "{grades}", "--budget", "4", "--out", "{tmp}/draws"]
DRAW = ["draw", "{data}", "--grades", "{grades}", "--budget", "4", "--seed", "s1", "--out", "{tmp}/draws"]
PLAN = ["plan", "{data}", "--grades", "{grades}", "--budget", "4", "--reps", "2", "--out", "{tmp}/plan"]
ESTIMATE = ["estimate", "{data}", "--as-of", AS_OF, "--out", "{tmp}/est.csv"]
SCORE = ["score", "{data}", "--as-of", AS_OF, "--inspections", "{tmp}/planned.csv", "--out", "{tmp}/s.csv"]
MONITOR = ["monitor", "{data}", "--as-of", AS_OF, "--out", "{tmp}/mon"]
VERIFY = ["verify", "{tmp}/nofolder", "--data", "{data}", "--commitment", "ab" * 32, "--seed", "s1"]
PUBLISH = ["publish", "{tmp}/draws/P1", "--data", "{data}", "--on", "2026-11-09", "--out", "{tmp}/res.csv"]

Opt = OptionCase
OPTION_CASES: list[OptionCase] = [
    # validate
    Opt("validate day/month/year", ["validate", "{data}", "--as-of", "01/10/2026"], "`--as-of`", f"{DATE} '01/10/2026'."),
    Opt("validate year only", ["validate", "{data}", "--as-of", "2026"], "`--as-of`", f"{DATE} '2026'."),
    Opt("validate 30 February", ["validate", "{data}", "--as-of", "2026-02-30"], "`--as-of`", "that exists; got '2026-02-30'"),
    Opt("validate out of range", ["validate", "{data}", "--as-of", "9999-01-01"], "`--as-of`", "between 1678-01-01 and 2261-12-31"),
    Opt("validate with a time", ["validate", "{data}", "--as-of", "2026-10-01T08:00"], "`--as-of`", DATE),
    Opt("validate language", ["validate", "{data}", "--lang", "fr"], "--lang", "invalid choice: 'fr'"),
    Opt("validate without a directory", ["validate"], "DATA", f"{REQUIRED} DATA (see certrisk validate --help)."),
    Opt("validate a missing directory", ["validate", "{tmp}/nowhere"], "nowhere", "does not exist"),
    Opt("validate a file", ["validate", "{grades}"], "grades.csv", "is not a directory"),
    # features
    Opt("features without --out", ["features", "{data}", "--as-of", AS_OF], "--out", f"{REQUIRED} --out"),
    Opt("features without --as-of", ["features", "{data}", "--out", "{tmp}/f.csv"], "--as-of", f"{REQUIRED} --as-of", "f.csv"),
    Opt("features single digits", ["features", "{data}", "--as-of", "2026-1-5", "--out", "{tmp}/f.csv"], "`--as-of`", DATE, "f.csv"),
    Opt("features format", ["features", "{data}", "--as-of", AS_OF, "--out", "{tmp}/f.txt"], "`--out`", "must end in .parquet, .csv, .xlsx", "f.txt"),
    Opt("features missing data", ["features", "{tmp}/nowhere", "--as-of", AS_OF, "--out", "{tmp}/f.csv"], "nowhere", "does not exist", "f.csv"),
    # profile
    Opt("profile without a body", ["profile", "{data}", "--as-of", AS_OF], "BODY_ID", "give BODY_ID (one body), or `--draw`"),
    Opt("profile month/day/year", ["profile", "{data}", "CB001", "--as-of", "10/01/2026"], "`--as-of`", DATE),
    Opt("profile unknown body", ["profile", "{data}", "CB999", "--as-of", AS_OF], "CB999", "is not in the feature table"),
    Opt("profile language", ["profile", "{data}", "CB001", "--as-of", AS_OF, "--lang", "de"], "--lang", "invalid choice"),
    # train (the tracking store, if any, goes into the case's folder)
    Opt("train without --as-of", ["train", "{data}", *TRACKING], "--as-of", f"{REQUIRED} --as-of"),
    Opt("train year only", ["train", "{data}", "--as-of", "2026", *TRACKING], "`--as-of`", DATE),
    Opt("train language", ["train", "{data}", "--as-of", AS_OF, "--lang", "fr", *TRACKING], "--lang", "invalid choice: 'fr'"),
    Opt("train seed", ["train", "{data}", "--as-of", AS_OF, "--seed", "1.5", *TRACKING], "--seed", "invalid int value: '1.5'"),
    Opt("train empty tracking URI", ["train", "{data}", "--as-of", AS_OF, "--tracking-uri", ""], "`--tracking-uri`", "must be an MLflow tracking URI, e.g. sqlite:///mlflow.db; got ''"),
    Opt("train budget share of one", ["train", "{data}", "--as-of", AS_OF, "--budget-share", "1", *TRACKING], "`--budget-share`", "must be a share in (0, 1), e.g. 0.25; got 1.0"),
    Opt("train existing run folder", ["train", "{data}", "--as-of", AS_OF, "--out", "{tmp}", *TRACKING], "run folder", "already exists"),
    # grade
    Opt("grade without --out", ["grade", "{data}", "--as-of", AS_OF, *TRACKING], "--out", f"{REQUIRED} --out"),
    Opt("grade slashes", ["grade", "{data}", "--as-of", "2026/10/01", "--out", "{tmp}/g.csv", *TRACKING], "`--as-of`", DATE, "g.csv"),
    Opt("grade format", ["grade", "{data}", "--as-of", AS_OF, "--out", "{tmp}/g.pdf", *TRACKING], "`--out`", "must end in", "g.pdf"),
    Opt("grade empty alias", ["grade", "{data}", "--as-of", AS_OF, "--out", "{tmp}/g.csv", "--alias", " ", *TRACKING], "`--alias`", "must be the name of a registry alias", "g.csv"),
    Opt("grade language", ["grade", "{data}", "--as-of", AS_OF, "--out", "{tmp}/g.csv", "--lang", "fr"], "--lang", "invalid choice", "g.csv"),
    # score and stringency
    Opt("score without --inspections", ["score", "{data}", "--as-of", AS_OF, "--out", "{tmp}/s.csv"], "--inspections", f"{REQUIRED} --inspections", "s.csv"),
    Opt("score year only", [*SCORE[:3], "2026", *SCORE[4:], *TRACKING], "`--as-of`", DATE, "s.csv"),
    Opt("score format", [*SCORE[:-1], "{tmp}/s.txt", *TRACKING], "`--out`", "must end in .parquet, .csv, .xlsx", "s.txt"),
    Opt("score empty tracking URI", [*SCORE, "--tracking-uri", ""], "`--tracking-uri`", "must be an MLflow tracking URI", "s.csv"),
    Opt("score unknown URI scheme", [*SCORE, "--tracking-uri", "foo://bar"], "`--tracking-uri`", "must name a database (sqlite:///PATH/mlflow.db", "s.csv"),
    Opt("grade file store folder", ["grade", "{data}", "--as-of", AS_OF, "--out", "{tmp}/g.csv", "--tracking-uri", "{tmp}/mlruns"], "`--tracking-uri`", "MLflow's file store", "g.csv"),
    Opt("score kinds", [*SCORE, "--kinds", "some", *TRACKING], "--kinds", "invalid choice: 'some'", "s.csv"),
    Opt("stringency without --out", ["stringency", "{data}", "--as-of", AS_OF], "--out", f"{REQUIRED} --out"),
    Opt("stringency day/month/year", ["stringency", "{data}", "--as-of", "01/10/2026", "--out", "{tmp}/st"], "`--as-of`", DATE, "st"),
    Opt("stringency kinds", ["stringency", "{data}", "--as-of", AS_OF, "--out", "{tmp}/st", "--kinds", "x"], "--kinds", "invalid choice: 'x'", "st"),
    # commit
    Opt("commit without --budget", COMMIT[:4] + COMMIT[6:], "--budget", f"{REQUIRED} --budget", "draws"),
    Opt("commit without --grades", COMMIT[:2] + COMMIT[4:], "--grades", f"{REQUIRED} --grades", "draws"),
    Opt("commit budget in words", COMMIT[:5] + ["ten"] + COMMIT[6:], "--budget", "invalid int value: 'ten'", "draws"),
    Opt("commit budget zero", COMMIT[:5] + ["0"] + COMMIT[6:], "`--budget`", "must be a positive integer; got 0", "draws"),
    Opt("commit floor", [*COMMIT, "--floor", "1.5"], "`--floor`", "must be in [0, 1); got 1.5", "draws"),
    Opt("commit certificate weight", [*COMMIT, "--certificate-weight", "1"], "`--certificate-weight`", "must be in [0, 1)", "draws"),
    Opt("commit team of one", [*COMMIT, "--team-size", "1"], "`--team-size`", "must be an integer >= 2", "draws"),
    Opt("commit draw id", [*COMMIT, "--draw-id", "../elsewhere"], "`--draw-id`", "no '..' and no path separators", "draws"),
    Opt("commit year only", [*COMMIT, "--as-of", "2026"], "`--as-of`", DATE, "draws"),
    Opt("commit missing data", ["commit", "{tmp}/nowhere", *COMMIT[2:]], "nowhere", "does not exist", "draws"),
    # draw
    Opt("draw without --seed", DRAW[:6] + DRAW[8:], "--seed", f"{REQUIRED} --seed", "draws"),
    Opt("draw empty seed", DRAW[:7] + [""] + DRAW[8:], "`--seed`", "must be the public seed string", "draws"),
    Opt("draw seed with a line break", DRAW[:7] + ["07 19 23\n"] + DRAW[8:], "`--seed`", "must not start or end with a blank nor hold a line break", "draws"),
    Opt("draw seed with a blank", DRAW[:7] + [" 07 19 23"] + DRAW[8:], "`--seed`", "got ' 07 19 23'", "draws"),
    Opt("draw day/month/year", [*DRAW, "--as-of", "01/10/2026"], "`--as-of`", DATE, "draws"),
    Opt("draw budget negative", DRAW[:5] + ["-3"] + DRAW[6:], "`--budget`", "must be a positive integer; got -3", "draws"),
    Opt("draw team of zero", [*DRAW, "--team-size", "0"], "`--team-size`", "must be an integer >= 2", "draws"),
    Opt("draw language", [*DRAW, "--lang", "fr"], "--lang", "invalid choice: 'fr'", "draws"),
    Opt("draw floor in words", [*DRAW, "--floor", "low"], "--floor", "invalid float value: 'low'", "draws"),
    # plan
    Opt("plan reps zero", PLAN[:7] + ["0"] + PLAN[8:], "`--reps`", "must be a positive integer; got 0", "plan"),
    Opt("plan reps in words", PLAN[:7] + ["many"] + PLAN[8:], "--reps", "invalid int value: 'many'", "plan"),
    Opt("plan frontier reps zero", [*PLAN, "--frontier-reps", "0"], "`--frontier-reps`", "must be a positive integer", "plan"),
    Opt("plan out is a file", PLAN[:-1] + ["{tmp}/taken"], "`--out`", "must be a folder", setup=keep_file("taken")),
    Opt("plan budget too large", PLAN[:5] + ["100"] + PLAN[6:], "budget", "not larger than the frame", "plan"),
    Opt("plan year only", [*PLAN, "--as-of", "2026"], "`--as-of`", DATE, "plan"),
    Opt("plan without --budget", PLAN[:4] + PLAN[6:], "--budget", f"{REQUIRED} --budget", "plan"),
    # verify
    Opt("verify without --commitment", VERIFY[:4] + VERIFY[6:], "--commitment", f"{REQUIRED} --commitment"),
    Opt("verify without --data", VERIFY[:2] + VERIFY[4:], "--data", f"{REQUIRED} --data"),
    Opt("verify no draw folder", VERIFY, "nofolder", "is not a draw folder: manifest.json is missing"),
    Opt("verify missing data", VERIFY[:3] + ["{tmp}/nowhere"] + VERIFY[4:], "nowhere", "does not exist"),
    # publish
    Opt("publish without --data", PUBLISH[:2] + PUBLISH[4:], "--data", f"{REQUIRED} --data", "res.csv"),
    Opt("publish without --out", PUBLISH[:6], "--out", f"{REQUIRED} --out"),
    Opt("publish day/month/year", PUBLISH[:5] + ["09/11/2026"] + PUBLISH[6:], "`--on`", DATE, "res.csv"),
    Opt("publish format", PUBLISH[:7] + ["{tmp}/res.txt"], "`--out`", "must end in .csv or .xlsx", "res.txt"),
    Opt("publish out is a folder", PUBLISH[:7] + ["{tmp}/taken.csv"], "`--out`", "is a folder, not a file", setup=lambda tmp, data: (tmp / "taken.csv").mkdir()),
    Opt("publish language", [*PUBLISH, "--lang", "fr"], "--lang", "invalid choice: 'fr'", "res.csv"),
    Opt("publish holidays not dates", [*PUBLISH, "--holidays", "{tmp}/h.txt"], "`--holidays`", "line 2 must be a date YYYY-MM-DD; got '2026/10/02'", "res.csv", setup=lambda tmp, data: (tmp / "h.txt").write_text("2026-10-01\n2026/10/02\n")),
    Opt("publish holidays missing", [*PUBLISH, "--holidays", "{tmp}/h.txt"], "`--holidays`", "is not a file", "res.csv"),
    Opt("publish no draw folder", PUBLISH, "P1", "does not exist", "res.csv"),
    Opt("publish a folder that is no draw", PUBLISH, "P1", "is not a draw folder: manifest.json is missing", "res.csv", setup=lambda tmp, data: (tmp / "draws" / "P1").mkdir(parents=True)),
    Opt("publish an uncommitted draw", PUBLISH, "P1", "is uncommitted (an exercise)", "res.csv", setup=publish_draw(uncommitted=True)),
    Opt("publish a changed public list", PUBLISH, "public_list.csv", "was changed since the draw", "res.csv", setup=publish_draw(change="P1,2026-10-01,CB008,x,provincial,x,,x\n")),
    Opt("publish another registry", PUBLISH[:3] + ["{tmp}/data"] + PUBLISH[4:], "P1", "do not verify against the commitment of draw P1", "res.csv", setup=publish_other_registry),
    Opt("publish a result of a body not drawn", PUBLISH[:3] + ["{tmp}/data"] + PUBLISH[4:], "R007 (CB004)", "for bodies it did not draw", "res.csv", setup=publish_draw(stray=True)),
    Opt("publish before the draw", PUBLISH[:5] + ["2026-09-30"] + PUBLISH[6:], "`--on`", "must not be before the draw's as-of date 2026-10-01", "res.csv", setup=publish_draw()),
    # estimate
    Opt("estimate day/month/year", ESTIMATE[:3] + ["01/10/2026"] + ESTIMATE[4:], "`--as-of`", DATE, "est.csv"),
    Opt("estimate since year only", [*ESTIMATE, "--since", "2026"], "`--since`", f"{DATE} '2026'", "est.csv"),
    Opt("estimate since after as-of", [*ESTIMATE, "--since", "2027-01-01"], "`--since`", "must be before the as-of date 2026-10-01", "est.csv"),
    Opt("estimate empty window", [*ESTIMATE, "--since", "2026-09-30"], "--since", "widen the window with --since", "est.csv"),
    Opt("estimate format", ESTIMATE[:-1] + ["{tmp}/est.txt"], "`--out`", "must end in .parquet, .csv, .xlsx", "est.txt"),
    Opt("estimate draws folder", [*ESTIMATE, "--draws", "{tmp}/nodraws"], "`--draws`", "must be an existing folder of draws", "est.csv"),
    Opt("estimate without --out", ESTIMATE[:-2], "--out", f"{REQUIRED} --out"),
    # monitor
    Opt("monitor without --as-of", MONITOR[:2] + MONITOR[4:], "--as-of", f"{REQUIRED} --as-of"),
    Opt("monitor year only", [*MONITOR[:3], "2026", *MONITOR[4:]], "`--as-of`", DATE, "mon"),
    Opt("monitor unknown indicator", [*MONITOR, "--rules", "{tmp}/rules.toml"], "indicators.complaints_per_day", "is not an indicator of the catalogue", "mon", setup=rules_file("[indicators.complaints_12m]", "[indicators.complaints_per_day]")),
    Opt("monitor percentile out of range", [*MONITOR, "--rules", "{tmp}/rules.toml"], "indicators.missing_checkin_rate.value", "must be a number between 0 and 100 (exclusive) (found 150)", "mon", setup=rules_file("value = 95\npoints = 2\n\n[indicators.missing_checkout_rate]", "value = 150\npoints = 2\n\n[indicators.missing_checkout_rate]")),
    Opt("monitor levels out of order", [*MONITOR, "--rules", "{tmp}/rules.toml"], "levels", "must rise strictly from blue to yellow", "mon", setup=rules_file("orange = 6", "orange = 3")),
    Opt("monitor rules not TOML", [*MONITOR, "--rules", "{tmp}/rules.toml"], "--rules", "must be TOML", "mon", setup=rules_file("[peers]", "[peers")),
    Opt("monitor missing rules", [*MONITOR, "--rules", "{tmp}/none.toml"], "none.toml", "must exist", "mon"),
    Opt("monitor dispositions without previous", [*MONITOR, "--dispositions", "{tmp}/d.csv"], "--dispositions", "needs --previous", "mon"),
    Opt("monitor previous not a folder", [*MONITOR, "--previous", "{tmp}/nothing"], "--previous", "no such folder", "mon"),
    Opt("monitor previous not an output", [*MONITOR, "--previous", "{tmp}/full"], "--previous", "monitor.json is missing or unreadable", "mon", setup=copy_data("full")),
    Opt("monitor language", [*MONITOR, "--lang", "fr"], "--lang", "invalid choice: 'fr'"),
    # generate, demo, report
    Opt("generate scale zero", ["generate", "--out", "{tmp}/sim", "--scale", "0"], "`--scale`", "must be between 0.001 and 10", "sim"),
    Opt("generate scale in words", ["generate", "--out", "{tmp}/sim", "--scale", "big"], "--scale", "invalid float value: 'big'", "sim"),
    Opt("generate seed", ["generate", "--out", "{tmp}/sim", "--seed", "x"], "--seed", "invalid int value: 'x'", "sim"),
    Opt("generate negative seed", ["generate", "--out", "{tmp}/sim", "--seed", "-1"], "`--seed`", "must be an integer >= 0; got -1", "sim"),
    Opt("generate into a full folder", ["generate", "--out", "{tmp}/full"], "`--out`", "full' exists and is not empty", setup=copy_data("full")),
    Opt("generate without a folder", ["generate"], "--out", f"{REQUIRED} --out (see certrisk generate --help)."),
    Opt("generate two folders", ["generate", "{tmp}/a", "--out", "{tmp}/b"], "`--out DIR`", "give the output folder once", "a"),
    Opt("demo scale", ["demo", "--out", "{tmp}/demo", "--scale", "20"], "`--scale`", "must be between 0.001 and 10", "demo"),
    Opt("demo language", ["demo", "--out", "{tmp}/demo", "--lang", "fr"], "--lang", "invalid choice: 'fr'", "demo"),
    Opt("report missing run", ["report", "{tmp}/norun", "--out", "{tmp}/r.md"], "`TRAINING_DIR`", "must be an existing training run folder", "r.md"),
    Opt("report format", ["report", "{tmp}/norun", "--out", "{tmp}/r.pdf"], "`--out`", "must end in .md or .html", "r.pdf"),
    Opt("report missing draw", ["report", "{tmp}/run", "--draw", "{tmp}/nodraw", "--out", "{tmp}/r.md"], "`--draw`", "must be an existing draw folder; got", "r.md", setup=lambda tmp, data: (tmp / "run").mkdir() or (tmp / "run" / "run.json").write_text("{}")),
    Opt("report estimates not CSV", ["report", "{tmp}/run", "--estimates", "{tmp}/e.xlsx", "--out", "{tmp}/r.md"], "`--estimates`", "must be a .csv file of population estimates", "r.md", setup=lambda tmp, data: (tmp / "run").mkdir() or (tmp / "run" / "run.json").write_text("{}")),
    Opt("report without --out", ["report", "{tmp}/norun"], "--out", f"{REQUIRED} --out"),
    # the command itself
    Opt("unknown command", ["validtae", "{data}"], "COMMAND", "invalid choice: 'validtae'"),
    Opt("no command", [], "COMMAND", f"{REQUIRED} COMMAND"),
]  # fmt: skip
