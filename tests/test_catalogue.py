"""The catalogue: every problem code reads in Indonesian and English."""

from __future__ import annotations

import re
import string

import pytest

from kematangan.catalogue import LANGS, areas, codes, message, render


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template)
            if name is not None}


@pytest.mark.parametrize("code", codes())
def test_every_code_has_a_problem_text_in_every_language(code: str) -> None:
    for lang in LANGS:
        problem, _ = message(code).templates(lang)
        assert problem.strip(), f"{code} has no {lang} problem text"


@pytest.mark.parametrize("code", codes())
def test_both_languages_use_the_same_parameters(code: str) -> None:
    msg = message(code)
    id_fields = set().union(*map(_fields, msg.id))
    en_fields = set().union(*map(_fields, msg.en))
    assert id_fields == en_fields, code


@pytest.mark.parametrize("code", codes())
def test_a_fix_is_given_in_both_languages_or_neither(code: str) -> None:
    msg = message(code)
    assert bool(msg.id[1].strip()) == bool(msg.en[1].strip()), code


def test_codes_are_snake_case_and_unique_across_areas() -> None:
    seen: dict[str, str] = {}
    for area, messages in areas().items():
        for code in messages:
            assert re.fullmatch(r"[a-z][a-z0-9_]*", code), code
            assert code not in seen, f"{code} in {seen.get(code)} and {area}"
            seen[code] = area


def test_numbers_follow_each_languages_habit() -> None:
    params = {"value": 12.5, "min": 0, "max": 10}
    assert render("above_maximum", params, "id")[0] == (
        "nilai 12,5 di atas batas tertinggi 10")
    assert render("above_maximum", params, "en")[0] == (
        "value 12.5 is above the maximum 10")
