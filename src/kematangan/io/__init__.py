"""Tabular input and output: read group records from spreadsheets, CSV, JSON and
Parquet against a ruleset, and write results and data-entry templates.

Reading never guesses silently: every value whose form was changed is reported as a
note, every unusable value as an error, each with its row and a fix. Values out of a
field's bounds are passed through; the scorer reports them.
"""

from kematangan.io.headers import HeaderMatcher, header_key
from kematangan.io.limits import DEFAULT_LIMITS, Limits, parse_limits
from kematangan.io.read import DEFAULT_CHUNK_ROWS, iter_tables, read_table
from kematangan.io.table import Issue, Severity, Table, concat_tables, issue_columns
from kematangan.io.template import write_template
from kematangan.io.write import OUTPUT_SUFFIXES, ResultWriter, write_table

__all__ = [
    "DEFAULT_CHUNK_ROWS",
    "DEFAULT_LIMITS",
    "OUTPUT_SUFFIXES",
    "HeaderMatcher",
    "Issue",
    "Limits",
    "ResultWriter",
    "Severity",
    "Table",
    "concat_tables",
    "header_key",
    "issue_columns",
    "iter_tables",
    "parse_limits",
    "read_table",
    "write_table",
    "write_template",
]
