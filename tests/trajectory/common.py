"""ppmk-ksm records at each stage, and helpers to build histories from them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

RULES = {f"basic_rule_{i}": True for i in range(1, 6)}
GROWTH: dict[str, Any] = {
    "formed_participatory": True, "members": 12, "members_voluntary": True,
    "meetings_last_3_months": 3, **RULES, "facilitator_visits_last_3_months": 1,
    "admin_books_kept": False, "business_plan_months_since_review": 18,
    "works_with_other_groups": False, "revolving_fund_access": False,
    "arrears_instalments": 0, "members_saving": 2, "trainings_last_12_months": 0,
    "activity_months": 4, "decisions_by_musyawarah": False, "partnerships": 0,
    "market_access": False, "ppmk_capital_added": False, "own_capital_growth_pct": 0,
    "local_cadres": 0, "cadres_chosen_by_musyawarah": False,
    "cadres_able_to_facilitate": False, "legal_standing": False,
    "multistakeholder_cooperation": False}
STRENGTHENING: dict[str, Any] = {
    **GROWTH, "admin_books_kept": True, "business_plan_months_since_review": 6,
    "works_with_other_groups": True, "revolving_fund_access": True,
    "arrears_instalments": 0, "members_saving": 12, "trainings_last_12_months": 1,
    "activity_months": 6}
INDEPENDENCE: dict[str, Any] = {
    **STRENGTHENING, "activity_months": 24, "decisions_by_musyawarah": True,
    "partnerships": 2, "market_access": True, "ppmk_capital_added": True,
    "own_capital_growth_pct": 5, "local_cadres": 2,
    "cadres_chosen_by_musyawarah": True}
RELEASE: dict[str, Any] = {
    **INDEPENDENCE, "cadres_able_to_facilitate": True, "legal_standing": True,
    "multistakeholder_cooperation": True}
BY_STAGE = {"growth": GROWTH, "strengthening": STRENGTHENING,
            "independence": INDEPENDENCE, "release": RELEASE}


def history(group: str, periods: Iterable[str], record: dict[str, Any],
            **changes_at: dict[str, Any]) -> list[dict[str, Any]]:
    """One record per period; ``changes_at`` maps a period (``Q2023_2`` for
    ``2023Q2``) to the changes from then on."""
    out, current = [], dict(record)
    for p in periods:
        current = {**current, **changes_at.get("Q" + p.replace("Q", "_"), {})}
        out.append({**current, "group_id": group, "period": p})
    return out


def quarters(first_year: int, n: int, first_quarter: int = 1) -> list[str]:
    """``n`` consecutive quarters from ``first_year`` Q``first_quarter``."""
    start = first_year * 4 + first_quarter - 1
    return [f"{q // 4}Q{q % 4 + 1}" for q in range(start, start + n)]
