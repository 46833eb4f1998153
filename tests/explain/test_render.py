"""Text, Markdown and JSON renderings of an explanation."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from kematangan.explain import Explanation, explain, render_markdown, render_text
from tests.explain.common import case, scorer

Render = Callable[..., str]


def ksm02() -> Explanation:
    s = scorer("ppmk-ksm")
    return explain(s.score(case("ppmk-ksm", "KSM-02")), s)


@pytest.mark.parametrize("render", [render_text, render_markdown])
def test_indonesian_is_the_default(render: Render) -> None:
    text = render(ksm02())
    for heading in ("Tahap saat ini: Penumbuhan", "Penghambat",
                    "Jarak ke tingkat berikutnya", "Langkah berikutnya",
                    "Data yang dipakai", "Siap dilepas: belum"):
        assert heading in text


@pytest.mark.parametrize("render", [render_text, render_markdown])
def test_english_on_request(render: Render) -> None:
    text = render(ksm02(), "en")
    for heading in ("Current stage: Growth", "What holds the group back",
                    "Next steps", "Data used"):
        assert heading in text
    assert "Tahap saat ini" not in text


@pytest.mark.parametrize("render", [render_text, render_markdown])
def test_every_rendering_names_the_ruleset_and_inputs(render: Render) -> None:
    e = ksm02()
    text = render(e)
    assert e.ruleset.hash in text and f"ppmk-ksm versi {e.ruleset.version}" in text
    assert "Jumlah anggota" in text and "10 orang" in text


def test_text_lists_reasons_with_condition_data_and_advice() -> None:
    text = render_text(ksm02())
    assert ("1. Administrasi kelompok tertib: tidak terpenuhi, kurang 5 poin, "
            "menghambat naik tahap") in text
    assert "Syarat: Buku administrasi (anggota dan keuangan) tertib: ya" in text
    assert "Data: Buku administrasi (anggota dan keuangan) tertib = tidak" in text
    assert "Saran: Perbarui buku anggota" in text


def test_text_shows_a_verified_step() -> None:
    text = render_text(ksm02())
    assert "1. Buku administrasi (anggota dan keuangan) tertib: tidak → ya" in text
    assert "Setelah langkah ini: tahap Penguatan" in text


def test_markdown_has_headings_and_a_data_table() -> None:
    md = render_markdown(ksm02())
    assert md.startswith("# Penjelasan hasil penilaian: KSM-02\n")
    assert "\n## Langkah berikutnya\n" in md
    assert "| Jumlah anggota | 10 orang |" in md


def test_markdown_escapes_markup_in_data() -> None:
    s = scorer("ppmk-ksm")
    e = explain(s.score({"group_id": "KSM_*1*|x", "members": 3}), s)
    assert "KSM\\_\\*1\\*\\|x" in render_markdown(e)


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        render_text(ksm02(), "fr")


def test_json_round_trips() -> None:
    e = ksm02()
    data = json.loads(e.model_dump_json())
    assert data["class"] == "berkembang" and "class_" not in data
    assert Explanation.model_validate(data) == e


def test_explanation_is_frozen() -> None:
    e = ksm02()
    with pytest.raises(ValueError, match="frozen"):
        e.score = 0.0  # type: ignore[misc]


def test_explanation_forbids_unknown_keys() -> None:
    data = ksm02().model_dump(mode="json")
    data["surprise"] = 1
    with pytest.raises(ValueError, match="surprise"):
        Explanation.model_validate(data)


def test_rendering_a_ruleset_without_stages_skips_stage_lines() -> None:
    s = scorer("ksm-unggulan")
    text = render_text(explain(s.score(case("ksm-unggulan", "KSM-04")), s))
    assert "Tahap saat ini" not in text and "Kelas: Potensial unggulan" in text
