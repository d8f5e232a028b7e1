"""The data contract: what every input table must hold.

- :mod:`~features.contracts.models`: one pandera ``DataFrameModel`` per table,
  documenting every column (``description=``, English with the Chinese term),
  its kind (``metadata["kind"]``: str, date, datetime, int, float, bool) and its
  value rules;
- :mod:`~features.contracts.grades`: the grades file (``GradesModel``), read
  by ``commit``, ``draw``, ``plan`` and ``estimate --grades``;
- :mod:`~features.contracts.dispositions`: the dispositions table of the
  warnings (``DispositionsModel``), read by ``monitor --dispositions``;
- :mod:`~features.contracts.row_rules`: rules that link two columns of a row
  (:class:`RowRule` objects in ``ROW_RULES``);
- :mod:`~features.contracts.registry`: the tables and the lookups read off the
  models (``COLUMNS``, ``COLUMN_KINDS``, ``REFERENCES``, ...).

The input tables' models are strict about unknown columns (the grades file's
is not: a hand-made file may carry notes); all validate the *canonical* in-memory
form produced by :func:`features.load_data_dir`:

- str: pandas string dtype ``"str"``, missing = NaN (``isna()`` is True);
- date, datetime: ``datetime64[ns]``, naive, local time Asia/Shanghai;
- int: ``int64``; float: ``float64`` (NaN = missing); bool: numpy ``bool``.

The models call the row rules in their ``dataframe_check`` so that
``Model.validate`` enforces them too, and the loader runs them itself to
report them cell by cell. Rules that need other tables or the as-of date
(``body_id`` must exist in bodies, no date after the as-of date) are checked
by the loader; the columns they apply to are named in ``REFERENCES`` and
``NOT_AFTER_AS_OF``.

Examples
--------
>>> from features.contracts import MODELS, COLUMN_KINDS
>>> COLUMN_KINDS["signals"]["severity"]
'int'
>>> MODELS["bodies"].to_schema().columns["body_id"].unique
True
"""

from .dispositions import DISPOSITIONS_TABLE, DispositionsModel
from .grades import GRADE_RULE, GRADES_TABLE, ONE_ROW_PER_BODY_RULE, GradesModel
from .models import (
    FIELD_LIST_PATTERN,
    FIELD_LIST_RULE,
    ID_LIST_PATTERN,
    PROVINCE_RULE,
    SINGLE_ID_PATTERN,
    SINGLE_ID_RULE,
    AuditsModel,
    BodiesModel,
    CertificatesModel,
    ConflictsModel,
    InspectionsModel,
    InspectorsModel,
    SignalsModel,
)
from .registry import (
    CANONICAL_DTYPES,
    COLUMN_KINDS,
    COLUMNS,
    CONTRACT_MODELS,
    KINDS,
    MODELS,
    NOT_AFTER_AS_OF,
    NULLABLE,
    REFERENCES,
    REQUIRED_TABLES,
    TABLE_LABELS_ZH,
    TABLES,
)
from .row_rules import ROW_RULES, RowRule

__all__ = [
    "BodiesModel",
    "InspectionsModel",
    "SignalsModel",
    "AuditsModel",
    "CertificatesModel",
    "InspectorsModel",
    "ConflictsModel",
    "GradesModel",
    "DispositionsModel",
    "DISPOSITIONS_TABLE",
    "GRADES_TABLE",
    "GRADE_RULE",
    "ONE_ROW_PER_BODY_RULE",
    "MODELS",
    "CONTRACT_MODELS",
    "TABLES",
    "TABLE_LABELS_ZH",
    "REQUIRED_TABLES",
    "COLUMNS",
    "COLUMN_KINDS",
    "KINDS",
    "NULLABLE",
    "NOT_AFTER_AS_OF",
    "REFERENCES",
    "ROW_RULES",
    "RowRule",
    "CANONICAL_DTYPES",
    "FIELD_LIST_PATTERN",
    "FIELD_LIST_RULE",
    "ID_LIST_PATTERN",
    "SINGLE_ID_PATTERN",
    "SINGLE_ID_RULE",
    "PROVINCE_RULE",
]
