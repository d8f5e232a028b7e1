"""``verify --lang zh`` names each difference in Chinese, and so does a draw refused against its commitment; the
field names, file names and values stay as they are in the records."""

from __future__ import annotations

import re
import string

from publishing import DRAW_ID, make_draw

from certrisk.catalogue import area
from certrisk.cli import main

CJK = re.compile(r"[\u4e00-\u9fff]")


def _english_pieces() -> list[str]:
    """The words of the verify area's English templates between their fields, two words or more."""
    pieces = []
    for template in area("verify")["en"].values():
        for literal, *_ in string.Formatter().parse(template):
            pieces += [p.strip() for p in re.split(r"[^A-Za-z' -]+", literal) if len(p.split()) >= 2]
    return pieces


def test_verify_and_a_refused_draw_name_their_differences_in_chinese(tmp_path, capsys):
    folder = make_draw(tmp_path)
    data = tmp_path / "core"
    (folder / "public_list.csv").write_text("changed\n", encoding="utf-8")  # a file changed since the draw
    (folder / "notes.txt").write_text("mine\n", encoding="utf-8")  # a file that is not part of the draw
    verify = ["verify", str(folder), "--data", str(data), "--commitment", "0" * 64, "--seed", "s2", "--lang", "zh"]
    assert main(verify) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == f"抽查批次 {DRAW_ID} 复核未通过：{len(lines) - 1} 处不一致"
    said = "\n".join(lines)
    assert "  - 种子：抽查使用的是 's1'，而不是公布的 's2'" in lines
    assert "  - 承诺值：目录中承诺记录的哈希值为 " in said and "而不是公布的 0000000000000000..." in said
    assert "  - public_list.csv：抽查后被改动（SHA-256 与清单记录不符）" in lines
    assert "  - notes.txt：不属于本次抽查（清单中没有）" in lines
    assert all(CJK.search(line) for line in lines), lines
    assert [p for p in _english_pieces() if p in said] == []

    inputs = [str(data), "--grades", str(tmp_path / "grades.csv"), "--out", str(tmp_path / "draws")]
    again = ["draw", *inputs, "--budget", "9", "--draw-id", DRAW_ID, "--seed", "s1", "--lang", "zh"]
    assert main(again) == 1  # the commitment of P1 was made with a budget of 10
    refused = capsys.readouterr().err
    assert refused.startswith(f"抽查与其承诺 {DRAW_ID}.commitment.json 不一致：\n"), refused
    assert "  - config.budget：承诺时为 10，现在为 9" in refused.splitlines()
    assert refused.rstrip().endswith("未进行抽查（未从种子推导任何结果）。")
    assert [p for p in _english_pieces() if p in refused] == []
