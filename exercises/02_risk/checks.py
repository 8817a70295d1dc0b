"""
Checks of exercise 02, *Score and respond*: seven risks of the warehouse project.

The right answers are computed from the ``risks`` table in the notebook with the
kit's risk engine (``score``, ``contingency``) on the ordinal 5x5 matrix, never
written down here. When an answer is wrong, the check looks for the usual
mistake behind it (inherent instead of residual, a closed risk in the top list,
the EMV sum given as the P80 reserve, ...) and names it.
"""

from __future__ import annotations

import pandas as pd

from pmo_kit.risk import (
    ORDINAL_5X5,
    RESPONSES,
    contingency,
    score,
)
from pmo_kit.training import Tolerance, as_number, check, fail

#: The simulation the notebook asks for.
ITERATIONS = 20_000
SEED = 2026
#: A reserve from another seed is still right within this share.
RESERVE = Tolerance(relative=0.03)
#: The EMV sum itself, given as the reserve (the simulation's mean): within 0.5%.
MEAN = Tolerance(relative=0.005)
#: Scores and EMV sums: rounding to whole units is still right.
SCORE = Tolerance(absolute=0.51, relative=1e-6)


def _scored(risks: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(risks, pd.DataFrame) or "risk_id" not in risks:
        fail(
            "`risks` is no longer the exercise's table: run the cell that reads "
            "risks.csv again (near the top of the notebook)."
        )
    return score(risks, matrix=ORDINAL_5X5).set_index("risk_id")


def _by_risk(answer: object, name: str, ids: list[str]) -> dict[str, object]:
    if isinstance(answer, pd.Series):
        answer = answer.to_dict()
    if not isinstance(answer, dict):
        fail(
            f"`{name}` should be a dict keyed by risk id, like "
            f'{{"{ids[0]}": ..., "{ids[1]}": ...}}; you gave a '
            f"{type(answer).__name__}."
        )
    out = {str(k).strip().upper(): v for k, v in answer.items()}
    missing = [i for i in ids if i not in out]
    if missing:
        fail(f"`{name}` has no value for {', '.join(missing)}: give one per risk.")
    return out


@check(hint="Residual score = residual probability x residual impact.")
def q1_residual_score(risks: pd.DataFrame, residual_score: object) -> None:
    """Check the residual score of every risk on the ordinal 5x5 matrix."""
    s = _scored(risks)
    answer = _by_risk(residual_score, "residual_score", list(s.index))
    for risk_id, row in s.iterrows():
        given = as_number(answer[str(risk_id)], f"residual_score[{risk_id!r}]")
        if SCORE.accepts(given, row["residual_score"]):
            continue
        p, i = int(row["residual_probability"]), int(row["residual_impact"])
        if SCORE.accepts(given, row["inherent_score"]):
            fail(
                f"{risk_id}: you multiplied inherent not residual: "
                f"{int(row['probability'])} x {int(row['impact'])} = "
                f"{row['inherent_score']:g} is the score BEFORE the response. The "
                f"residual score uses residual_probability and residual_impact "
                f"({p} x {i})."
            )
        if SCORE.accepts(given, p + i):
            fail(
                f"{risk_id}: you added {p} + {i}; the score is the product, {p} x {i}."
            )
        fail(
            f"{risk_id}: {given:g} is not its residual score. Multiply its "
            f"residual_probability by its residual_impact."
        )


@check(hint="Bands on the 5x5 matrix: low 1-4, medium 5-12, high 15-25.")
def q2_rating(risks: pd.DataFrame, rating: object) -> None:
    """Check the residual rating (low/medium/high) of every risk."""
    s = _scored(risks)
    answer = _by_risk(rating, "rating", list(s.index))
    for risk_id, row in s.iterrows():
        given = str(answer[str(risk_id)]).strip().lower()
        right = row["residual_rating"]
        if given == right:
            continue
        if given not in ("low", "medium", "high"):
            fail(
                f"{risk_id}: {given!r} is not a rating. Use 'low', 'medium' or 'high'."
            )
        if given == row["rating"]:
            fail(
                f"{risk_id}: {given!r} is the rating of the inherent score "
                f"{row['inherent_score']:g}. Rate the residual score "
                f"{row['residual_score']:g}: it is {right!r}."
            )
        fail(
            f"{risk_id}: a residual score of {row['residual_score']:g} is {right!r}, "
            f"not {given!r} (low 1-4, medium 5-12, high 15-25)."
        )


@check(hint="The three OPEN risks with the highest residual score, highest first.")
def q3_top_three(risks: pd.DataFrame, top_three: object) -> None:
    """Check the three open risks with the highest residual score."""
    s = _scored(risks)
    if isinstance(top_three, str):
        top_three = [t for t in top_three.replace(",", " ").split() if t]
    if not isinstance(top_three, list | tuple | pd.Series | pd.Index):
        fail("`top_three` should be a list of three risk ids, highest first.")
    given = [str(t).strip().upper() for t in top_three]
    open_ = s[s["status"] == "open"].reset_index()
    right = (
        open_.sort_values(["residual_score", "exposure"], ascending=False)
        .head(3)["risk_id"]
        .tolist()
    )
    if given == right:
        return
    if len(given) != 3:
        fail(f"Give exactly three risk ids; you gave {len(given)}.")
    closed = [t for t in given if t in s.index and s.loc[t, "status"] != "open"]
    if closed:
        fail(
            f"{closed[0]} is {s.loc[closed[0], 'status']!s}: it no longer needs "
            "attention. Rank the open risks only."
        )
    by_inherent = (
        open_.sort_values(["inherent_score", "exposure"], ascending=False)
        .head(3)["risk_id"]
        .tolist()
    )
    if given == by_inherent:
        fail(
            "You ranked by the inherent score. The top risks are the ones that "
            "are still dangerous AFTER the planned responses: rank by residual score."
        )
    if sorted(given) == sorted(right):
        fail(
            "Right three risks, wrong order: highest residual score first "
            f"({right[0]})."
        )
    fail("Not the three open risks with the highest residual score.")


@check(
    hint="Threat: avoid, mitigate, transfer, escalate, accept. Opportunity: "
    "exploit, enhance, share, escalate, accept."
)
def q4_responses(risks: pd.DataFrame, responses: object) -> None:
    """Check a valid response for every open risk without one (RK-003, RK-007)."""
    s = _scored(risks)
    open_ids = [
        str(r) for r in s.index[s["response_strategy"].isna() & (s["status"] == "open")]
    ]
    answer = _by_risk(responses, "responses", open_ids or list(s.index))
    for risk_id in open_ids:
        kind = str(s.loc[risk_id, "type"])
        given = str(answer[risk_id]).strip().lower()
        allowed = RESPONSES[kind]
        if given in allowed:
            continue
        other = "threat" if kind == "opportunity" else "opportunity"
        article = "an" if kind == "opportunity" else "a"
        plural = {"threat": "threats", "opportunity": "opportunities"}
        choices = f"{', '.join(allowed[:-1])} or {allowed[-1]}"
        if given in RESPONSES[other]:
            fail(
                f"{risk_id} is {article} {kind}: {given!r} is for {plural[other]}; "
                f"use {choices}."
            )
        fail(
            f"{risk_id}: {given!r} is not a response strategy. For {article} {kind} "
            f"use {choices}."
        )


@check(
    hint="EMV of a threat = chance of its residual probability level x mean "
    "cost (min + most likely + max) / 3; add up the OPEN THREATS."
)
def q5_emv_sum(risks: pd.DataFrame, emv_sum: object) -> None:
    """Check the EMV sum of the open threats (a positive amount of EUR)."""
    s = _scored(risks)
    given = abs(as_number(emv_sum, "emv_sum"))
    open_threats = s[(s["type"] == "threat") & (s["status"] == "open")]
    right = float(open_threats["exposure"].sum())
    if SCORE.accepts(given, right):
        return
    chances = pd.Series(ORDINAL_5X5.probabilities, index=range(1, 6))
    inherent = float(
        (
            chances[open_threats["probability"]].to_numpy()
            * open_threats["expected_cost"]
        ).sum()
    )
    most_likely = float(
        (open_threats["chance"] * open_threats["cost_impact_most_likely"]).sum()
    )
    opportunities = s[(s["type"] == "opportunity") & (s["status"] == "open")]
    net = right - float(opportunities["exposure"].sum())
    plus_closed = float(s[s["type"] == "threat"]["exposure"].sum())
    with_opportunities = right + float(opportunities["exposure"].sum())
    if SCORE.accepts(given, inherent):
        fail(
            "You used the inherent probability. The responses are planned: use the "
            "residual probability's chance (level 1 = 10%, 2 = 30%, 3 = 50%, "
            "4 = 70%, 5 = 90%)."
        )
    if SCORE.accepts(given, most_likely):
        fail(
            "You multiplied by the most likely cost. The expected cost of a "
            "three-point range is its mean, (min + most likely + max) / 3."
        )
    if SCORE.accepts(given, net):
        fail(
            "You netted the opportunity against the threats. A contingency "
            "reserve covers threats; count open threats only."
        )
    if SCORE.accepts(given, with_opportunities):
        fail("You added the opportunity: count open threats only.")
    if SCORE.accepts(given, plus_closed):
        fail("You counted a closed risk: count OPEN threats only.")
    fail(f"{given:,.0f} is not the EMV sum of the open threats.")


@check(hint="Run contingency(risks, iterations=20_000, seed=2026) and take its P80.")
def q6_reserve(risks: pd.DataFrame, reserve: object) -> None:
    """Check the P80 contingency reserve of the open threats (Monte Carlo)."""
    given = as_number(reserve, "reserve")
    result = contingency(risks, iterations=ITERATIONS, seed=SEED)
    right = result.p80
    if RESERVE.accepts(given, right):
        return
    if MEAN.accepts(given, result.emv_sum):
        fail(
            f"Your reserve is the EMV sum ({result.emv_sum:,.0f}); the question asks "
            "P80: the total not exceeded in 80% of the simulated futures "
            "(result.p80)."
        )
    if RESERVE.accepts(given, result.p50):
        fail(
            "That is the P50: half the futures cost more. The question asks P80 "
            "(result.p80)."
        )
    if RESERVE.accepts(given, result.percentile(0.2)):
        fail("That is P20 (80% of futures cost MORE). Take result.p80.")
    fail(f"{given:,.0f} is not the P80 of the simulation (about {right:,.0f}).")
