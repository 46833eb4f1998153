"""The published JSON Schema of the ruleset file format, generated from the models."""

from __future__ import annotations

import json
from typing import Any

from kematangan.criteria.ruleset import Ruleset

__all__ = ["ruleset_json_schema", "ruleset_json_schema_text"]


def ruleset_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a ruleset file.

    Examples
    --------
    >>> schema = ruleset_json_schema()
    >>> schema["title"], "criteria" in schema["required"]
    ('kematangan ruleset', True)
    """
    schema = Ruleset.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "kematangan ruleset"
    return schema


def ruleset_json_schema_text() -> str:
    """The schema as stable, indented JSON text (what ``docs/`` publishes)."""
    return json.dumps(ruleset_json_schema(), indent=2, sort_keys=True,
                      ensure_ascii=False) + "\n"
