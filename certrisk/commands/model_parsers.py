"""The parsers of the model subcommands: train, grade, stringency, score (what they do: :mod:`.model`)."""

from __future__ import annotations

import argparse

from . import model
from .choices import LANGUAGES, PRINTED

__all__ = ["add_train", "add_grade", "add_stringency", "add_score"]


def _add_tracking(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--tracking-uri",
        default=None,
        help="MLflow tracking URI (default: sqlite:///mlflow.db in the working directory)",
    )


def add_train(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "train",
        help="quarterly retraining, tracked in MLflow",
        description="Retrain the plain logistic, the scorecard and the boosting model on past inspections before "
        "--as-of (random draws weighted by 1 / inclusion probability), evaluate them and the champion in force on one "
        "out-of-time window against baselines, choose the champion (captured share at the budget and AUC; a more "
        "complex model only when better beyond the paired-bootstrap noise; calibration as a gate), monitor drift and "
        "log everything to MLflow.",
    )
    p.add_argument("data", help="data directory")
    p.add_argument("--as-of", required=True, help="date YYYY-MM-DD: train on inspections before it")
    p.add_argument("--out", default=None, help="run folder for figures and tables (default runs/train-<as-of>-<run>)")
    p.add_argument(
        "--budget-share",
        type=float,
        default=0.25,
        help="share of the evaluation weight whose captured serious findings rank the models (default 0.25)",
    )
    p.add_argument("--seed", type=int, default=0, help="seed of folds and bootstrap")
    p.add_argument("--lang", choices=list(LANGUAGES), default="en", help="language of figure labels")
    _add_tracking(p)
    p.set_defaults(func=model.train)


def add_grade(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "grade",
        help="grade every body A-D with reasons, by the champion model",
        description="Load the model by alias (default champion), build features as of --as-of and write the grades "
        "table: calibrated probability, points, model grade, grade after overrides, the override rule, reasons.",
    )
    p.add_argument("data", help="data directory")
    p.add_argument("--as-of", required=True, help="date YYYY-MM-DD")
    p.add_argument("--out", required=True, help="output file: .parquet, .csv or .xlsx")
    p.add_argument("--alias", default="champion", help="registry alias to load (default champion)")
    p.add_argument("--lang", choices=list(LANGUAGES), default="en", help="language of the reasons")
    p.add_argument(
        "--net-of-inspectors",
        action="store_true",
        help="grade by the body risk net of the inspector effect: the champion's log-odds shifted by what "
        "accounting for the inspectors changes in the body part (docs/riskmodel.md); adds inspector_shift",
    )
    _add_kinds(p)
    _add_tracking(p)
    p.set_defaults(func=model.grade)


def _add_kinds(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--kinds",
        choices=["random", "all"],
        default="random",
        help="inspections the stringency is estimated from: random draws only (default: their teams were drawn at "
        "random), or every kind adjusted for kind (only if targeted and complaint teams were not chosen for the body)",
    )


def add_stringency(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "stringency",
        help="inspector stringency: who finds more or less than expected (统一执法尺度)",
        description="Estimate every inspector's stringency from the inspections before --as-of, jointly with body "
        "risk: a penalised logistic regression on the body's point-in-time features plus the team (the mean of its "
        "members' effects), each inspector a random effect shrunk towards 0 (docs/riskmodel.md). Writes "
        "DIR/inspector_stringency.csv and .xlsx (stringency on the log-odds scale, 95 % interval, inspections, "
        "assessment in words) and a run record.",
    )
    p.add_argument("data", help="data directory")
    p.add_argument("--as-of", required=True, help="date YYYY-MM-DD: use inspections before it")
    p.add_argument("--out", required=True, metavar="DIR", help="output folder (made if needed)")
    _add_kinds(p)
    p.add_argument("--lang", choices=list(LANGUAGES), default="en", help="language of the assessment column")
    p.set_defaults(func=model.stringency)


def add_score(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "score",
        help="score planned inspections: P(serious) by the body alone and with its team",
        description="For each row of --inspections (body_id, inspected_on YYYY-MM-DD, inspector_ids ;-separated): "
        "p_serious_body, the champion's probability from the body's features as of the earlier of inspected_on and "
        "--as-of; team_effect, the mean stringency of the team's members from the inspections before --as-of (0 for an "
        "inspector without an estimate); p_serious_team, the two together on the log-odds scale. Writes FILE and a "
        "run record.",
    )
    p.add_argument("data", help="data directory")
    p.add_argument("--as-of", required=True, help="date YYYY-MM-DD: what is known when the inspections are planned")
    p.add_argument(
        "--inspections", required=True, metavar="FILE", help="planned inspections (.csv UTF-8, .xlsx or .parquet)"
    )
    p.add_argument("--out", required=True, help="output file: .parquet, .csv or .xlsx")
    p.add_argument("--alias", default="champion", help="registry alias to load (default champion)")
    _add_kinds(p)
    p.add_argument("--lang", choices=list(LANGUAGES), default="en", help=PRINTED)
    _add_tracking(p)
    p.set_defaults(func=model.score)
