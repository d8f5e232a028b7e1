"""The per-body profile pages (`certrisk profile --html`): what a page shows, that it needs nothing beside it,
its words in both languages, and the command's refusals. The pages in a real browser: tests/test_browser.py."""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pandas as pd
import pytest

from certrisk.catalogue import area
from certrisk.cli import main
from certrisk.profile_page import INDEX, Profiler, read_draw, write_profile_page, write_profile_pages
from certrisk.profile_page import figures as figures_module
from features import load_data_dir
from features.build import build_features
from features.codes import INSPECTION_KINDS, LABELS_ZH, OUTCOMES, SIGNAL_KINDS
from features.dictionary import FEATURES
from features.panorama import panoramic_profile
from riskmodel.grading import RULES

AS_OF = pd.Timestamp("2025-07-01")  # the tiny world runs to 2026-10-01: records after this date exist
BODY = "CB00011"  # the body with the most inspections and signals


class Page(HTMLParser):
    """The parts of a page the tests read: feature rows, timeline rows, every src and href, the text."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.features: list[tuple[str, bool]] = []
        self.events: list[str] = []
        self.links: list[str] = []
        self.images: dict[str, str] = {}  # alt -> src
        self.tags: set[str] = set()
        self.chunks: list[str] = []
        self.lang = ""
        self.in_code = False  # style sheets and code (commands, options) are not words
        self.feed(text)
        self.text = " ".join(self.chunks)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.tags.add(tag)
        self.in_code = tag in ("style", "code")
        classes = a.get("class", "").split()
        if tag == "html":
            self.lang = a.get("lang", "")
        if tag == "tr" and "feature" in classes:
            self.features.append((a["data-feature"], "abnormal" in classes))
        if tag == "tr" and "event" in classes:
            self.events.append(" ".join(classes))
        self.links += [a[k] for k in ("src", "href") if k in a]
        if tag == "img":
            self.images[a.get("alt", "")] = a["src"]

    def handle_endtag(self, tag: str) -> None:
        self.in_code = False

    def handle_data(self, data: str) -> None:  # the words a reader sees (not the style sheet)
        if data.strip() and not self.in_code:
            self.chunks.append(data.strip())


def decoded(uri: str) -> str:
    """The SVG of a data URI, checked to be well-formed XML."""
    head, _, body = uri.partition(",")
    assert head == "data:image/svg+xml;base64", head
    svg = base64.b64decode(body).decode("utf-8")
    ET.fromstring(svg)  # raises if the markup is broken
    return svg


@pytest.fixture(scope="module")
def data(small_data_dir):
    return load_data_dir(small_data_dir)


@pytest.fixture(scope="module")
def features(data):
    table = build_features(data, AS_OF)
    row = table.index[table["body_id"] == BODY][0]
    table.loc[row, "missing_checkout_rate"] = 0.9  # beyond every peer: abnormal for certain
    return table


@pytest.fixture(scope="module")
def grades(data):
    bodies = data.tables["bodies"]["body_id"]
    return pd.DataFrame(
        {
            "body_id": bodies,
            "as_of": pd.Timestamp("2025-04-01"),
            "p_serious": 0.42,
            "score": 512.3,
            "model_grade": "B",
            "grade": "C",
            "override": "penalty_12m",
            "reasons": "audits without sign-out: 90.0% (peers 3.0%); complaints in 12 months: 4 (peers 1)",
            "model_version": "7",
        }
    )


@pytest.fixture(scope="module")
def page_en(data, features, grades):
    return Page(Profiler(data.tables, features, grades=grades).html(BODY))


@pytest.fixture(scope="module")
def page_zh(data, features):
    return Page(Profiler(data.tables, features, lang="zh").html(BODY))


# ------------------------------------------------------------------------------------------------ content
def test_every_feature_is_shown_once_abnormal_ones_first(page_en, features):
    names = [name for name, _ in page_en.features]
    assert sorted(names) == sorted(f.name for f in FEATURES) and len(names) == len(FEATURES)
    flags = [abnormal for _, abnormal in page_en.features]
    assert flags == sorted(flags, reverse=True) and flags[0]  # abnormal first, and there is one
    expected = panoramic_profile(features, BODY)
    assert {n for n, a in page_en.features if a} == set(expected.loc[expected["abnormal"], "feature"])
    for note in expected.loc[expected["abnormal"], "note"]:  # the "where to start" list, in words
        assert note in page_en.text
    assert "audits without sign-out: 90.0%" in page_en.text


def test_each_small_plot_marks_the_body_on_the_peers_histogram(page_en, features):
    own = features.set_index("body_id").loc[BODY]
    for spec in FEATURES:
        label = spec.label_en
        (alt,) = [a for a in page_en.images if a.startswith(f"{label}: this body")]
        svg = decoded(page_en.images[alt])
        heights = [float(h) for h in re.findall(r'<rect [^>]*height="([\d.]+)" fill="#c5cfdb"', svg)]
        assert max(heights) == pytest.approx(25.0)  # the tallest bar is the plot's height: 40 - 11 - 4 pixels
        if spec.kind == "flag":  # two bins, edges -0.5, 0.5, 1.5 over 4 .. 216 pixels: 0 at 57, 1 at 163
            x = float(re.search(r'<line x1="([\d.]+)" y1="4" x2="[\d.]+" y2="29" stroke="#(?:1f4e79|c62828)"', svg)[1])
            assert x == pytest.approx(57.0 if own[spec.name] == 0 else 163.0, abs=0.05), spec.name
    # the body's mark is red where the value is abnormal
    assert "#c62828" in decoded(next(v for k, v in page_en.images.items() if k.startswith("audits without sign-out")))


def test_the_peer_histograms_count_every_body(features):
    peers = figures_module.PeerDistributions(features)
    for spec in FEATURES:
        dist = peers[spec.name]
        assert dist.counts.sum() == len(features), spec.name  # no body falls outside the bins
        assert dist.edges[0] <= dist.minimum <= dist.median <= dist.maximum <= dist.edges[-1]


def test_timeline_rows_are_the_bodys_records_before_the_as_of_date(page_en, data):
    ins, sig = data.tables["inspections"], data.tables["signals"]
    mine_ins, mine_sig = ins[ins["body_id"] == BODY], sig[sig["body_id"] == BODY]
    before_ins, before_sig = mine_ins[mine_ins["inspected_on"] < AS_OF], mine_sig[mine_sig["observed_on"] < AS_OF]
    assert len(mine_ins) + len(mine_sig) > len(before_ins) + len(before_sig) > 0  # some records are after it
    assert len(page_en.events) == len(before_ins) + len(before_sig)
    assert sum("inspection" in e for e in page_en.events) == len(before_ins)
    for record in [*before_ins["inspection_id"], *before_sig["signal_id"]]:
        assert record in page_en.text
    for record in [*mine_ins.loc[mine_ins["inspected_on"] >= AS_OF, "inspection_id"]]:
        assert record not in page_en.text
    text = f"{len(before_ins)} inspections and {len(before_sig)} signals dated before 2025-07-01, newest first."
    assert text in page_en.text
    timeline = decoded(page_en.images["Timeline of the inspections and signals of CB00011 before 2025-07-01"])
    assert timeline.count("<circle cx=") == len(before_ins) + len(before_sig) + len(OUTCOMES) + 1  # + the legend


def test_a_body_without_records_before_the_as_of_date_has_no_timeline(tmp_path):
    from minimal_data import write_minimal_data  # CB011: its one inspection and signal are from 2026

    data = load_data_dir(write_minimal_data(tmp_path / "data"))
    as_of = pd.Timestamp("2026-01-01")
    page = Page(Profiler(data.tables, build_features(data, as_of)).html("CB011"))
    assert page.events == [] and "No inspection and no signal dated before 2026-01-01." in page.text
    assert not any(alt.startswith("Timeline") for alt in page.images) and len(page.features) == len(FEATURES)


def test_the_page_is_self_contained(page_en, page_zh, data, features):
    policy = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"  # a browser refuses any other load
    assert f'<meta http-equiv="Content-Security-Policy" content="{policy}">' in Profiler(data.tables, features).html(
        BODY
    )
    for page in (page_en, page_zh):
        assert page.links and all(link.startswith("data:image/") for link in page.links)
        assert not page.tags & {"script", "link", "iframe", "object", "embed"}
        for src in page.links:
            decoded(src)


def test_grade_and_reasons_when_given_and_the_page_says_it_is_internal(page_en):
    text = page_en.text
    assert "Internal: for the supervising authority only" in text and "must not be published" in text
    for words in (
        "model grade B",
        "raised by administrative penalty in 12 months (at least C)",
        "probability of a serious finding 42.0%",
        "score (points) 512.3",
        "model version 7",
        "audits without sign-out: 90.0% (peers 3.0%) complaints in 12 months: 4 (peers 1)",  # two list items
        "The grades are as of 2025-04-01, the profile as of 2025-07-01.",
    ):
        assert words in text, words


def test_without_grades_the_page_says_no_grade_was_given(page_zh, data, features, grades):
    assert "未提供风险等级" in page_zh.text and "风险等级文件中没有" not in page_zh.text
    others = grades[grades["body_id"] != BODY]
    page = Page(Profiler(data.tables, features, grades=others).html(BODY))
    assert "The grades file gives no grade for this body." in page.text


def test_chinese_pages_have_chinese_labels_only(page_zh, features):
    assert page_zh.lang == "zh-CN"
    for spec in FEATURES:
        assert spec.label_zh in page_zh.text, spec.name
    for words in ("全景画像", "异常提示（从这里开始检查）", "全部特征与同行比较", "检查与信号时间线", "风险等级及原因"):
        assert words in page_zh.text
    english = [v for k, v in area("profile")["en"].items() if k != "html_lang" and len(v) > 3]
    english += [spec.label_en for spec in FEATURES]
    found = [words for words in english if re.search(rf"(?<![\w-]){re.escape(words)}(?![\w-])", page_zh.text)]
    assert found == []
    timeline = decoded(next(v for k, v in page_zh.images.items() if k.endswith("之前的检查与信号时间线")))
    assert ">检查<" in timeline and ">严重问题<" in timeline


def test_names_from_the_data_are_escaped(data, features):
    tables = dict(data.tables)
    bodies = tables["bodies"].copy()
    bodies.loc[bodies["body_id"] == BODY, "name"] = '<script>alert("x")</script> & Co'
    tables["bodies"] = bodies
    text = Profiler(tables, features).html(BODY)
    assert "<script>" not in text and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co" in text


def test_every_word_exists_in_both_languages():
    words, codes_en = area("profile"), area("profile_codes")["en"]
    assert words["en"].keys() == words["zh"].keys()  # every area: tests/test_catalogue.py
    assert {f"family_{f.family}" for f in FEATURES} <= words["en"].keys()
    assert {k.removeprefix("override_") for k in words["en"] if k.startswith("override_")} == set(RULES)
    for column, codes in (("inspection_kind", INSPECTION_KINDS), ("outcome", OUTCOMES), ("signal_kind", SIGNAL_KINDS)):
        named = {k.split(".", 1)[1] for k in codes_en if k.split(".", 1)[0] == column}
        assert named == set(codes) == set(LABELS_ZH[column])


def test_errors_of_the_job(data, features, tmp_path):
    with pytest.raises(ValueError, match=r"`lang` must be one of en, zh; got 'fr'"):
        Profiler(data.tables, features, lang="fr")
    with pytest.raises(ValueError, match=r"`features` must hold one as-of date"):
        Profiler(data.tables, pd.concat([features, features.assign(as_of=AS_OF - pd.Timedelta(days=1))]))
    with pytest.raises(ValueError, match=r"`grades` must have the columns body_id and grade; it has body_id, note"):
        Profiler(data.tables, features, grades=pd.DataFrame({"body_id": [BODY], "note": ["x"]}))
    profiler = Profiler(data.tables, features)
    with pytest.raises(ValueError, match=r"BODY_ID 'NOPE' is not a body of the data set"):
        profiler.html("NOPE")
    with pytest.raises(ValueError, match=r"BODY_ID 'CB00038' was approved on 2025-12-03, not before the as-of date"):
        profiler.html("CB00038")
    with pytest.raises(ValueError, match=r"`out` must end in \.html; got '.*page\.htm'"):
        write_profile_page(profiler, BODY, tmp_path / "page.htm")
    assert list(tmp_path.iterdir()) == []


def test_a_failure_midway_leaves_the_earlier_pages(data, features, tmp_path, monkeypatch):
    from certrisk.profile_page import Draw

    profiler = Profiler(data.tables, features)
    out = tmp_path / "pages"
    draw = Draw("D1", "2025-07-01", ["CB00001", "CB00002", "CB00003"])
    write_profile_pages(profiler, draw, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    calls = []

    def broken(*args, **kwargs):
        calls.append(1)
        if len(calls) > 50:  # in the second body's page
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    real = figures_module.strip_svg
    monkeypatch.setattr("certrisk.profile_page.pages.strip_svg", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        write_profile_pages(profiler, Draw("D1", "2025-07-01", ["CB00004", "CB00005"]), out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pages"]  # no temporary left behind


# --------------------------------------------------------------------------------------------- command
@pytest.fixture(scope="module")
def drawn(small_data_dir, tmp_path_factory):
    """An exercise draw of the tiny world (uncommitted: no commitment needed), with a grades file."""
    root = tmp_path_factory.mktemp("profile-draw")
    bodies = load_data_dir(small_data_dir).tables["bodies"]
    grades = root / "grades.csv"
    table = {"body_id": bodies["body_id"], "as_of": "2026-10-01", "grade": ["A", "B", "C", "D"] * (len(bodies) // 4)}
    pd.DataFrame(table).to_csv(grades, index=False)
    argv = ["draw", str(small_data_dir), "--grades", str(grades), "--budget", "6", "--out", str(root / "draws")]
    assert main([*argv, "--seed", "2026-12-01 lottery 07 19 23", "--uncommitted"]) == 0
    (folder,) = (root / "draws").iterdir()
    return folder, grades


def test_command_writes_one_page(small_data_dir, drawn, tmp_path, capsys):
    out = tmp_path / "a" / "CB00011.html"
    argv = ["profile", str(small_data_dir), "--as-of", "2025-07-01", "--html", str(out), "--lang", "zh", BODY]
    assert main([*argv, "--grades", str(drawn[1])]) == 0
    printed = capsys.readouterr().out
    assert f"机构 {BODY} 截至 2025-07-01 的全景画像（风险等级取自 {drawn[1]}）已写入 {out}" in printed
    assert "内部资料：含风险等级及原因，不得公开" in printed
    page = Page(out.read_text(encoding="utf-8"))
    assert page.lang == "zh-CN" and len(page.features) == len(FEATURES) and "风险等级" in page.text


def test_command_writes_a_page_per_drawn_body_and_an_index(small_data_dir, drawn, tmp_path, capsys):
    folder, grades = drawn
    out = tmp_path / "pages"
    argv = ["profile", str(small_data_dir), "--as-of", "2026-10-01", "--draw", str(folder), "--html", str(out)]
    assert main([*argv, "--grades", str(grades)]) == 0
    frame = pd.read_csv(folder / "frame.csv", dtype={"body_id": str}, encoding="utf-8-sig")
    ids = frame.loc[frame["selected"], "body_id"].tolist()
    assert read_draw(folder).body_ids == ids and len(ids) >= 6
    assert sorted(p.name for p in out.iterdir()) == sorted([INDEX, *(f"{b}.html" for b in ids)])
    index = Page((out / INDEX).read_text(encoding="utf-8"))
    assert index.links == [f"{b}.html" for b in ids]  # one link per page, nothing outside the folder
    assert f"Draw {folder.name} (as of 2026-10-01): {len(ids)} bodies drawn" in index.text
    printed = capsys.readouterr().out
    assert (
        f"{len(ids)} profiles of draw {folder.name} as of 2026-10-01 (grades from {grades}) written to {out}" in printed
    )
    assert f"  index: {out / INDEX}" in printed and "not for publication" in printed


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["NOPE", "--html", "p.html"], "certrisk profile: BODY_ID 'NOPE' is not a body of the data set"),
        (["CB00040", "--html", "p.html"], "BODY_ID 'CB00040' was approved on 2026-03-27, not before the as-of date"),
        (["--html", "p.html"], "give BODY_ID (one body), or `--draw` DRAW with `--html` DIR"),
        ([BODY, "--draw", "DRAW", "--html", "pages"], "give BODY_ID (one body) or `--draw` DRAW (every drawn body)"),
        (["--draw", "DRAW"], "`--draw` writes one page per drawn body: give `--html` DIR"),
        ([BODY, "--grades", "grades.csv"], "`--grades` is shown on the HTML page only: give `--html` FILE too."),
        ([BODY, "--html", "p.txt"], "`--html` must be a file ending in .html (the page of BODY_ID); got 'p.txt'."),
        (["--draw", "DRAW", "--html", "full"], "`--html` 'full' exists and is not empty; choose a new one."),
        (["--draw", "no-such-draw", "--html", "pages"], "the draw folder no-such-draw does not exist"),
    ],
)
def test_command_refuses_in_words(small_data_dir, drawn, tmp_path, monkeypatch, capsys, extra, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "old.html").write_text("x", encoding="utf-8")
    extra = [str(drawn[0]) if a == "DRAW" else a for a in extra]
    assert main(["profile", str(small_data_dir), "--as-of", "2025-07-01", *extra]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and err.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["full"]  # nothing written
