"""Risk monitoring and early warning (风险监测预警), and special checks (专项检查).

The five steps of the 2024-2026 action plan (annex 1 §4): risk points and
their indicators (风险点确定, 风险指标设定), judgement (风险研判), warnings
(风险预警) and handling (风险处置) by the 三书一函 ladder; and the special-check
lists of the plan, high-risk auditors (高风险认证审核员) among them.

A library: it imports ``features`` only (the data contract and the features
built from the data), never the application, the model or the draw. The model's
score enters as a column of numbers.
"""
