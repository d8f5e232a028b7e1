"""The user's mistakes the commands refuse (:class:`certrisk.errors.UsageError`): options, dates, output locations.

Each sentence names the option as typed (``--out``, ``BODY_ID``), the rule
in words and the value as written (``{got!r}``). ``foreign`` is the headline
of a library's sentence that the catalogue does not know: the sentence
follows in English.
"""

from __future__ import annotations

NEUTRAL = ("named_option", "named_thing")

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "foreign": "{text}",
        "list_sep": "; ",
        # argument values (certrisk.commands.common)
        "scale_range": "`--scale` must be between 0.001 and 10; got {got}.",
        "seed_negative": "`--seed` must be an integer >= 0; got {got}.",
        "out_twice": "give the output folder once, as `--out DIR`; got --out {out!r} and OUT {alias!r}.",
        "out_required": "the following arguments are required: --out (see certrisk {command} --help).",
        "date_format": "`{option}` must be a date YYYY-MM-DD; got {got!r}.",
        "date_exists": "`{option}` must be a date YYYY-MM-DD that exists; got {got!r}.",
        "date_range": "`{option}` must be a date between 1678-01-01 and 2261-12-31; got {got!r}.",
        "positive_integer": "`{option}` must be a positive integer; got {got}.",
        "share_below_one": "`{option}` must be in [0, 1); got {got}.",
        # output locations (certrisk.outputs, features.atomic)
        "named_option": "`{option}` {path!r}",
        "named_thing": "{what} {path!r}",
        "not_writable": "{named} cannot be written: {problem}; nothing was written.",
        "output_is_input": "{named} is also {input}, which the command reads: writing it would replace the input; "
        "choose another place for the output (nothing was read or written).",
        "output_inside_input": "{named} lies inside {input}, a folder the command reads: an output there would "
        "change the inputs; choose a place outside it (nothing was read or written).",
        "not_empty": "{named} exists and is not empty; choose a new one.",
        "output_folder_not_file": "{path} is a folder, not a file",
        "output_file_not_folder": "{path} is a file, not a folder",
        "output_file_in_the_way": "{path} is a file, so no folder can be made in it",
        "output_read_only": "{path} is read-only (no file can be created in it)",
        "current_folder": "the current folder",
        "what_output_folder": "output folder",
        "what_run_folders": "the folder of run folders",
        "what_tracking_store": "the default tracking store",
        "out_suffix": "`{option}` must end in {allowed}; got {got!r}.",
        "out_suffix_both": "`--out` must end in .csv or .xlsx (both are written); got {got!r}.",
        "out_not_folder": "`--out` must be a folder; {path} is a file.",
        "os_error": "{where}{reason}; the command stopped and wrote none of its output files.",
        "os_where": "{path}: ",
        "errno_EACCES": "permission denied",
        "errno_EPERM": "operation not permitted",
        "errno_ENOSPC": "no space left on device",
        "errno_EROFS": "read-only file system",
        "errno_ENOENT": "no such file or directory",
        "errno_EEXIST": "file exists",
        "errno_EISDIR": "is a directory",
        "errno_ENOTDIR": "not a directory",
        "errno_EDQUOT": "disk quota exceeded",
        "errno_EIO": "input/output error",
        # profile
        "profile_both": "give BODY_ID (one body) or `--draw` DRAW (every drawn body), not both.",
        "profile_neither": "give BODY_ID (one body), or `--draw` DRAW with `--html` DIR (every drawn body).",
        "profile_draw_needs_html": "`--draw` writes one page per drawn body: give `--html` DIR, the folder of the pages.",
        "profile_grades_need_html": "`--grades` is shown on the HTML page only: give `--html` FILE too.",
        "profile_html_suffix": "`--html` must be a file ending in .html (the page of BODY_ID); got {got!r}.",
        "profile_not_a_body": "{what} {body!r} is not a body of the data set (no such body_id in bodies).",
        "profile_approved_later": "{what} {body!r} was approved on {approved}, not before the as-of date {as_of}: "
        "it has no profile on that date.",
        "drawn_body": "drawn body (draw {draw_id})",
        # train, grade, stringency, score
        "tracking_uri": "`--tracking-uri` must be an MLflow tracking URI, e.g. sqlite:///mlflow.db; got {got!r}.",
        "tracking_uri_kind": "`--tracking-uri` must name a database (sqlite:///PATH/mlflow.db, postgresql://...) or a "
        "tracking server (http(s)://...): the champion and challenger are registry aliases, which MLflow's file store "
        "and other schemes do not keep; got {got!r}.",
        "alias_empty": "`--alias` must be the name of a registry alias, e.g. champion; got {got!r}.",
        "budget_share": "`--budget-share` must be a share in (0, 1), e.g. 0.25; got {got}.",
        "run_folder_exists": "run folder {folder} already exists; choose a new one.",
        "not_enough_history": "{reason} Nothing was trained or written.",
        "net_of_inspectors": "--net-of-inspectors: the inspector effect cannot be estimated as of {as_of}: {reason}",
        "stringency_fit": "inspector stringency cannot be estimated as of {as_of}: {reason}",
        # commit, draw, plan
        "as_of_needed": "give `--as-of`: the grades file does not hold one as-of date.",
        "team_size": "`--team-size` must be an integer >= 2 (a team has at least two inspectors); got {got}.",
        "seed_empty": "`--seed` must be the public seed string (e.g. a lottery result); got an empty string.",
        "seed_spaces": "`--seed` must not start or end with a blank nor hold a line break or another control "
        "character (the seed is used exactly as written); got {got!r}.",
        # publish
        "holidays_not_file": "`{option}` {path!r} is not a file (one holiday YYYY-MM-DD a line).",
        "holidays_not_utf8": "`{option}` {path!r} is not UTF-8 text (byte {byte}).",
        "holidays_line": "`{option}` {path!r}: line {line} must be a date YYYY-MM-DD; got {got!r}.",
        "on_before_draw": "`--on` must not be before the draw's as-of date {as_of}; got {on}.",
        # estimate
        "since_after": "`--since` must be before the as-of date {as_of}; got {got!r}.",
        "estimate_window": "only {n} random inspection(s) between {since} and {as_of}: estimates need at least 2; "
        "widen the window with --since.",
        # monitor
        "rules_file": "--rules: the rules file {path} cannot be used: {problems}.",
        "rules_problem": "{key} {rule} (found {value})",
        "dispositions_need_previous": "--dispositions needs --previous: a disposition acts on a warning of the "
        "previous output.",
        "grades_without_p": "--grades {path} holds no p_serious: write it with `certrisk grade`.",
        "previous_missing": "--previous {folder}: no such folder (give the output folder of the previous monitor run).",
        "previous_unreadable": "--previous {folder}: {record} is missing or unreadable (it is not a monitor output "
        "folder).",
        "previous_not_before": "--previous {folder} is as of {previous}, not before --as-of {as_of}: the previous "
        "quarter's output must come first.",
    },
    "zh": {
        "foreign": "无法按要求执行（以下原因为英文原文）：{text}",
        "list_sep": "；",
        "scale_range": "`--scale` 须在 0.001 到 10 之间；实际为 {got}。",
        "seed_negative": "`--seed` 须为不小于 0 的整数；实际为 {got}。",
        "out_twice": "输出目录只需给出一次，写作 `--out DIR`；实际给了 --out {out!r} 和 OUT {alias!r}。",
        "out_required": "缺少必需的参数：--out（参见 certrisk {command} --help）。",
        "date_format": "`{option}` 须为 YYYY-MM-DD 格式的日期；实际为 {got!r}。",
        "date_exists": "`{option}` 须为真实存在的 YYYY-MM-DD 日期；实际为 {got!r}。",
        "date_range": "`{option}` 须为 1678-01-01 至 2261-12-31 之间的日期；实际为 {got!r}。",
        "positive_integer": "`{option}` 须为正整数；实际为 {got}。",
        "share_below_one": "`{option}` 须在 [0, 1) 区间内；实际为 {got}。",
        "named_option": "`{option}` {path!r}",
        "named_thing": "{what} {path!r}",
        "not_writable": "{named} 无法写入：{problem}；未写入任何内容。",
        "output_is_input": "{named} 同时也是命令读取的 {input}：写入会覆盖输入；请为输出另选位置（未读取也未写入任何内容）。",
        "output_inside_input": "{named} 位于命令读取的文件夹 {input} 之内：在其中输出会改变输入；请选择该文件夹以外的位置"
        "（未读取也未写入任何内容）。",
        "not_empty": "{named} 已存在且不为空；请另选一个。",
        "output_folder_not_file": "{path} 是文件夹，不是文件",
        "output_file_not_folder": "{path} 是文件，不是文件夹",
        "output_file_in_the_way": "{path} 是文件，无法在其中创建文件夹",
        "output_read_only": "{path} 为只读（无法在其中创建文件）",
        "current_folder": "当前文件夹",
        "what_output_folder": "输出目录",
        "what_run_folders": "存放运行目录的文件夹",
        "what_tracking_store": "默认的 MLflow 记录库",
        "out_suffix": "`{option}` 须以 {allowed} 之一结尾；实际为 {got!r}。",
        "out_suffix_both": "`--out` 须以 .csv 或 .xlsx 结尾（两种文件都会写出）；实际为 {got!r}。",
        "out_not_folder": "`--out` 须为文件夹；{path} 是文件。",
        "os_error": "{where}{reason}；命令已停止，未写入任何输出文件。",
        "os_where": "{path}：",
        "errno_EACCES": "权限不足",
        "errno_EPERM": "不允许的操作",
        "errno_ENOSPC": "磁盘空间不足",
        "errno_EROFS": "文件系统为只读",
        "errno_ENOENT": "文件或文件夹不存在",
        "errno_EEXIST": "文件已存在",
        "errno_EISDIR": "是文件夹",
        "errno_ENOTDIR": "不是文件夹",
        "errno_EDQUOT": "超出磁盘配额",
        "errno_EIO": "输入/输出错误",
        "profile_both": "请给出 BODY_ID（一个机构）或 `--draw` DRAW（全部抽中机构），不要同时给出。",
        "profile_neither": "请给出 BODY_ID（一个机构），或 `--draw` DRAW 加 `--html` DIR（全部抽中机构）。",
        "profile_draw_needs_html": "`--draw` 为每个抽中机构各写一页：请给出 `--html` DIR（页面所在的文件夹）。",
        "profile_grades_need_html": "`--grades` 只在 HTML 页面上显示：请同时给出 `--html` FILE。",
        "profile_html_suffix": "`--html` 须为以 .html 结尾的文件（BODY_ID 的页面）；实际为 {got!r}。",
        "profile_not_a_body": "{what} {body!r} 不是数据集中的机构（bodies 中没有此 body_id）。",
        "profile_approved_later": "{what} {body!r} 于 {approved} 获批，不早于截至日期 {as_of}：该日尚无全景画像。",
        "drawn_body": "抽中机构（抽查批次 {draw_id}）",
        "tracking_uri": "`--tracking-uri` 须为 MLflow 记录库的 URI，例如 sqlite:///mlflow.db；实际为 {got!r}。",
        "tracking_uri_kind": "`--tracking-uri` 须指向数据库（sqlite:///路径/mlflow.db、postgresql://...）或记录服务器"
        "（http(s)://...）：冠军与挑战者模型是注册表别名，MLflow 的文件存储及其他方案无法保存；实际为 {got!r}。",
        "alias_empty": "`--alias` 须为模型注册表中的别名，例如 champion；实际为 {got!r}。",
        "budget_share": "`--budget-share` 须为 (0, 1) 之间的比例，例如 0.25；实际为 {got}。",
        "run_folder_exists": "运行目录 {folder} 已存在；请另选一个。",
        "not_enough_history": "历史数据不足，无法重新训练：{reason} 未训练模型，也未写入任何内容。",
        "net_of_inspectors": "--net-of-inspectors：截至 {as_of} 无法估计检查员效应：{reason}",
        "stringency_fit": "截至 {as_of} 无法估计检查员执法尺度：{reason}",
        "as_of_needed": "请给出 `--as-of`：分级文件中没有唯一的截至日期。",
        "team_size": "`--team-size` 须为不小于 2 的整数（检查组至少两人）；实际为 {got}。",
        "seed_empty": "`--seed` 须为公开的随机种子字符串（例如彩票开奖结果）；实际为空字符串。",
        "seed_spaces": "`--seed` 首尾不得有空白，也不得含换行或其他控制字符（种子按原样使用）；实际为 {got!r}。",
        "holidays_not_file": "`{option}` {path!r} 不是文件（每行一个节假日，格式 YYYY-MM-DD）。",
        "holidays_not_utf8": "`{option}` {path!r} 不是 UTF-8 文本（第 {byte} 字节）。",
        "holidays_line": "`{option}` {path!r}：第 {line} 行须为 YYYY-MM-DD 格式的日期；实际为 {got!r}。",
        "on_before_draw": "`--on` 不得早于抽查的截至日期 {as_of}；实际为 {on}。",
        "since_after": "`--since` 须早于截至日期 {as_of}；实际为 {got!r}。",
        "estimate_window": "{since} 至 {as_of} 之间只有 {n} 次随机抽查：估计至少需要 2 次；请用 --since 扩大时间窗口。",
        "rules_file": "--rules：规则文件 {path} 无法使用：{problems}。",
        "rules_problem": "{key}：{rule}（实际为 {value}）",
        "dispositions_need_previous": "--dispositions 需要同时给出 --previous：处置针对的是上一次输出中的预警。",
        "grades_without_p": "--grades {path} 中没有 p_serious：请用 `certrisk grade` 生成分级文件。",
        "previous_missing": "--previous {folder}：文件夹不存在（请给出上一次 monitor 运行的输出目录）。",
        "previous_unreadable": "--previous {folder}：{record} 缺失或无法读取（这不是 monitor 的输出目录）。",
        "previous_not_before": "--previous {folder} 的截至日期为 {previous}，不早于 --as-of {as_of}：上一季度的输出须在前。",
    },
}
