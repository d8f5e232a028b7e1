"""`certrisk estimate --draws`: the closed loop in one quarter, the certificates each body held at its draw,
the refusal of inspections that checked more, and the model-assisted (difference) rows with their width ratio.

One simulated world (10 %, seed 7): a draw made in-process for the quarter after the snapshot (predictions = the
world's true quarterly risk, committed in the frame), its bodies inspected by the simulator with exactly the
certificates stage 2 listed, and the estimates of that quarter.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from certrisk.catalogue import words as catalogue_words
from certrisk.cli import main
from certrisk.draw import DrawConfig, make_draw
from certrisk.estimate_draws import held_certificates, read_draw_frames
from certrisk.estimate_job import estimate_population, random_inspections
from certrisk.report.document import _Doc, _render_markdown
from certrisk.report.figures import _Figures
from certrisk.report.sections import _estimates_section
from features.rules import is_serious
from simulator import generate_world

BUDGET = 30


def _restamp(folder: Path) -> None:
    """Record the edited frame.csv's SHA-256 in the manifest, so that the frame itself is checked, not its hash."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["outputs"]["frame.csv"] = hashlib.sha256((folder / "frame.csv").read_bytes()).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


@pytest.fixture(scope="module")
def loop(tmp_path_factory):
    """The world after one drawn quarter, the draws folder, the grades and the draw's outputs."""
    root = tmp_path_factory.mktemp("loop")
    world = generate_world(scale=0.1, seed=7, future_quarters=1)
    tables = world.tables()
    tables["inspectors"], tables["conflicts"] = tables["inspectors"].iloc[:0], tables["conflicts"].iloc[:0]
    as_of = world.as_of
    risk = world.truth()["risk_quarterly"]
    p = risk[risk["quarter_start"] == as_of].set_index("body_id")["p_serious"]
    ids = tables["bodies"]["body_id"]
    grades = pd.DataFrame(
        {
            "body_id": ids,
            "grade": pd.qcut(ids.map(p).rank(method="first"), 4, labels=list("ABCD")).astype(str),
            "p_serious": ids.map(p),
        }
    )
    config = DrawConfig(as_of=as_of, budget=BUDGET, public_seed="2026-10-08 lottery 03 11 17 29 36")
    folder, outputs = make_draw(tables, grades, config, root / "draws", uncommitted=True)
    drawn = outputs.tables["frame.csv"].query("selected").sort_values("body_id")
    listed = outputs.tables["certificates.csv"].groupby("body_id").size().reindex(drawn["body_id"], fill_value=0)
    world.inspect(
        drawn["body_id"].tolist(),
        as_of + pd.to_timedelta(np.arange(len(drawn)) % 80 + 7, unit="D"),
        kind="random",
        inclusion_prob=drawn["pi"].to_numpy(),
        draw_id=outputs.draw_id,
        certs_listed=listed.tolist(),
    )
    end = as_of + pd.DateOffset(months=3)
    data = world.write_data(root / "data", end)
    return {
        "world": world,
        "tables": world.tables(end),
        "end": end,
        "since": as_of,
        "grades": grades,
        "draws": root / "draws",
        "folder": folder,
        "draw_id": outputs.draw_id,
        "data": data,
        "root": root,
    }


def _estimate(loop, tables=None, draws="given", notes=None):
    return estimate_population(
        loop["tables"] if tables is None else tables,
        loop["end"],
        since=loop["since"],
        grades=loop["grades"],
        draws=loop["draws"] if draws == "given" else draws,
        say=(notes.append if notes is not None else None),
    )


@pytest.fixture(scope="module")
def with_draws(loop):
    notes: list[str] = []
    return _estimate(loop, notes=notes), notes


def test_certs_held_is_the_count_of_the_draws_stage2_frame(loop):
    ins = random_inspections(loop["tables"], loop["end"], loop["since"])
    assert set(ins["draw_id"]) == {loop["draw_id"]} and len(ins) == BUDGET
    held = held_certificates(loop["tables"], ins, read_draw_frames(loop["draws"], [loop["draw_id"]]))
    stage2 = pd.read_csv(loop["folder"] / "stage2_frame.csv", dtype=str, encoding="utf-8-sig")
    count = stage2.groupby("body_id").size().reindex(ins["body_id"], fill_value=0).to_numpy()
    np.testing.assert_array_equal(held, count)
    frame = pd.read_csv(loop["folder"] / "frame.csv", dtype={"body_id": str}, encoding="utf-8-sig")
    np.testing.assert_array_equal(held, ins["body_id"].map(frame.set_index("body_id")["certs_held"]).to_numpy())
    # the closed loop checks what stage 2 listed: min(held, the grade's size), never more than held
    assert (ins["certs_checked"] <= held).all() and (ins["certs_checked"] > 0).any()


def test_without_draws_the_count_is_the_registry_rule_on_the_first_day_of_the_quarter(loop):
    ins = random_inspections(loop["tables"], loop["end"], loop["since"])
    held = held_certificates(loop["tables"], ins, {})
    certs = loop["tables"]["certificates"]
    rows = certs["body_id"].value_counts().reindex(ins["body_id"], fill_value=0).to_numpy()
    # by hand: the inspected body with the fewest certificate records that holds some and not all of them
    k = int(np.argmin(np.where((held > 0) & (rows > held), rows, np.inf)))
    body, day = ins["body_id"].iloc[k], pd.Timestamp("2026-10-01")  # inspected in 2026 Q4
    assert ins["inspected_on"].iloc[k] >= day
    by_hand = 0
    for row in certs[certs["body_id"] == body].itertuples():
        # valid on the day (features.rules.certificate_end): issued before it and still valid on it, i.e. until
        # expires_on + 1 s, or until the status change of a suspended or withdrawn certificate that has one
        end = row.expires_on + pd.Timedelta(seconds=1)
        if row.status in ("suspended", "withdrawn") and not pd.isna(row.status_changed_on):
            end = min(end, row.status_changed_on)
        by_hand += int(row.issued_on < day <= end)
    assert held[k] == by_hand > 0 and rows[k] > by_hand


def test_difference_rows_beside_each_hajek_row_with_the_width_ratio(loop, with_draws):
    table, notes = with_draws
    assert notes == []
    hajek = table["estimator"].isin(["pooled_hajek_ratio", "two_stage_ratio"]).to_numpy()
    assert hajek.sum() == (~hajek).sum()  # one difference row per Hajek row
    for k in np.flatnonzero(hajek):  # ... right after it, same scope and domain
        here, after = table.iloc[k], table.iloc[k + 1]
        assert (after["scope"], after["domain"]) == (here["scope"], here["domain"])
        assert after["estimator"] == ("difference_two_stage" if here["scope"] == "certificates" else "difference")
    shown = table["reliability"] != "suppressed"
    assert table.loc[hajek & shown, "width_ratio"].eq(1).all() and table.loc[~shown, "width_ratio"].isna().all()
    rows = table[(table["scope"] == "overall")]
    width = (rows["ci_high"] - rows["ci_low"]).to_numpy()
    assert rows["width_ratio"].iloc[1] == pytest.approx(width[1] / width[0], rel=1e-12)
    assert 0 < rows["width_ratio"].iloc[1] < 2


def test_the_difference_estimate_by_hand_from_the_folder(loop, with_draws):
    table, _ = with_draws
    frame = pd.read_csv(loop["folder"] / "frame.csv", dtype={"body_id": str}, encoding="utf-8-sig")
    live = frame[frame["in_frame"] & (frame["pi"] > 0)].set_index("body_id")
    ins = random_inspections(loop["tables"], loop["end"], loop["since"])
    y, pi, p = is_serious(ins["outcome"]), ins["inclusion_prob"], ins["body_id"].map(live["prediction"])
    # docs/model-assisted.md: (sum of the frame's predictions + HT sum of the residuals) / bodies of the frame
    by_hand = (live["prediction"].sum() + ((y - p) / pi).sum()) / len(live)
    overall = table[(table["scope"] == "overall") & (table["estimator"] == "difference")].iloc[0]
    assert overall["estimate"] == pytest.approx(by_hand, rel=1e-12)
    # problem certificates: each body's predicted share is its frame grade's share before the draw
    past = loop["tables"]["inspections"]
    past = past[(past["kind"] == "random") & (past["inspected_on"] < loop["since"]) & (past["certs_checked"] > 0)]
    grade = past["body_id"].map(frame.set_index("body_id")["grade"])  # the grade in the draw's frame
    share = past.groupby(grade)["certs_with_problems"].sum() / past.groupby(grade)["certs_checked"].sum()
    q, big_n = live["grade"].map(share), live["certs_held"]
    used = ins[ins["certs_checked"] > 0]
    qk, nk = used["body_id"].map(q), used["body_id"].map(big_n)
    resid = (nk * used["certs_with_problems"] / used["certs_checked"] - qk * nk) / used["inclusion_prob"]
    certs = table[table["estimator"] == "difference_two_stage"].iloc[0]
    assert certs["estimate"] == pytest.approx(((q * big_n).sum() + resid.sum()) / big_n.sum(), rel=1e-12)


def test_without_draws_no_difference_rows_and_the_same_hajek_rows(loop, with_draws):
    notes: list[str] = []
    plain = _estimate(loop, draws=None, notes=notes)
    assert set(plain["estimator"]) == {"pooled_hajek_ratio", "two_stage_ratio"}
    assert notes == [
        "no model-assisted (difference) rows: give --draws DIR, the folder of the draws, whose frames keep the "
        "model's predictions"
    ]
    table, _ = with_draws
    hajek = table[table["estimator"].isin(["pooled_hajek_ratio", "two_stage_ratio"])].reset_index(drop=True)
    # the draw was made on the first day of the quarter: the registry rule gives the draw's own counts
    pd.testing.assert_frame_equal(hajek, plain)


def test_draws_without_folder_or_predictions_get_no_difference_rows(loop, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    notes: list[str] = []
    table = _estimate(loop, draws=empty, notes=notes)
    assert set(table["estimator"]) == {"pooled_hajek_ratio", "two_stage_ratio"}
    assert notes == [
        f"no model-assisted (difference) rows: 1 of the 1 draws of the window have no folder in --draws "
        f"({loop['draw_id']})"
    ]
    blank = tmp_path / "blank"
    shutil.copytree(loop["folder"], blank / loop["draw_id"])
    frame = pd.read_csv(blank / loop["draw_id"] / "frame.csv", dtype=str, keep_default_na=False)
    frame.assign(prediction="").to_csv(blank / loop["draw_id"] / "frame.csv", index=False)
    _restamp(blank / loop["draw_id"])
    notes.clear()
    table = _estimate(loop, draws=blank, notes=notes)
    assert set(table["estimator"]) == {"pooled_hajek_ratio", "two_stage_ratio"}
    assert notes == [
        f"no model-assisted (difference) rows: 1 draw(s) have no prediction in frame.csv ({loop['draw_id']}; "
        "no p_serious in their grades)"
    ]


def _held(loop):
    """certs_held of every body in the draw's frame.csv."""
    frame = pd.read_csv(loop["folder"] / "frame.csv", dtype={"body_id": str}, encoding="utf-8-sig")
    return frame.set_index("body_id")["certs_held"]


def _tampered(loop, column, value):
    tables = dict(loop["tables"])
    ins = tables["inspections"].copy()
    k = ins.index[(ins["draw_id"] == loop["draw_id"]) & (ins["certs_checked"] > 0)][0]
    ins.loc[k, column] = value(ins.loc[k])
    tables["inspections"] = ins
    return tables, ins.loc[k]


def test_an_inspection_that_checked_more_than_held_is_refused(loop):
    held = _held(loop)
    tables, row = _tampered(loop, "certs_checked", lambda r: held[r["body_id"]] + 1)
    message = (
        rf"^1 random inspection\(s\) checked more certificates than the body held at its draw "
        rf"\(certs_checked > certs_held\): draw {loop['draw_id']}, body {row['body_id']}, inspected on "
        rf"{row['inspected_on'].date()}: checked {held[row['body_id']] + 1:g}, held {held[row['body_id']]:g}\. "
        "No estimate was made"
    )
    with pytest.raises(ValueError, match=message):
        _estimate(loop, tables=tables)
    with pytest.raises(ValueError, match=message):  # the registry's count says the same without the folders
        _estimate(loop, tables=tables, draws=None)


def test_an_inspection_that_does_not_match_its_draw_is_refused(loop):
    tables, row = _tampered(loop, "inclusion_prob", lambda r: r["inclusion_prob"] / 2)
    with pytest.raises(
        ValueError,
        match=rf"^1 random inspection\(s\) do not match their draw's frame\.csv in --draws: body {row['body_id']} "
        rf"of draw {loop['draw_id']} inspected on {row['inspected_on'].date()}: inclusion_prob .*, the frame's pi",
    ):
        _estimate(loop, tables=tables)


def test_the_draws_folder_is_checked(loop, tmp_path):
    with pytest.raises(ValueError, match=r"`--draws` must be an existing folder of draws .*; got '.*nowhere'"):
        _estimate(loop, draws=tmp_path / "nowhere")
    with pytest.raises(ValueError, match=r"`--draws` must be the folder that holds the draw folders .* its parent"):
        _estimate(loop, draws=loop["folder"])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f.drop(columns="pi"), r"is not a draw frame: it lacks the column\(s\) pi"),
        (
            lambda f: f.assign(in_frame="yes"),
            r"column in_frame must be True or False; got 'yes' on line 2 \(data row 1\)",
        ),
        (lambda f: f.assign(as_of=np.where(f.index == 0, "2026-07-01", f["as_of"])), r"column as_of must hold"),
    ],
)
def test_a_damaged_frame_is_refused(loop, tmp_path, change, message):
    copy = tmp_path / loop["draw_id"]
    shutil.copytree(loop["folder"], copy)
    frame = pd.read_csv(copy / "frame.csv", dtype=str, keep_default_na=False)
    change(frame).to_csv(copy / "frame.csv", index=False)
    with pytest.raises(ValueError, match=r"frame.csv was changed since the draw \(its SHA-256 differs"):
        _estimate(loop, draws=tmp_path)
    _restamp(copy)
    with pytest.raises(ValueError, match=message):
        _estimate(loop, draws=tmp_path)


def test_estimate_command_with_draws_and_the_refusal(loop, capsys):
    out = loop["root"] / "est.csv"
    common = ["estimate", str(loop["data"]), "--as-of", str(loop["end"].date()), "--since", str(loop["since"].date())]
    grades = loop["root"] / "grades.csv"
    loop["grades"].to_csv(grades, index=False)
    assert main([*common, "--grades", str(grades), "--draws", str(loop["draws"]), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "model-assisted (difference):" in printed and "times as wide as Hajek's" in printed
    table = pd.read_csv(out, encoding="utf-8-sig")
    assert {"difference", "difference_two_stage"} <= set(table["estimator"]) and "width_ratio" in table
    # the same data with one inspection's certs_checked raised above what its body held: exit 1, one message
    tampered = loop["root"] / "tampered"
    shutil.copytree(loop["data"], tampered)
    ins = pd.read_parquet(tampered / "inspections.parquet")
    k = (ins["draw_id"] == loop["draw_id"]).to_numpy().nonzero()[0][0]
    ins.loc[k, "certs_checked"] = _held(loop)[ins.loc[k, "body_id"]] + 1
    ins.to_parquet(tampered / "inspections.parquet")
    bad = loop["root"] / "bad.csv"
    assert main(["estimate", str(tampered), *common[2:], "--draws", str(loop["draws"]), "--out", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("certrisk estimate: 1 random inspection(s) checked more certificates")
    assert f"body {ins.loc[k, 'body_id']}, inspected on {ins.loc[k, 'inspected_on'].date()}" in err
    assert "Traceback" not in err and not bad.exists()


@pytest.mark.filterwarnings("ignore:No CJK font")
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_report_shows_each_difference_row_after_its_hajek_row_with_the_width_in_words(with_draws, tmp_path, lang):
    table, _ = with_draws
    doc = _Doc()
    _estimates_section(doc, _Figures(tmp_path, "figures"), table, lang, catalogue_words(lang, "report"))
    text = _render_markdown(doc)
    assert catalogue_words(lang, "report")["assisted_note"] in text and (tmp_path / "estimates.png").is_file()
    ratio = table.loc[(table["scope"] == "overall") & (table["estimator"] == "difference"), "width_ratio"].iloc[0]
    pct = round(abs(1 - ratio) * 100)
    assert pct > 0, "the case of an equal width is not the one this world gives"
    words = {
        "en": f"{ratio:.2f}: {pct} % {'narrower' if ratio < 1 else 'wider'}",
        "zh": f"{ratio:.2f} 倍：{'窄' if ratio < 1 else '宽'} {pct}%",
    }
    lines = text.splitlines()
    hajek = next(
        k
        for k, line in enumerate(lines)
        if catalogue_words(lang, "report_codes")["estimator_pooled_hajek_ratio"] in line
    )
    assert (
        catalogue_words(lang, "report")["reference"] in lines[hajek]
        and (catalogue_words("zh", "report_codes")["scope_overall"] if lang == "zh" else "overall") in lines[hajek]
    )
    assert (
        catalogue_words(lang, "report_codes")["estimator_difference"] in lines[hajek + 1]
        and words[lang] in lines[hajek + 1]
    )
    assert catalogue_words(lang, "report_codes")["estimator_difference_two_stage"] in text
