"""What the commands and the demo print: the summaries of each command, the demo's steps and where everything went.

The tables a command writes keep their column names (they are the names of
the data contract and of the engine's outputs, the same in both languages);
what ``--lang`` changes is what the command prints and the words inside its
outputs.
"""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "written": "written: {paths}",
        # generate
        "generated": "synthetic data (scale {scale}, seed {seed}) in {seconds:.1f} s",
        "data_directory": "  data directory: {path}",
        "ground_truth": "  ground truth:   {path} (for evaluation only; the engine never reads it)",
        # features
        "features_built": "{bodies:,} bodies x {features} features as of {as_of} in {seconds:.1f} s",
        "features_files": "  features:   {table}\n  dictionary: {dictionary}",
        # profile
        "profile_head": "Body {body}, as of {as_of}",
        "profile_abnormal": "Where to start (abnormal values):",
        "profile_none": "  (none)",
        "profile_page": "profile of {body} as of {as_of} ({graded}) written to {path}",
        "profile_pages": "{n} profiles of draw {draw_id} as of {as_of} ({graded}) written to {path}",
        "profile_index": "  index: {path}",
        "profile_graded": "grades from {path}",
        "profile_no_grade": "no grade given",
        "profile_internal": "  internal pages: they show risk grades and reasons; not for publication",
        # train
        "train_head": "quarterly retraining as of {as_of}",
        "train_evaluation": "\nout-of-time evaluation (weighted by 1 / inclusion probability; 95 % bootstrap intervals):",
        "train_choice": "\nmodel choice (every candidate on the same rows; gains over the chosen one, paired 95 % intervals):",
        "train_champion": "\nmodel {model}: champion version {version} ({chosen}){challenger}.",
        "train_challenger": ", challenger version {version} ({name})",
        "train_places": "run folder: {folder}   MLflow run: {run}",
        # grade
        "graded": "{bodies:,} bodies graded by {model} version {version} (@{alias}) as of {as_of}",
        "grade_counts": "  {counts}   overrides: {overrides}",
        "grades_file": "  grades: {path}",
        # stringency
        "stringency_head": "stringency of {inspectors:,} inspectors from {rows:,} inspections before {as_of} ({kinds}; "
        "prior SD {sigma:.2f} on the log-odds)",
        "kinds_random": "random only",
        "kinds_all": "every kind, adjusted for kind",
        "stringency_counts": "  finds more than expected: {more}   less: {less}   in line: {in_line}   "
        "no inspections: {none}",
        # score
        "scored": "{rows:,} planned inspections scored by {model} version {version} (@{alias}) and the stringency "
        "of {inspectors:,} inspectors as of {as_of}",
        "score_means": "  mean P(serious): {body:.3f} by the body alone, {team:.3f} with the team; {unknown} team(s) "
        "with inspectors of no estimate (0)",
        "scores_file": "  scores: {path}",
        # commit
        "committed": "draw {draw_id}: frame of {bodies} bodies committed ({drawable} can be drawn, each with a "
        "feasible inspector team).",
        "publish_commitment": "publish this commitment BEFORE the public seed is known:\n  {hash}",
        "commitment_record": "  (record: {path})",
        "then_draw": "then run `certrisk draw ... --seed <public seed> --out {out}`",
        # draw (certrisk.messages.draw_summary)
        "drawn": "draw {draw_id}: {bodies} bodies drawn ({method}), {certificates} certificates to check",
        "frame_sha": "  frame SHA-256 {sha}",
        "commitment": "  commitment {hash}",
        "uncommitted": "  UNCOMMITTED: an exercise, not a draw anyone can verify",
        "draw_folder": "  draw folder: {path}",
        "teams_fallback": "  the workload caps could not all be kept for this sample: the committed fallback lifted them",
        "verify_with": "  verify with: {command}",
        # verify
        "not_verified": "draw {draw_id} does NOT verify: {n} difference(s)",
        "verified": "draw {draw_id} verified against the published commitment and seed: the frame, the settings, "
        "the inputs and every output re-derive identically.",
        # publish
        "published": "draw {draw_id}: {bodies} drawn bodies, {results} result(s) published on {on} ({late} late: "
        "more than {days} working days after the inspection), {pending} pending (no result recorded yet).",
        # estimate
        "estimated": "population serious rate {rate:.1%} (95 % CI {low:.1%} - {high:.1%}; naive share of the drawn "
        "{naive:.1%}) from {n} random inspections in {draws} draws, {since} to {as_of}",
        "estimated_assisted": "  model-assisted (difference): {rate:.1%} (95 % CI {low:.1%} - {high:.1%}{ratio})",
        "width_ratio": "; interval {ratio:.2f} times as wide as Hajek's",
        "estimates_file": "  estimates: {path}",
        # report
        "report_written": "report written to {path} ({figures} figures in {folder})",
        "report_embedded": "report written to {path} ({figures} figures embedded)",
        # monitor
        "monitor_head": "risk monitoring as of {as_of}: {raised:,} warning(s) raised",
        "monitor_levels": "  red: {red}  orange: {orange}  yellow: {yellow}  blue: {blue}",
        "monitor_statuses": "  new: {new}  escalated: {escalated}  persisting: {persisting}  handled: {handled}  "
        "cleared: {cleared}",
        "monitor_overdue": "  overdue: {overdue}",
        "monitor_special": "  special checks: {lists}",
        # demo
        "demo_places": "\nWhere everything went:",
        "demo_mlflow": "  browse the runs with: mlflow ui --backend-store-uri {uri}",
        "demo_verify": "  verify the draw with: {command}",
        "demo_step1": "generate synthetic national data",
        "demo_step2": "validate the data directory",
        "demo_step3": "build features",
        "demo_step4": "retrain and evaluate the risk models (MLflow)",
        "demo_step5": "grade every body A-D",
        "demo_step6": "commit the frame, then draw bodies, certificates and inspector teams",
        "demo_step7": "simulate the quarter's inspections",
        "demo_step8": "estimate the population's true rates",
        "demo_step9": "monitor risk over two quarters: warnings, responses, special checks",
        "demo_step_line": "\n[{k}/{n}] {text} ...",
        "demo_scale": " (scale {scale}, seed {seed})",
        "demo_as_of": " as of {as_of}",
        "demo_most_abnormal": "  (the body with the most abnormal values: {body}; see `certrisk profile`)",
        "demo_committed": "  frame committed: commitment {hash} (published before the seed)",
        "demo_seed": "  public seed announced afterwards: {seed!r}",
        "demo_inspected": "  {n} drawn bodies inspected: {serious} serious ({share:.1%} of inspections)",
        "demo_published": "  public results on {on}: {results} result(s) of {bodies} drawn bodies, {late} published after "
        "the 20-working-day deadline, {pending} pending",
        "demo_estimate_row": "  {scope} {domain}: {estimate:.3f} [{low:.3f}, {high:.3f}]  (naive {naive:.3f}, "
        "n={n}){flag}",
        "demo_estimate_note": "  estimates weight each random inspection by 1 / inclusion probability; the naive shares "
        "overstate risk.",
        "scope_overall": "overall",
        "scope_grade": "grade",
        "scope_certificates": "certificates",
        "domain_all": "all",
        "flag_unstable": "unstable",
        "flag_suppressed": "suppressed",
        "demo_monitor_first": "  {date}: {raised} warnings raised; the bureaus recorded {n} dispositions ({closed} closed)",
        "demo_monitor_second": "  {date}: new {new}  escalated {escalated}  persisting {persisting}  handled {handled}  "
        "cleared {cleared}; overdue {overdue}",
        "demo_monitor_levels": "  raised by level: red {red}  orange {orange}  yellow {yellow}  blue {blue}",
        "place_data": "data directory",
        "place_truth": "ground truth (evaluation only)",
        "place_features": "features",
        "place_training": "training run (figures, tables)",
        "place_mlflow": "MLflow tracking store",
        "place_grades": "grades (also .xlsx)",
        "place_draw": "draw folder",
        "place_next": "data after the quarter",
        "place_public": "public results of the draw (also .xlsx)",
        "place_estimates": "estimates (also .xlsx)",
        "place_warnings": "warnings, counts, special checks (internal)",
    },
    "zh": {
        "written": "已写入：{paths}",
        "generated": "模拟数据（规模 {scale}，种子 {seed}），用时 {seconds:.1f} 秒",
        "data_directory": "  数据目录：{path}",
        "ground_truth": "  真值：    {path}（仅用于评估，引擎从不读取）",
        "features_built": "{bodies:,} 个机构 × {features} 项特征，截至 {as_of}，用时 {seconds:.1f} 秒",
        "features_files": "  特征表：  {table}\n  特征字典：{dictionary}",
        "profile_head": "机构 {body}，截至 {as_of}",
        "profile_abnormal": "异常提示（从这里开始检查）：",
        "profile_none": "  （无）",
        "profile_page": "机构 {body} 截至 {as_of} 的全景画像（{graded}）已写入 {path}",
        "profile_pages": "抽查批次 {draw_id} 的 {n} 家机构截至 {as_of} 的全景画像（{graded}）已写入 {path}",
        "profile_index": "  索引：{path}",
        "profile_graded": "风险等级取自 {path}",
        "profile_no_grade": "未提供风险等级",
        "profile_internal": "  内部资料：含风险等级及原因，不得公开",
        "train_head": "季度重训练，截至 {as_of}",
        "train_evaluation": "\n跨时段评估（按 1 / 入样概率加权；95 % 自助法区间）：",
        "train_choice": "\n模型选择（所有候选模型使用相同样本；相对入选模型的增益，配对 95 % 区间）：",
        "train_champion": "\n模型 {model}：冠军版本 {version}（{chosen}）{challenger}。",
        "train_challenger": "，挑战者版本 {version}（{name}）",
        "train_places": "运行目录：{folder}   MLflow 运行：{run}",
        "graded": "{bodies:,} 个机构已分级，模型 {model} 版本 {version}（@{alias}），截至 {as_of}",
        "grade_counts": "  {counts}   规则调整：{overrides}",
        "grades_file": "  分级结果：{path}",
        "stringency_head": "{inspectors:,} 名检查员的执法尺度，基于 {as_of} 之前的 {rows:,} 次检查（{kinds}；"
        "对数优势尺度上的先验标准差 {sigma:.2f}）",
        "kinds_random": "仅随机抽查",
        "kinds_all": "全部检查类型，已按类型调整",
        "stringency_counts": "  发现多于预期：{more}   少于预期：{less}   与预期一致：{in_line}   无检查记录：{none}",
        "scored": "{rows:,} 次计划检查已评分，模型 {model} 版本 {version}（@{alias}），"
        "以及截至 {as_of} 的 {inspectors:,} 名检查员的执法尺度",
        "score_means": "  平均严重问题概率：仅按机构 {body:.3f}，含检查组 {team:.3f}；{unknown} 个检查组含无估计值的检查员（按 0 计）",
        "scores_file": "  评分结果：{path}",
        "committed": "抽查批次 {draw_id}：已承诺含 {bodies} 个机构的抽样框（其中 {drawable} 个可被抽中，且均可组成检查组）。",
        "publish_commitment": "请在公开随机种子产生之前公布此承诺值：\n  {hash}",
        "commitment_record": "  （承诺记录：{path}）",
        "then_draw": "然后运行 `certrisk draw ... --seed <公开种子> --out {out}`",
        "drawn": "抽查批次 {draw_id}：抽中 {bodies} 个机构（{method}），待检查证书 {certificates} 张",
        "frame_sha": "  抽样框 SHA-256 {sha}",
        "commitment": "  承诺值 {hash}",
        "uncommitted": "  未经承诺：仅为演练，任何人都无法复核",
        "draw_folder": "  抽查目录：{path}",
        "teams_fallback": "  本次样本无法满足全部工作量上限：已按承诺的备用规则放宽",
        "verify_with": "  复核命令：{command}",
        "not_verified": "抽查批次 {draw_id} 复核未通过：{n} 处不一致",
        "verified": "抽查批次 {draw_id} 已按公布的承诺值和种子复核通过：抽样框、参数、输入数据和全部输出均可重新得出且完全一致。",
        "published": "抽查批次 {draw_id}：抽中 {bodies} 个机构，于 {on} 公示 {results} 条结果（{late} 条逾期："
        "检查后超过 {days} 个工作日），{pending} 个待公示（尚无结果记录）。",
        "estimated": "总体严重问题率 {rate:.1%}（95 % 置信区间 {low:.1%} - {high:.1%}；抽中机构的简单比例 "
        "{naive:.1%}），基于 {draws} 个批次的 {n} 次随机抽查，{since} 至 {as_of}",
        "estimated_assisted": "  模型辅助（差分）估计：{rate:.1%}（95 % 置信区间 {low:.1%} - {high:.1%}{ratio}）",
        "width_ratio": "；区间宽度为 Hajek 估计的 {ratio:.2f} 倍",
        "estimates_file": "  估计结果：{path}",
        "report_written": "报告已写入 {path}（{figures} 张图，位于 {folder}）",
        "report_embedded": "报告已写入 {path}（内嵌 {figures} 张图）",
        "monitor_head": "风险监测预警，截至 {as_of}：发出 {raised:,} 条预警",
        "monitor_levels": "  红色：{red}  橙色：{orange}  黄色：{yellow}  蓝色：{blue}",
        "monitor_statuses": "  新增：{new}  升级：{escalated}  持续：{persisting}  已处置：{handled}  已解除：{cleared}",
        "monitor_overdue": "  逾期：{overdue}",
        "monitor_special": "  专项检查：{lists}",
        "demo_places": "\n各项输出的位置：",
        "demo_mlflow": "  查看运行记录：mlflow ui --backend-store-uri {uri}",
        "demo_verify": "  复核抽查：{command}",
        "demo_step1": "生成全国模拟数据",
        "demo_step2": "校验数据目录",
        "demo_step3": "构建特征",
        "demo_step4": "重新训练并评估风险模型（MLflow）",
        "demo_step5": "对全部机构进行 A-D 分级",
        "demo_step6": "承诺抽样框，然后抽取机构、证书和检查组",
        "demo_step7": "模拟本季度的检查",
        "demo_step8": "估计总体的真实问题率",
        "demo_step9": "连续两个季度的风险监测：预警、处置、专项检查",
        "demo_step_line": "\n[第 {k}/{n} 步] {text}……",
        "demo_scale": "（规模 {scale}，种子 {seed}）",
        "demo_as_of": "，截至 {as_of}",
        "demo_most_abnormal": "  （异常值最多的机构：{body}；详见 `certrisk profile`）",
        "demo_committed": "  抽样框已承诺：承诺值 {hash}（先于种子公布）",
        "demo_seed": "  随后公布的公开种子：{seed!r}",
        "demo_inspected": "  已检查 {n} 个抽中机构：{serious} 个发现严重问题（占检查的 {share:.1%}）",
        "demo_published": "  {on} 公示结果：{bodies} 个抽中机构共 {results} 条结果，{late} 条超过 20 个工作日期限公示，"
        "{pending} 个待公示",
        "demo_estimate_row": "  {scope} {domain}：{estimate:.3f} [{low:.3f}, {high:.3f}]  （简单比例 {naive:.3f}，"
        "n={n}）{flag}",
        "demo_estimate_note": "  估计按 1 / 入样概率对每次随机抽查加权；抽中机构的简单比例会高估风险。",
        "scope_overall": "总体",
        "scope_grade": "等级",
        "scope_certificates": "问题证书",
        "domain_all": "全部",
        "flag_unstable": "不稳定",
        "flag_suppressed": "不予发布",
        "demo_monitor_first": "  {date}：发出 {raised} 条预警；各局记录了 {n} 条处置（{closed} 条已办结）",
        "demo_monitor_second": "  {date}：新增 {new}  升级 {escalated}  持续 {persisting}  已处置 {handled}  "
        "已解除 {cleared}；逾期 {overdue}",
        "demo_monitor_levels": "  按级别：红色 {red}  橙色 {orange}  黄色 {yellow}  蓝色 {blue}",
        "place_data": "数据目录",
        "place_truth": "真值（仅用于评估）",
        "place_features": "特征表",
        "place_training": "训练运行（图表）",
        "place_mlflow": "MLflow 记录库",
        "place_grades": "分级结果（另有 .xlsx）",
        "place_draw": "抽查目录",
        "place_next": "本季度之后的数据",
        "place_public": "抽查结果公示（另有 .xlsx）",
        "place_estimates": "估计结果（另有 .xlsx）",
        "place_warnings": "预警、统计、专项检查（内部）",
    },
}
