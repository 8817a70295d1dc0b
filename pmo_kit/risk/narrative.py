"""
What a register review says in words: headline sentences and the method notes.

The sentences hold as of the status date they are given: a register with no
risk yet says so, opportunities are never called threats, money is rounded
before it is signed (no ``EUR -0``), and plurals agree with their numbers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from pmo_kit.risk.contingency import ContingencyResult
    from pmo_kit.risk.matrix import RiskMatrix

__all__ = ["count_of", "money", "register_method", "register_narrative"]


def money(amount: float, currency: str, *, signed: bool = False) -> str:
    """
    Format an amount in whole currency units, rounded before it is signed.

    Examples
    --------
    >>> money(-0.4, "EUR"), money(1234.5, "CHF"), money(-2500, "EUR", signed=True)
    ('EUR 0', 'CHF 1,234', 'EUR -2,500')
    >>> money(250, "EUR", signed=True)
    'EUR +250'
    """
    whole = round(float(amount))
    text = f"{whole:,}" if not signed or whole <= 0 else f"+{whole:,}"
    return f"{currency} {text}"


def count_of(n: int, singular: str, plural: str | None = None) -> str:
    """
    Return ``"1 risk"`` or ``"3 risks"``.

    Examples
    --------
    >>> count_of(1, "risk"), count_of(0, "opportunity", "opportunities")
    ('1 risk', '0 opportunities')
    """
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"


def _share(value: float) -> str:
    if value > 0.995:
        return "more than 99%"
    if value < 0.005:
        return "less than 1%"
    return f"{value:.0%}"


def register_narrative(
    scored: pd.DataFrame,
    *,
    as_of: pd.Timestamp,
    first_raised: pd.Timestamp | None,
    fired: pd.DataFrame,
    overdue: pd.DataFrame,
    findings: int,
    simulation: ContingencyResult,
    budget: float | None,
    budget_count: int,
    within: float | None,
    currency: str,
) -> list[str]:
    """
    Headline sentences of a register review at ``as_of``.

    Parameters
    ----------
    scored
        The register as it stood at ``as_of``, scored (:func:`score`).
    as_of
        The status date.
    first_raised
        When the first risk in scope was raised (for a date before any risk).
    fired, overdue
        The fired risks (``occurred``, ``cost_most_likely``) and the overdue
        reviews (``residual_rating``, ``cadence_days``, ``days_since_review``).
    findings
        Number of entries that break the register's rules.
    simulation
        The contingency simulation of the open threats.
    budget, budget_count, within
        The charters' contingency (``None`` if none), how many charters gave
        one, and the share of simulated futures it covers.
    currency
        The dataset's currency.

    Returns
    -------
    list of str
    """
    when = f"{as_of:%d %b %Y}"
    if scored.empty:
        later = (
            f"; the first was raised on {first_raised:%d %b %Y}"
            if first_raised is not None and pd.notna(first_raised)
            else ""
        )
        return [f"At {when} the register holds no risks yet{later}."]
    open_risks = scored[scored["status"] == "open"]
    threats = open_risks[open_risks["type"] == "threat"]
    opportunities = open_risks[open_risks["type"] == "opportunity"].sort_values(
        ["residual_score", "exposure", "risk_id"], ascending=[False, False, True]
    )
    closed = int((scored["status"] == "closed").sum())
    lines = [
        f"At {when} the register holds {count_of(len(scored), 'risk')}: "
        f"{len(open_risks)} open ({count_of(len(threats), 'threat')}, "
        f"{count_of(len(opportunities), 'opportunity', 'opportunities')}), "
        f"{closed} closed and {len(fired)} that fired."
    ]
    high = threats[threats["residual_rating"] == "high"]
    if len(high):
        verb = "threats are" if len(high) != 1 else "threat is"
        lines.append(
            f"{len(high)} open {verb} still rated high after the planned responses: "
            + ", ".join(f"{r.risk_id} {r.title}" for r in high.itertuples())
            + "."
        )
    else:
        lines.append("No open threat is rated high after the planned responses.")
    if len(opportunities):
        lines.append(
            "Open opportunities (money likely gained, not threats): "
            + "; ".join(
                f"{rid} {title} (EMV {money(emv, currency, signed=True)})"
                for rid, title, emv in zip(
                    opportunities["risk_id"],
                    opportunities["title"],
                    opportunities["emv"].astype(float).tolist(),
                    strict=True,
                )
            )
            + "."
        )
    if len(fired):
        lines.append(
            "Fired: "
            + "; ".join(
                f"{rid} {title} ({pid}, {day:%d %b %Y}, most likely cost "
                f"{money(cost, currency)})"
                for rid, title, pid, day, cost in zip(
                    fired["risk_id"],
                    fired["title"],
                    fired["project_id"],
                    fired["occurred"],
                    fired["cost_most_likely"].astype(float).tolist(),
                    strict=True,
                )
            )
            + ". Check that its cost is in the forecast and that the lesson is "
            "recorded."
        )
    if len(overdue):
        worst = overdue.iloc[0]
        verb = "risks are" if len(overdue) != 1 else "risk is"
        lines.append(
            f"{len(overdue)} open {verb} overdue for review; the most overdue, "
            f"{worst['risk_id']} ({worst['residual_rating']}, reviewed every "
            f"{int(worst['cadence_days'])} days), was last reviewed "
            f"{int(worst['days_since_review'])} days ago."
        )
    else:
        lines.append("Every open risk has been reviewed within its cadence.")
    if findings:
        verb = "entries break" if findings != 1 else "entry breaks"
        lines.append(f"{findings} {verb} the register's rules (see Response validity).")
    label = f"P{round(simulation.confidence * 100)}"
    n = len(threats)
    if n == 0:
        lines.append("No open threat: the register asks for no contingency reserve.")
    else:
        lines.append(
            f"Contingency for the {count_of(n, 'open threat')} "
            f"({simulation.iterations:,} simulated futures): {label} "
            f"{money(simulation.reserve, currency)}, P50 "
            f"{money(simulation.p50, currency)}, against the EMV sum of "
            f"{money(simulation.emv_sum, currency)}."
        )
    if budget is not None and within is not None:
        verdict = "covers" if budget >= simulation.reserve else "does not cover"
        lines.append(
            f"The contingency budget in the charter{'s' if budget_count > 1 else ''}, "
            f"{money(budget, currency)}, {verdict} the {label} reserve: it is enough "
            f"in {_share(within)} of the simulated futures."
        )
        if budget < simulation.reserve:
            lines.append(
                "For decision: raise the contingency by "
                f"{money(simulation.reserve - budget, currency)} to reach {label}, "
                "or act on the threats that add most to the bad futures (see "
                "Contingency)."
            )
    else:
        lines.append("No contingency budget is recorded in a charter for this scope.")
    return lines


def _band_ranges(m: RiskMatrix) -> str:
    parts = []
    for band in m.bands:
        scores = [s for _, _, s, r in m.cells() if r == band.name]
        if not scores:
            continue
        low, high = min(scores), max(scores)
        span = f"{low:g}" if low == high else f"{low:g}-{high:g}"
        parts.append(f"{band.name} {span}")
    return ", ".join(parts)


def register_method(m: RiskMatrix) -> list[str]:
    """
    Return the method and assumptions of a register review, from the matrix.

    Examples
    --------
    >>> from pmo_kit.risk.matrix import ORDINAL_5X5
    >>> notes = register_method(ORDINAL_5X5)
    >>> "low 1-4, medium 5-12, high 15-25" in notes[0]
    True
    >>> "high every 14 days, medium every 30 days, low every 60 days" in notes[1]
    True
    """
    cadence = ", ".join(
        f"{b} every {m.review_cadence(b)} days" for b in reversed(m.band_names)
    )
    chances = ", ".join(f"{c:.0%}" for c in m.probabilities)
    levels = (
        f"1 to {m.probability_levels}"
        if m.probability_levels == m.impact_levels
        else f"1 to {m.probability_levels} and 1 to {m.impact_levels}"
    )
    return [
        f"Scoring: probability and impact are levels {levels} on the matrix "
        f"'{m.name}' ({m.description or 'score = probability x impact value'}); "
        f"the rating bands of its scores: {_band_ranges(m)}. Inherent is before "
        "the response, residual after it; ratings, top risks and review cadences "
        "use the residual score.",
        f"Reviews: an open risk is due for review at the cadence of its "
        f"residual rating, set by the matrix ('review_days'): {cadence}.",
        f"Money: a probability level's chance of occurring is {chances}. The "
        "expected cost if a risk happens is the mean of its three-point range, "
        "(min + most likely + max) / 3. Exposure = chance x expected cost "
        "(residual probability); EMV is negative for threats and positive for "
        "opportunities, rounded to whole units before its sign is shown.",
        "Threats and opportunities: heat maps, top risks and the contingency "
        "cover open threats; open opportunities are listed on their own, as money "
        "likely gained, never as high threats.",
        "Contingency: open threats only (opportunities are not counted on to "
        "pay for threats); risks are independent. The random seed is fixed, so "
        "the same data gives the same report.",
        "The register at a past date: risks raised after the status date do "
        "not exist yet and risks closed or fired later count as open; levels and "
        "review dates are the latest known.",
    ]
