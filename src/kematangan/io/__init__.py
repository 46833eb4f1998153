"""Tabular input and output: read group records from spreadsheets, CSV, JSON and
Parquet against a ruleset, and write results and data-entry templates.

Reading never guesses silently: every column is mapped, ignored on purpose or
unmatched (:class:`ColumnMapping`), every row below the headers is a group or says
why it is not (:class:`SkippedRows`), every value whose form was changed is a note
and every unusable value an error (a :class:`~kematangan.problems.Problem`), each
with its row and a fix. Values out of a field's bounds are passed through; the
scorer reports them.
"""

from kematangan.io.frames import MappedColumns, map_columns
from kematangan.io.headers import HeaderMatcher, header_key
from kematangan.io.limits import DEFAULT_LIMITS, Limits, parse_limits
from kematangan.io.mapping import ColumnMapping, ColumnMatch
from kematangan.io.read import DEFAULT_CHUNK_ROWS, iter_tables, read_table
from kematangan.io.rows import SkippedRows
from kematangan.io.table import Table, concat_tables
from kematangan.io.template import write_template
from kematangan.io.usermap import UserMapping, mapping_file_text
from kematangan.io.write import OUTPUT_SUFFIXES, ResultWriter, write_table

__all__ = [
    "DEFAULT_CHUNK_ROWS",
    "DEFAULT_LIMITS",
    "OUTPUT_SUFFIXES",
    "ColumnMapping",
    "ColumnMatch",
    "HeaderMatcher",
    "Limits",
    "MappedColumns",
    "ResultWriter",
    "SkippedRows",
    "Table",
    "UserMapping",
    "concat_tables",
    "header_key",
    "iter_tables",
    "map_columns",
    "mapping_file_text",
    "parse_limits",
    "read_table",
    "write_table",
    "write_template",
]
