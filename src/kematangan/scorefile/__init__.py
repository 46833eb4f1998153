"""Score or check a whole file: read in chunks, score, explain, write; and say what
was found, in the user's language, the same way in every output.

:func:`score_file` is what ``kematangan score`` runs, :func:`check_file` what
``kematangan check`` runs.
"""

from kematangan.scorefile.check import FileCheck, check_file, write_mapping_file
from kematangan.scorefile.columns import next_step_texts, result_columns, sheet_columns
from kematangan.scorefile.run import file_columns, rows_in_order, score_file
from kematangan.scorefile.sheets import (
    columns_sheet,
    errors_sheet,
    report_sections,
    score_table,
)
from kematangan.scorefile.summary import (
    FileSummary,
    mapping_lines,
    rows_lines,
    score_lines,
)

__all__ = [
    "FileCheck",
    "FileSummary",
    "check_file",
    "columns_sheet",
    "errors_sheet",
    "file_columns",
    "mapping_lines",
    "next_step_texts",
    "report_sections",
    "result_columns",
    "rows_in_order",
    "rows_lines",
    "score_file",
    "score_lines",
    "score_table",
    "sheet_columns",
    "write_mapping_file",
]
