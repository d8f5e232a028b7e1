"""The ``--help`` of the command line: the program's description, each command's line in the list of commands
(``<command>``) and its description (``<command>_about``), the examples' heading, the ``(default: X)`` said after
an option's help, and argparse's own words (``usage``, ``positionals``, ``optionals``, ``help``, ``version``,
``heading``: their English is argparse's, kept as argparse says it; only another language replaces them).

Each option's help is in the area ``help_options``. Option names, metavars, example command lines and the
values of defaults are written as typed, in both languages.
"""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "certrisk": "Risk scoring and verifiable risk-weighted sampling for the "
        "supervision of certification bodies (双随机、一公开).",
        "usage": "usage: ",
        "positionals": "positional arguments",
        "optionals": "options",
        "heading": "{title}:",
        "help": "show this help message and exit",
        "version": "show program's version number and exit",
        "example": "Example:",
        "examples": "Examples:",
        "default_said": "default",
        "with_default": "{text} (default: %(default)s)",
        "generate": "write a synthetic national data set (data and ground truth)",
        "generate_about": "Simulate a national data set: DIR/data is a data directory "
        "that follows the data contract, DIR/truth the ground truth (never read by the engine).",
        "validate": "check a data directory against the data contract",
        "validate_about": "Validate every table of a data directory and the links between them. "
        "Exit 0 when it conforms, 1 with a report of every problem otherwise.",
        "features": "build the point-in-time feature table",
        "features_about": "Build one row of features per body, using only records dated before --as-of. "
        "Writes FILE (.parquet, .csv or .xlsx), FILE's feature dictionary and a run record beside it.",
        "profile": "panoramic profile of one body or of every drawn body (全景画像)",
        "profile_about": "Show one body's features beside the population's percentiles, abnormal values first. "
        "With --html FILE, write it as a self-contained HTML page: the features beside the peers' distribution as "
        "small plots, the inspections and signals before --as-of as a timeline, and the grade with its reasons "
        "from --grades. With --draw DRAW and --html DIR, write one page per drawn body and index.html. "
        "The pages are internal (they show risk grades): not for publication.",
        "train": "quarterly retraining, tracked in MLflow",
        "train_about": "Retrain the plain logistic, the scorecard and the boosting model on past inspections before "
        "--as-of (random draws weighted by 1 / inclusion probability), evaluate them and the champion in force on one "
        "out-of-time window against baselines, choose the champion (captured share at the budget and AUC; a more "
        "complex model only when better beyond the paired-bootstrap noise; calibration as a gate), monitor drift and "
        "log everything to MLflow.",
        "grade": "grade every body A-D with reasons, by the champion model",
        "grade_about": "Load the model by alias (default champion), build features as of --as-of and write the grades "
        "table: calibrated probability, points, model grade, grade after overrides, the override rule, reasons.",
        "stringency": "inspector stringency: who finds more or less than expected (统一执法尺度)",
        "stringency_about": "Estimate every inspector's stringency from the inspections before --as-of, jointly with "
        "body risk: a penalised logistic regression on the body's point-in-time features plus the team (the mean of "
        "its members' effects), each inspector a random effect shrunk towards 0 (docs/riskmodel.md). Writes "
        "DIR/inspector_stringency.csv and .xlsx (stringency on the log-odds scale, 95 % interval, inspections, "
        "assessment in words) and a run record.",
        "score": "score planned inspections: P(serious) by the body alone and with its team",
        "score_about": "For each row of --inspections (body_id, inspected_on YYYY-MM-DD, inspector_ids ;-separated): "
        "p_serious_body, the champion's probability from the body's features as of the earlier of inspected_on and "
        "--as-of; team_effect, the mean stringency of the team's members from the inspections before --as-of (0 for an "
        "inspector without an estimate); p_serious_team, the two together on the log-odds scale. Writes FILE and a "
        "run record.",
        "commit": "freeze the frame, the settings and the inputs; print the commitment hash to publish before the seed",
        "commit_about": "Build the frame (every body with its inclusion probability), check that every body that can "
        "be drawn can be given an inspector team whatever the seed, and write OUT/<draw_id>.commitment.json: the frame "
        "digest, the budget, the size policy, the stage-2 sizes, the team rules, the digest of every input table and "
        "of the grades, the software version and the time (UTC). Prints its SHA-256: publish it before the public "
        "seed is drawn. `certrisk draw` refuses anything that differs from it.",
        "draw": "draw bodies, certificates and inspector teams, verifiably",
        "draw_about": "Stage 1: bodies by conditional Poisson sampling with the policy's inclusion probabilities "
        "(CCC-designated bodies certain); stage 2: certificates inside each drawn body; then inspector teams. "
        "All randomness comes from the frame's SHA-256 and the public --seed. Writes OUT/<draw_id>/ "
        "(never overwritten).",
        "plan": "predict a design's yield and precision before the draw (precision planning)",
        "plan_about": "Build the frame as commit and draw would (same grades, budget and size policy) and replicate "
        "the quarter under the model (outcomes from the grades' p_serious and the prior problem share): prints the "
        "expected serious findings, the certificates checked and the predicted half-width of every 95 % interval "
        "(overall, grades, provinces, problem certificates; Hajek beside model-assisted) and the domains expected to "
        "be suppressed or unstable. Nothing is drawn and nothing is committed (docs/planning.md).",
        "verify": "check a draw folder against the published commitment and seed",
        "verify_about": "Check the draw folder against the published commitment hash and public seed: the commitment "
        "record, the frame, the settings and every input table (by content, in any row order or file format) against "
        "the data, every file against the manifest (XLSX included, value by value against its CSV), and every "
        "manifest field and output against a re-run of the draw. Exit 0 if nothing differs, 1 with every difference.",
        "publish": "the public results of a draw's inspections (检查结果公示), late ones flagged, pending bodies listed",
        "publish_about": "List the results of the inspections of a committed draw for publication (谁检查、谁录入、"
        "谁负责): one row per inspection whose draw_id is the draw's, and one per drawn body without a result yet "
        "(pending): body, inspection date, inspecting authority (the units of the record's inspectors, else of the "
        "team drawn), method, result in words, handling decision, date published, who entered it, and whether it is "
        "published within 20 working days of the inspection (Monday to Friday; holidays only from --holidays). No "
        "grade, score or probability. The draw folder and the data are checked first (commitment, public list, "
        "registry). Writes FILE.csv and FILE.xlsx (the one ends in .csv or .xlsx, the other beside it) and a run "
        "record.",
        "estimate": "population estimates from completed random inspections",
        "estimate_about": "Estimate the population's serious rate (overall, by grade, by province) and the share of "
        "problem certificates from random inspections weighted by 1 / inclusion probability (Hajek, pooled over "
        "draws), with standard errors and 95 % intervals; with --draws also the model-assisted (difference) "
        "estimates. Writes FILE and a run record.",
        "monitor": "risk monitoring and early warning: warning levels, responses, special-check lists (风险监测预警)",
        "monitor_about": "Judge every body as of --as-of against the rules (risk points and indicators, thresholds "
        "against peers or absolute, the model's score and its change), give each warning a level (blue, yellow, "
        "orange, red) with the reasons in words, mark it new, escalated, persisting, handled or cleared against "
        "--previous, recommend a response from the 三书一函 ladder or a special check, flag overdue ones, and write "
        "the lists (warnings, counts by province and level, special checks) with monitor.json to DIR.",
        "report": "write the quarterly report (Markdown or HTML) with its figures",
        "report_about": "Write the quarterly report from a training run folder: model comparison, calibration, lift, "
        "grades, PSI and grade migration; with --draw the draw's composition (bodies by grade and batch, "
        "inclusion probabilities, certificates); with --estimates the population estimates. FILE ending in .md "
        "gives Markdown (figures in FILE_STEM_files/ next to it), .html one self-contained HTML file (figures "
        "embedded). Written atomically.",
        "demo": "run a whole quarter on embedded synthetic data",
        "demo_about": "Generate a national synthetic data set, validate it, and run the quarter; "
        "then print where everything went.",
    },
    "zh": {
        "certrisk": "认证机构监管的风险评分与可复核的风险加权抽样（双随机、一公开）。",
        "usage": "用法：",
        "positionals": "位置参数",
        "optionals": "选项",
        "heading": "{title}：",
        "help": "显示此帮助信息并退出",
        "version": "显示程序的版本号并退出",
        "example": "示例：",
        "examples": "示例：",
        "default_said": "默认",
        "with_default": "{text}（默认：%(default)s）",
        "generate": "生成全国模拟数据集（数据与真值）",
        "generate_about": "模拟一套全国数据集：DIR/data 是符合数据规范的数据目录，DIR/truth 是真值（引擎从不读取）。",
        "validate": "按数据规范校验数据目录",
        "validate_about": "校验数据目录中的每张表及表间关联。符合规范时退出码为 0，否则为 1，并报告全部问题。",
        "features": "构建时点特征表",
        "features_about": "为每个机构构建一行特征，只使用日期早于 --as-of 的记录。写入 FILE（.parquet、.csv 或 "
        ".xlsx），并在其旁写入 FILE 的特征字典和运行记录。",
        "profile": "单个机构或全部抽中机构的全景画像",
        "profile_about": "显示一个机构的各项特征及其在总体中的百分位，异常值在前。给出 --html FILE 时写成一个独立的 "
        "HTML 页面：各项特征与同类机构分布对照的小图、--as-of 之前的检查和信号组成的时间线，以及取自 --grades 的"
        "等级及其原因。给出 --draw DRAW 和 --html DIR 时，为每个抽中机构各写一页，并写入 index.html。"
        "这些页面为内部资料（含风险等级），不得公开。",
        "train": "季度重训练，记录于 MLflow",
        "train_about": "用 --as-of 之前的历史检查（随机抽查按 1 / 入样概率加权）重新训练普通逻辑回归、评分卡和"
        "提升树模型；在同一个跨时段窗口上将它们及现行冠军模型与基准模型对照评估；选出冠军模型（依据预算内捕获的"
        "比例和 AUC；更复杂的模型只有在优势超出配对自助法的噪声时才入选；校准作为门槛）；监测漂移，并将全部内容"
        "记录到 MLflow。",
        "grade": "用冠军模型为每个机构评定 A-D 等级并给出原因",
        "grade_about": "按别名加载模型（默认 champion），构建截至 --as-of 的特征，并写出分级表：校准后的概率、"
        "分值、模型等级、规则调整后的等级、所用调整规则、原因。",
        "stringency": "检查员执法尺度：谁发现的问题多于或少于预期（统一执法尺度）",
        "stringency_about": "根据 --as-of 之前的检查，与机构风险联合估计每名检查员的执法尺度：以机构的时点特征"
        "加上检查组（组员效应的均值）做惩罚逻辑回归，每名检查员为一个向 0 收缩的随机效应（docs/riskmodel.md）。"
        "写入 DIR/inspector_stringency.csv 和 .xlsx（对数优势尺度上的执法尺度、95 % 区间、检查次数、文字评价）"
        "以及运行记录。",
        "score": "为计划检查评分：仅按机构以及含检查组时的严重问题概率",
        "score_about": "对 --inspections 的每一行（body_id、inspected_on YYYY-MM-DD、以 ; 分隔的 inspector_ids）"
        "给出：p_serious_body，冠军模型根据机构截至 inspected_on 与 --as-of 中较早者的特征算出的概率；"
        "team_effect，根据 --as-of 之前的检查估计的检查组成员执法尺度的均值（无估计值的检查员按 0 计）；"
        "p_serious_team，两者在对数优势尺度上的合计。写入 FILE 和运行记录。",
        "commit": "冻结抽样框、参数和输入数据；打印须在种子产生之前公布的承诺值",
        "commit_about": "构建抽样框（每个机构及其入样概率），检查无论种子如何，每个可被抽中的机构都能组成检查组，"
        "并写入 OUT/<draw_id>.commitment.json：抽样框摘要、预算、抽样规则、第二阶段样本量、检查组规则、每张输入表"
        "和分级文件的摘要、软件版本和时间（UTC）。打印其 SHA-256：请在公开种子产生之前公布。`certrisk draw` "
        "拒绝任何与之不符的内容。",
        "draw": "可复核地抽取机构、证书和检查组",
        "draw_about": "第一阶段：按抽样规则给出的入样概率，以条件泊松抽样抽取机构（CCC 指定机构必抽）；第二阶段："
        "在每个抽中机构内抽取证书；然后抽取检查组。全部随机性来自抽样框的 SHA-256 和公开的 --seed。写入 "
        "OUT/<draw_id>/（从不覆盖）。",
        "plan": "抽取之前预测抽样设计的收益和精度（精度规划）",
        "plan_about": "按 commit 和 draw 的方式构建抽样框（相同的等级、预算和抽样规则），并按模型重复模拟本季度"
        "（结果取自分级文件的 p_serious 和问题证书的先验比例）：打印预期的严重问题发现数、检查的证书数、每个 "
        "95 % 区间的预计半宽（总体、各等级、各省、问题证书；Hajek 估计与模型辅助估计并列），以及预计不予发布或"
        "不稳定的估计域。不抽取，也不承诺（docs/planning.md）。",
        "verify": "按公布的承诺值和种子复核抽查目录",
        "verify_about": "按公布的承诺值和公开种子复核抽查目录：承诺记录、抽样框、参数和每张输入表与数据对照（按"
        "内容比较，不论行序或文件格式），每个文件与清单对照（包括 XLSX，逐值与其 CSV 对照），清单的每个字段和每项"
        "输出与重新运行的抽取对照。完全一致时退出码为 0，否则为 1，并列出全部不一致之处。",
        "publish": "一次抽查的检查结果公示：标出逾期公示的结果，列出待公示的机构",
        "publish_about": "列出已承诺抽查的检查结果以供公示（谁检查、谁录入、谁负责）：draw_id 为本次抽查的每次"
        "检查一行，尚无结果的每个抽中机构一行（待公示）：机构、检查日期、检查机关（记录中检查员所在单位，否则为"
        "抽中检查组所在单位）、检查方式、文字结果、处理决定、公示日期、录入人，以及是否在检查后 20 个工作日内公示"
        "（周一至周五；节假日只按 --holidays 扣除）。不含等级、评分或概率。先核对抽查目录和数据（承诺、公开名单、"
        "名录）。写入 FILE.csv 和 FILE.xlsx（给出以 .csv 或 .xlsx 结尾的一个，另一个写在旁边）以及运行记录。",
        "estimate": "根据已完成的随机抽查估计总体",
        "estimate_about": "根据按 1 / 入样概率加权的随机抽查（Hajek 估计，跨批次合并），估计总体的严重问题率（总体、"
        "按等级、按省）和问题证书比例，并给出标准误和 95 % 区间；给出 --draws 时另给模型辅助（差分）估计。写入 "
        "FILE 和运行记录。",
        "monitor": "风险监测预警：预警级别、处置建议、专项检查清单",
        "monitor_about": "按规则（风险点和指标、相对同类机构或绝对的阈值、模型评分及其变化）判断每个机构截至 "
        "--as-of 的情况，为每条预警给出级别（蓝色、黄色、橙色、红色）和文字原因，对照 --previous 标为新增、升级、"
        "持续、已处置或已解除，从三书一函的递进措施或专项检查中建议处置方式，标出逾期的预警，并将清单（预警、按省"
        "和级别的统计、专项检查）连同 monitor.json 写入 DIR。",
        "report": "撰写季度报告（Markdown 或 HTML）及其图表",
        "report_about": "根据训练运行目录撰写季度报告：模型比较、校准、提升度、等级、PSI 和等级迁移；给出 --draw "
        "时含本次抽查的构成（按等级和批次的机构、入样概率、证书）；给出 --estimates 时含总体估计。FILE 以 .md "
        "结尾时为 Markdown（图表写入其旁的 FILE_STEM_files/），以 .html 结尾时为单个自包含的 HTML 文件（图表内嵌）。以原子方式写入。",
        "demo": "用内置模拟数据运行一个完整季度",
        "demo_about": "生成全国模拟数据集，校验后运行整个季度；最后打印各项输出的位置。",
    },
}
