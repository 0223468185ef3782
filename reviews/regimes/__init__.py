"""The rule regimes, chosen by the year reviewed.

- before 2023: ratings are stored as given (132-QĐ/TW; imported, never re-derived): None;
- 2023–2024: regime A, Quy định 124-QĐ/TW (``a_124``);
- 2025 on: regime B, Quy định 366-QĐ/TW (``b_366``).
A round may override the choice with a regime's code.
"""

from __future__ import annotations

from types import ModuleType

from reviews.regimes import a_124, b_366

REGIMES: dict[str, ModuleType] = {a_124.code: a_124, b_366.code: b_366}
FIRST_YEAR = {a_124.code: 2023, b_366.code: 2025}


def regime_for(year: int, override: str = "") -> ModuleType | None:
    """The regime module for ``year`` (or the one ``override`` names); None: stored as given."""
    if override:
        return REGIMES[override]
    if year >= FIRST_YEAR[b_366.code]:
        return b_366
    if year >= FIRST_YEAR[a_124.code]:
        return a_124
    return None
