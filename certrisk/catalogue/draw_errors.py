"""Why a draw, a draw folder, its public results or a plan cannot be made or trusted
(:class:`certrisk.draw.config.DrawError`, :class:`certrisk.plan_job.PlanError`)."""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "draw_id": "`--draw-id` must be letters, digits, '_', '.' or '-' (at most 100, no '..' and no path "
        "separators); got {got!r}.",
        "stringency_needs_p": "`--stringency` needs the body's p_serious in the grades file (written by `certrisk "
        "grade`); it is missing for {n} drawn body(ies).",
        "grades_columns": "the grades file must have columns body_id and grade; missing: {missing}.",
        "ungraded": "{n} bodies in the frame have no grade in the grades file: {ids}; grade them first "
        "(certrisk grade).",
        "commitment_unreadable": "the commitment {path} cannot be read ({error}); the draw was not made.",
        "commitment_not_record": "the commitment {path} is not a commitment record; the draw was not made.",
        "commitment_duplicate_key": "the commitment {path} is damaged: the key {key!r} appears twice in one of its "
        "objects (a reader could take either value); the draw was not made.",
        "unstaffed": "the frame cannot be committed: {n} body(ies) that can be drawn could never be given an "
        "inspector team, whatever the seed:\n{listed}\nadd inspectors (or expertise) to their pools, or correct the "
        "directory, then commit again.",
        "already_committed": "draw {draw_id} was already committed: {path}.",
        "no_commitment": "no commitment for this frame and configuration (draw {draw_id}) in {out}: commit it "
        "first with `certrisk commit` and publish its hash before the seed (`--uncommitted` draws an exercise); "
        "the draw was not made.",
        "no_matching_commitment": "no commitment for this frame and configuration (draw {draw_id}) in {out}; what "
        "differs from the commitment(s) of {as_of}:\n{listed}\nthe draw was not made (nothing was derived from the "
        "seed).",
        "candidate": "  {name}:\n{listed}",
        "not_as_committed": "the draw does not match its commitment {name}:\n{listed}\nthe draw was not made "
        "(nothing was derived from the seed).",
        "draw_exists": "draw {draw_id} already exists in {out}; a draw folder is never overwritten.",
        "not_a_draw_folder": "{folder} is not a draw folder: {manifest} is missing.",
        "manifest_not_json": "{path} is damaged: it is not valid JSON ({error}).",
        "manifest_duplicate_key": "{path} is damaged: the key {key!r} appears twice in one of its objects (a "
        "reader could take either value).",
        "manifest_lacks": "{path} is damaged: it lacks {missing}.",
        "manifest_lacks_parts": "{path} is damaged: it lacks the commitment, configuration or outputs.",
        "no_draw_folder": "the draw folder {folder} does not exist (give the folder OUT/<draw_id> of `certrisk draw`).",
        "frame_missing": "{path} is missing: the frame of the draw says which bodies were drawn.",
        "frame_lacks": "{path} is damaged: it lacks the column body_id or selected.",
        # publish
        "uncommitted_results": "draw {draw_id} is uncommitted (an exercise): the results of a draw are published "
        "only for a draw whose commitment was published before the seed.",
        "record_changed": "the commitment record in {path} does not hash to the commitment it names ({short}...): "
        "the draw folder was changed; nothing was published.",
        "public_list_missing": "{path} is missing: the public list of the draw is needed; nothing was published.",
        "public_list_changed": "{path} was changed since the draw (its SHA-256 differs from the manifest); nothing "
        "was published.",
        "public_list_columns": "{path} does not have the columns of a public list ({headers}).",
        "public_list_commitment": "{path} names another commitment than the draw's; nothing was published.",
        "unknown_drawn": "draw {draw_id} drew bodies the data's bodies table does not hold ({few}): the data are not "
        "those the draw was made from; nothing was published.",
        "other_registry": "the data do not verify against the commitment of draw {draw_id}: the {n} bodies approved "
        "before {day} are not the registry that was committed (a body added, removed or re-dated); nothing was "
        "published.",
        "stray_results": "the inspections table names draw {draw_id} for bodies it did not draw: {named}; correct "
        "their draw_id; nothing was published.",
        "early_results": "the inspections table names draw {draw_id} for inspections before its as-of date {day}: "
        "{few}; correct their draw_id or date; nothing was published.",
        # plan
        "no_p_serious": "the grades file has no p_serious: planning needs the model's probabilities; grade with "
        "certrisk grade",
        "p_serious_values": "the grades file's p_serious must be a probability between 0 and 1 for every body that "
        "can be drawn; {n} bodies have none or another value: {ids}.",
        "no_prior_share": "planning needs the share of problem certificates found by earlier random inspections (the "
        "prior problem share); no random inspection before {as_of} checked a certificate.",
        "design_unplannable": "the design of budget {budget} cannot be planned: {reason}",
        "steepness": "the steepness values must be finite numbers >= 0; got {got!r}.",
    },
    "zh": {
        "draw_id": "`--draw-id` 只能由字母、数字、'_'、'.' 或 '-' 组成（最多 100 个字符，不得含 '..' 或路径分隔符）；"
        "实际为 {got!r}。",
        "stringency_needs_p": "`--stringency` 需要分级文件中机构的 p_serious（由 `certrisk grade` 写出）；"
        "有 {n} 个抽中机构缺少此值。",
        "grades_columns": "分级文件须包含 body_id 和 grade 两列；缺少：{missing}。",
        "ungraded": "抽样框中有 {n} 个机构在分级文件中没有等级：{ids}；请先分级（certrisk grade）。",
        "commitment_unreadable": "无法读取承诺记录 {path}（{error}）；未进行抽查。",
        "commitment_duplicate_key": "承诺记录 {path} 已损坏：键 {key!r} 在同一对象中出现两次（读取者可能取到任一值）；未进行抽查。",
        "commitment_not_record": "{path} 不是承诺记录；未进行抽查。",
        "unstaffed": "抽样框无法承诺：有 {n} 个可被抽中的机构无论种子如何都无法组成检查组：\n{listed}\n"
        "请为其检查员库增加人员（或专业领域），或更正名录库，然后重新承诺。",
        "already_committed": "抽查批次 {draw_id} 已承诺过：{path}。",
        "no_commitment": "{out} 中没有此抽样框和参数的承诺（抽查批次 {draw_id}）：请先用 `certrisk commit` 承诺，"
        "并在种子公布前公布其哈希值（`--uncommitted` 仅为演练）；未进行抽查。",
        "no_matching_commitment": "{out} 中没有此抽样框和参数的承诺（抽查批次 {draw_id}）；与 {as_of} 的承诺相比，"
        "不同之处：\n{listed}\n未进行抽查（未从种子推导任何结果）。",
        "candidate": "  {name}：\n{listed}",
        "not_as_committed": "抽查与其承诺 {name} 不一致：\n{listed}\n未进行抽查（未从种子推导任何结果）。",
        "draw_exists": "抽查批次 {draw_id} 已存在于 {out}；抽查目录从不覆盖。",
        "not_a_draw_folder": "{folder} 不是抽查目录：缺少 {manifest}。",
        "manifest_not_json": "{path} 已损坏：不是有效的 JSON（{error}）。",
        "manifest_duplicate_key": "{path} 已损坏：键 {key!r} 在同一对象中出现两次（读取者可能取到任一值）。",
        "manifest_lacks": "{path} 已损坏：缺少 {missing}。",
        "manifest_lacks_parts": "{path} 已损坏：缺少承诺、参数或输出文件记录。",
        "no_draw_folder": "抽查目录 {folder} 不存在（请给出 `certrisk draw` 写出的目录 OUT/<draw_id>）。",
        "frame_missing": "缺少 {path}：抽样框记录了哪些机构被抽中。",
        "frame_lacks": "{path} 已损坏：缺少 body_id 或 selected 列。",
        "uncommitted_results": "抽查批次 {draw_id} 未经承诺（仅为演练）：只有在种子公布前已公布承诺的抽查才公示结果。",
        "record_changed": "{path} 中的承诺记录与其所列承诺值（{short}...）不符：抽查目录已被改动；未公示任何内容。",
        "public_list_missing": "缺少 {path}：需要抽查的公开名单；未公示任何内容。",
        "public_list_changed": "{path} 在抽查后被改动（其 SHA-256 与清单记录不符）；未公示任何内容。",
        "public_list_columns": "{path} 的列不是公开名单的列（{headers}）。",
        "public_list_commitment": "{path} 所列承诺值与本次抽查不符；未公示任何内容。",
        "unknown_drawn": "抽查批次 {draw_id} 抽中的机构不在数据的 bodies 表中（{few}）：这不是抽查所依据的数据；"
        "未公示任何内容。",
        "other_registry": "数据与抽查批次 {draw_id} 的承诺不符：{day} 之前获批的 {n} 个机构不是承诺时的名录"
        "（有机构被增加、删除或改动日期）；未公示任何内容。",
        "stray_results": "inspections 表把未被抽中的机构记在抽查批次 {draw_id} 名下：{named}；请更正其 draw_id；"
        "未公示任何内容。",
        "early_results": "inspections 表把截至日期 {day} 之前的检查记在抽查批次 {draw_id} 名下：{few}；"
        "请更正其 draw_id 或日期；未公示任何内容。",
        "no_p_serious": "分级文件中没有 p_serious：计划需要模型给出的概率；请用 certrisk grade 分级",
        "p_serious_values": "对每个可被抽中的机构，分级文件的 p_serious 须为 0 到 1 之间的概率；"
        "有 {n} 个机构缺少此值或取值不符：{ids}。",
        "no_prior_share": "计划需要以往随机抽查发现的问题证书比例（先验问题比例）；{as_of} 之前没有任何随机抽查检查过证书。",
        "design_unplannable": "预算为 {budget} 的抽样设计无法计划：{reason}",
        "steepness": "陡度取值须为不小于 0 的有限数；实际为 {got!r}。",
    },
}
