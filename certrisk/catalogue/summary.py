"""The report's summary page: what was drawn, what was found, what changed."""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "heading": "Summary",
        "drawn": "What was drawn",
        "found": "What was found",
        "changed": "What changed",
        "no_draw": "No draw folder was given (`--draw`).",
        "no_estimates": "No population estimates were given (`--estimates`).",
        "bodies": "Draw `{draw_id}`: {drawn} bodies drawn out of {frame} in the frame (expected {expected}), "
        "{certain} of them certainties (CCC-designated); {batches}.",
        "batch": "{n} {name}",
        "certificates": "{n} certificates to check at {bodies} drawn bodies (stage 2).",
        "teams": "{teams} inspection teams drawn, {inspectors} inspectors from {units} units.",
        "committed": "The commitment was published before the seed: the draw can be verified by anyone entitled.",
        "uncommitted": "The draw is uncommitted: an exercise, not a draw anyone can verify.",
        "overall": "Serious rate of the population: {estimate} (95 % interval {low} to {high}), "
        "from {n} inspections; {note}.",
        "overall_hidden": "Serious rate of the population: not published; {note}.",
        "certs": "Share of problem certificates: {estimate} (95 % interval {low} to {high}); {note}.",
        "certs_hidden": "Share of problem certificates: not published; {note}.",
        "cautions": "{n} of the {total} estimates are unstable or suppressed; each row of the estimates says why.",
        "no_cautions": "All {total} estimates are reliable.",
        "promoted": "Model: {model} is the new champion (version {version}).",
        "kept": "Model: the champion's kind stays, {model} refitted on the new data (version {version}).",
        "challenger": " Challenger: {model}.",
        "grades": "Current grades ({total} bodies): {counts}.",
        "migration": "Against the previous quarter: {kept} of {both} bodies graded in both kept their grade ({share}), "
        "{riskier} moved to a riskier grade, {safer} to a less risky one; {new} newly graded, {gone} no longer graded.",
        "stability": "Stability: the score's PSI is {psi} ({band}); {watch} features to watch, {shift} shifted.",
        "warnings": "Warnings: {raised} raised among {monitored} bodies monitored (red {red}, orange {orange}, "
        "yellow {yellow}, blue {blue}); {new} new, {escalated} escalated, {persisting} persisting; {overdue} overdue.",
        "stable": "stable",
        "watch": "watch",
        "shift": "shift",
        "batch_national": "national (SAMR)",
        "batch_provincial": "provincial",
    },
    "zh": {
        "heading": "概要",
        "drawn": "抽查了什么",
        "found": "发现了什么",
        "changed": "有何变化",
        "no_draw": "未提供抽查目录（`--draw`）。",
        "no_estimates": "未提供总体估计（`--estimates`）。",
        "bodies": "抽查批次 `{draw_id}`：抽样框 {frame} 家机构中抽中 {drawn} 家（期望 {expected} 家），"
        "其中必抽机构（CCC 指定机构）{certain} 家；{batches}。",
        "batch": "{name} {n} 家",
        "certificates": "第二阶段在 {bodies} 家抽中机构抽查证书 {n} 张。",
        "teams": "随机选派检查组 {teams} 个，检查人员 {inspectors} 名，来自 {units} 个单位。",
        "committed": "承诺值在随机种子之前公布：任何有权人员均可复核本次抽查。",
        "uncommitted": "本次抽查未公布承诺值：仅为演练，无法供他人复核。",
        "overall": "总体严重问题率：{estimate}（95% 区间 {low} 至 {high}），依据 {n} 次检查；{note}。",
        "overall_hidden": "总体严重问题率：不公布；{note}。",
        "certs": "问题证书比例：{estimate}（95% 区间 {low} 至 {high}）；{note}。",
        "certs_hidden": "问题证书比例：不公布；{note}。",
        "cautions": "{total} 项估计中有 {n} 项不稳定或不公布，原因见总体估计表各行。",
        "no_cautions": "全部 {total} 项估计均可靠。",
        "promoted": "模型：{model}成为新的冠军模型（版本 {version}）。",
        "kept": "模型：冠军模型类型不变，{model}用新数据重新拟合（版本 {version}）。",
        "challenger": "挑战者模型：{model}。",
        "grades": "当前风险等级（{total} 家机构）：{counts}。",
        "migration": "与上季度相比：两个季度均有等级的 {both} 家机构中 {kept} 家等级未变（{share}），{riskier} 家升至更高风险等级，"
        "{safer} 家降至更低风险等级；新定级 {new} 家，不再定级 {gone} 家。",
        "stability": "稳定性：评分的 PSI 为 {psi}（{band}）；需关注的特征 {watch} 个，发生偏移的 {shift} 个。",
        "warnings": "风险预警：监测机构 {monitored} 家，发出预警 {raised} 条（红色 {red}、橙色 {orange}、黄色 {yellow}、"
        "蓝色 {blue}）；新增 {new} 条，升级 {escalated} 条，持续 {persisting} 条；逾期未办结 {overdue} 条。",
        "stable": "稳定",
        "watch": "关注",
        "shift": "偏移",
        "batch_national": "国家级",
        "batch_provincial": "省级",
    },
}
