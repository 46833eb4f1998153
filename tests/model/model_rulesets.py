"""A small ruleset with every value type, for the model and synthetic-data tests."""

from __future__ import annotations

import textwrap

__all__ = ["SMALL_RULESET"]

SMALL_RULESET = textwrap.dedent("""\
    format: 1
    id: model-test
    version: 1.0.0
    title: {id: Uji model, en: Model test}
    description: {id: Ruleset kecil untuk menguji model, en: A small test ruleset}
    sources: [{title: test}]
    fields:
      - {id: sector, type: category, label: Sektor, categories: [dagang, tani, jasa]}
      - {id: formed_on, type: date, label: Tanggal dibentuk}
      - {id: members, type: integer, label: Anggota, min: 0, max: 100,
         better: higher}
      - {id: members_saving, type: integer, label: Menabung, min: 0, max: 100,
         better: higher}
      - {id: books_kept, type: boolean, label: Buku tertib, better: higher}
    derived:
      - {id: saving_share, label: Bagian menabung, expr: members_saving / members,
         type: number}
    criteria:
      - {id: enough_members, label: Anggota cukup, stage: formed, gate: true,
         threshold: {field: members, op: ">=", value: 5}}
      - {id: books, label: Buku, stage: formed, gate: true,
         boolean: {field: books_kept}}
      - {id: saving, label: Menabung, stage: formed, gate: true,
         threshold: {field: saving_share, op: ">=", value: 0.5}}
      - {id: trade, label: Dagang, in_set: {field: sector, values: [dagang]}}
      - {id: old_group, label: Kelompok lama,
         expr: "formed_on < date('2020-01-01')"}
    stages:
      - {id: formed, label: Terbentuk}
    classes:
      - {id: low, label: Rendah, interval: "[0, 2)"}
      - {id: high, label: Tinggi, interval: "[2, 10]"}
    exit: {stage: formed, requires: [old_group]}
    """)
