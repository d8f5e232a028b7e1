"""Why the report, or an estimate's inputs, cannot be made from what was given.

The report library names its parameters (``{name}``: ``training_dir``,
``draw_folder``); ``certrisk report`` shows them as typed (``TRAINING_DIR``,
``--draw``), so ``{name}`` stays between backticks in both languages.
"""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "lang": "`{name}` must be one of {allowed}; got {got!r}.",
        "out_none": "`{name}` must be the report file to write (.md or .html); got None.",
        "out_suffix": "`{name}` must end in {allowed}; got {got!r}.",
        "out_folder": "`{name}` must be a file, not a folder; got {got!r}.",
        "training_none": "`{name}` must be a training run folder; got None.",
        "training_missing": "`{name}` must be an existing training run folder; got {got!r}.",
        "training_empty": "`{name}` holds none of the files of a training run (run.json, comparison.csv, "
        "calibration.png, ...); got {got!r}.",
        "draw_missing": "`{name}` must be an existing draw folder; got {got!r}.",
        "draw_no_frame": "`{name}` must hold frame.csv (a draw folder OUT/<draw_id>/); got {got!r}.",
        "draw_changed": "`{name}` holds a {file} that was changed since the draw or that the draw did not write "
        "(its SHA-256 is not the one the manifest records; `certrisk verify` checks the whole folder); got {got!r}. "
        "No report was written.",
        "estimates_suffix": "`{name}` must be a .csv file of population estimates; got {got!r}.",
        "estimates_missing": "`{name}` must be an existing file; got {got!r}.",
        "columns": "`{name}` must have columns {columns}; {shown} lacks {missing}.",
        "no_rows": "`{name}` must have at least one row; got an empty table from {shown}.",
        "a_dataframe": "a DataFrame",
        "either": "{some} or {last}",
        "stringency_file": "`{name}` must be an existing .csv inspector table (certrisk stringency); got {got!r}.",
        "unreadable_csv": "`{name}` must be a readable UTF-8 CSV file; got {got!r} ({error}).",
        "bad_json": "`{name}` holds a {file} that is not valid JSON; got {got!r}.",
        "unusable_table": "`{name}` holds a table that cannot be used ({reason}); got {got!r}.",
        "unexpected_table": "`{name}` holds a table without the expected columns ({reason}); got {got!r}.",
        "no_grade_column": "`{name}` holds a {file} without column grade; got {got!r}.",
        "no_grade_columns": "`{name}` holds a migration.csv without grade columns A-D; got {got!r}.",
        "frame_columns": "`{name}` holds a frame.csv without column(s) {missing}; got {got!r}.",
        "monitor": "`{name}` must be an output folder of certrisk monitor (with its monitor.json); got {got!r}.",
        "no_png": "the figure {src!r} has no PNG to embed in the HTML report.",
        # estimate --draws
        "draws_missing": "`--draws` must be an existing folder of draws (the --out of certrisk draw); got {got!r}.",
        "draws_one_draw": "`--draws` must be the folder that holds the draw folders (<draw_id>/{frame}), not one "
        "draw; got {got!r}: give its parent folder.",
    },
    "zh": {
        "lang": "`{name}` 须为 {allowed} 之一；实际为 {got!r}。",
        "out_none": "`{name}` 须为要写出的报告文件（.md 或 .html）；实际为 None。",
        "out_suffix": "`{name}` 须以 {allowed} 结尾；实际为 {got!r}。",
        "out_folder": "`{name}` 须为文件，不能是文件夹；实际为 {got!r}。",
        "training_none": "`{name}` 须为训练运行目录；实际为 None。",
        "training_missing": "`{name}` 须为已存在的训练运行目录；实际为 {got!r}。",
        "training_empty": "`{name}` 中没有任何训练运行的文件（run.json、comparison.csv、calibration.png 等）；实际为 {got!r}。",
        "draw_missing": "`{name}` 须为已存在的抽查目录；实际为 {got!r}。",
        "draw_no_frame": "`{name}` 中须有 frame.csv（抽查目录 OUT/<draw_id>/）；实际为 {got!r}。",
        "draw_changed": "`{name}` 中的 {file} 在抽查后被改动，或并非抽查所写（其 SHA-256 与清单记录不符；`certrisk verify` 可检查整个目录）；"
        "实际为 {got!r}。未生成报告。",
        "estimates_suffix": "`{name}` 须为总体估计的 .csv 文件；实际为 {got!r}。",
        "estimates_missing": "`{name}` 须为已存在的文件；实际为 {got!r}。",
        "columns": "`{name}` 须包含列 {columns}；{shown} 缺少 {missing}。",
        "no_rows": "`{name}` 至少须有一行；{shown} 是空表。",
        "a_dataframe": "所给的 DataFrame",
        "either": "{some} 或 {last}",
        "stringency_file": "`{name}` 须为已存在的检查员 .csv 表（certrisk stringency）；实际为 {got!r}。",
        "unreadable_csv": "`{name}` 须为可读取的 UTF-8 CSV 文件；实际为 {got!r}（{error}）。",
        "bad_json": "`{name}` 中的 {file} 不是有效的 JSON；实际为 {got!r}。",
        "unusable_table": "`{name}` 中的表无法使用（{reason}）；实际为 {got!r}。",
        "unexpected_table": "`{name}` 中的表缺少所需的列（{reason}）；实际为 {got!r}。",
        "no_grade_column": "`{name}` 中的 {file} 没有 grade 列；实际为 {got!r}。",
        "no_grade_columns": "`{name}` 中的 migration.csv 没有 A-D 等级列；实际为 {got!r}。",
        "frame_columns": "`{name}` 中的 frame.csv 缺少列 {missing}；实际为 {got!r}。",
        "monitor": "`{name}` 须为 certrisk monitor 的输出目录（含 monitor.json）；实际为 {got!r}。",
        "no_png": "图 {src!r} 没有可嵌入 HTML 报告的 PNG。",
        "draws_missing": "`--draws` 须为已存在的抽查汇总目录（certrisk draw 的 --out）；实际为 {got!r}。",
        "draws_one_draw": "`--draws` 须为存放各抽查目录（<draw_id>/{frame}）的上级文件夹，而不是一次抽查；"
        "实际为 {got!r}：请给出其上级文件夹。",
    },
}
