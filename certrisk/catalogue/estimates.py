"""The population estimates in words: the reliability note of each row of ``estimates.csv`` (its ``note``, in the
language asked; ``reliability`` and ``reliability_reason`` keep sampling's English codes), and why model-assisted
rows could not be made.

The reasons ``fewer_than`` to ``n_random`` are sampling's sentences
(:func:`sampling.estimators.reliability.reliability`, a library, in English)
word for word, read back (:func:`certrisk.catalogue.read_back`) to be said in
Chinese; the report shows them too (:mod:`certrisk.report.reliability`).
"""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "label_reliable": "reliable",
        "label_unstable": "unstable",
        "label_suppressed": "suppressed",
        "advice_unstable": "read with caution, pool more quarters (--since)",
        "rule": "Every estimate carries its reliability: suppressed (not published) below {published} random "
        "inspections; unstable (read with caution) below {reliable}, at an estimate or standard error of 0, at an "
        "estimate outside [0, 1], or with a coefficient of variation above {cv}; reliable otherwise.",
        "note_suppressed": "suppressed: {reason}; not published",
        "note_unstable": "unstable: {reason}; pool more quarters (--since)",
        "fewer_than": "fewer than {k} random inspections ({n})",
        "no_estimate": "no estimate (the domain's bodies hold nothing to count)",
        "estimate_zero": "estimate 0: no coefficient of variation, only the upper limit informs",
        "outside": "estimate {estimate} outside [0, 1]: impossible for a rate",
        "se_zero": "standard error 0: every random outcome alike, the precision is unknown",
        "cv_above": "coefficient of variation {cv} above {most}",
        "n_random_cv": "{n} random inspections, coefficient of variation {cv}",
        "n_random": "{n} random inspections",
        "no_assisted": "no model-assisted (difference) rows: {why}",
        "give_draws": "give --draws DIR, the folder of the draws, whose frames keep the model's predictions",
        "draws_without_folder": "{n} of the {total} draws of the window have no folder in --draws ({few})",
        "draws_without_prediction": "{n} draw(s) have no prediction in frame.csv ({few}; no p_serious in their grades)",
        "both": "{first} and {second}",
        "no_assisted_certificates": "no model-assisted row for problem certificates: {why}",
        "no_certs_held": "the frame.csv of {few} records no certs_held",
        "no_prior_checks": "no random inspection checked a certificate before the draw(s) {few}",
        "no_certificate_rate": "no problem-certificate rate: {reason}",
        # the draws' frames (estimate --draws) and the inspections against them
        "frame_unreadable": "{path} cannot be read as a draw frame ({error}).",
        "frame_changed": "{path} was changed since the draw (its SHA-256 differs from the manifest): the estimates "
        "would rest on probabilities the draw did not use; check the folder with `certrisk verify`.",
        "frame_lacks": "{path} is not a draw frame: it lacks the column(s) {missing}.",
        "frame_flag": "{path}: column {column} must be True or False; got {got!r} on line {line} (data row {row}).",
        "frame_as_of": "{path}: column as_of must hold the draw's one as-of date; got {days}.",
        "mismatched": "{n} random inspection(s) do not match their draw's {frame} in --draws{first}: {listed}. No "
        "estimate was made: correct the inspections table (draw_id, inclusion_prob) or give the right folder of draws.",
        "mismatch": "body {body} of draw {draw_id} inspected on {day}: {why}",
        "not_in_frame": "the body is not in the frame",
        "not_drawn": "the body was not drawn",
        "other_pi": "inclusion_prob {pi}, the frame's pi {frame_pi}",
        "overchecked": "{n} random inspection(s) checked more certificates than the body held at its draw "
        "(certs_checked > certs_held){first}: {listed}. No estimate was made: correct certs_checked in the "
        "inspections table, or give the draw folders (--draws) whose stage-2 frame the inspections checked.",
        "overchecked_one": "draw {draw_id}, body {body}, inspected on {day}: checked {checked}, held {held}",
        "the_first": ", the first {n}",
    },
    "zh": {
        "label_reliable": "可靠",
        "label_unstable": "不稳定",
        "label_suppressed": "不公布",
        "advice_unstable": "请谨慎解读，宜合并更多季度（--since）",
        "rule": "每项估计均标明可靠性：随机抽查少于 {published} 次不公布；少于 {reliable} 次、估计值或标准误为 0、"
        "估计值超出 [0, 1]、或变异系数高于 {cv} 为不稳定（请谨慎解读）；其余为可靠。",
        "note_suppressed": "不公布：{reason}",
        "note_unstable": "不稳定：{reason}；宜合并更多季度（--since）",
        "fewer_than": "随机抽查少于 {k} 次（{n} 次）",
        "no_estimate": "无估计值（该分组的机构没有可计数的对象）",
        "estimate_zero": "估计值为 0：无变异系数，仅区间上限有参考意义",
        "outside": "估计值 {estimate} 超出 [0, 1]：比率不可能取此值",
        "se_zero": "标准误为 0：随机抽查结果全部相同，精度未知",
        "cv_above": "变异系数 {cv}，高于 {most}",
        "n_random_cv": "随机抽查 {n} 次，变异系数 {cv}",
        "n_random": "随机抽查 {n} 次",
        "no_assisted": "没有模型辅助（差分）估计：{why}",
        "give_draws": "请给出 --draws DIR（各抽查目录所在的文件夹，其抽样框保留了模型的预测）",
        "draws_without_folder": "时间窗口内的 {total} 个批次中有 {n} 个在 --draws 中没有目录（{few}）",
        "draws_without_prediction": "{n} 个批次的 frame.csv 中没有预测值（{few}；其分级文件中没有 p_serious）",
        "both": "{first}；且{second}",
        "no_assisted_certificates": "问题证书没有模型辅助估计：{why}",
        "no_certs_held": "{few} 的 frame.csv 没有记录 certs_held",
        "no_prior_checks": "批次 {few} 之前没有任何随机抽查检查过证书",
        "no_certificate_rate": "没有问题证书比例：{reason}",
        "frame_unreadable": "{path} 无法作为抽样框读取（{error}）。",
        "frame_changed": "{path} 在抽查后被改动（其 SHA-256 与清单记录不符）：估计将基于抽查并未使用的入样概率；"
        "请用 `certrisk verify` 核验该文件夹。",
        "frame_lacks": "{path} 不是抽样框：缺少列 {missing}。",
        "frame_flag": "{path}：{column} 列须为 True 或 False；第 {line} 行（数据第 {row} 行）为 {got!r}。",
        "frame_as_of": "{path}：as_of 列须为该批次唯一的截至日期；实际为 {days}。",
        "mismatched": "{n} 次随机抽查与 --draws 中其批次的 {frame} 不符{first}：{listed}。未作估计：请更正 inspections 表"
        "（draw_id、inclusion_prob），或给出正确的抽查汇总目录。",
        "mismatch": "批次 {draw_id} 中机构 {body} 于 {day} 的检查：{why}",
        "not_in_frame": "该机构不在抽样框中",
        "not_drawn": "该机构未被抽中",
        "other_pi": "inclusion_prob 为 {pi}，抽样框的 pi 为 {frame_pi}",
        "overchecked": "{n} 次随机抽查检查的证书多于该机构在抽查时持有的证书（certs_checked > certs_held）{first}："
        "{listed}。未作估计：请更正 inspections 表中的 certs_checked，或给出这些检查所依据的第二阶段抽样框所在的抽查目录"
        "（--draws）。",
        "overchecked_one": "批次 {draw_id}，机构 {body}，{day} 检查：检查 {checked} 张，持有 {held} 张",
        "the_first": "，前 {n} 条如下",
    },
}
