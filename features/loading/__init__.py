"""Read a data directory into canonical DataFrames, checking the data contract.

:func:`load_data_dir` reads every table (Parquet or CSV), parses each column
by its kind, rewrites Chinese aliases to canonical codes, validates each table
with its pandera model and then checks the links between tables. It returns a
:class:`DataSet` only when everything conforms; otherwise it raises one
:class:`~features.report.DataContractError` listing every problem of every
table.

A problem found in a cell masks any later problem in the same cell: a date
that cannot be parsed is reported once, not again as "must not be empty" or
"must not be after the as-of date".

One module per stage, in the order they run:

- :mod:`~features.loading.read`: locate the file, read CSV or Parquet;
- :mod:`~features.loading.parse`: each column to the dtype of its kind, aliases rewritten;
- :mod:`~features.loading.validate`: the pandera model, failures in plain words;
- :mod:`~features.loading.canonical`: contract columns in contract order;
- :mod:`~features.loading.cross_checks`: row rules, the as-of date, references between tables;
- :mod:`~features.loading.dataset`: :class:`DataSet` and :func:`load_data_dir`, which run them;
- :mod:`~features.loading.summary`: the summary of a loaded directory;
- :mod:`~features.loading.grades`: :func:`load_grades`, a grades file through
  the same stages, checked against a data set's bodies.

:mod:`~features.loading.state` holds a table's problems while it is loaded.
"""

from .canonical import empty_table
from .dataset import DataSet, DateLike, load_data_dir
from .dispositions import load_dispositions
from .grades import load_grades
from .summary import summarise

__all__ = ["DataSet", "DateLike", "empty_table", "load_data_dir", "load_dispositions", "load_grades", "summarise"]
