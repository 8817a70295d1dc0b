"""
What a project status says in words: the EVM table, decisions, changes and method.

Every sentence is built from figures already computed for the status date, so the
words and the numbers cannot disagree. :func:`pmo_kit.project_status` calls these.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from pmo_kit.reports._status_areas import (
    AreaStatus,
    RiskPicture,
    charter_field,
    review_cadence,
    rows,
)
from pmo_kit.vocabulary import plural

if TYPE_CHECKING:
    from pmo_kit.agile import FlowTolerances
    from pmo_kit.evm import RagRules
    from pmo_kit.reports._status_rules import StatusRules
    from pmo_kit.risk import RiskMatrix

__all__ = [
    "EVM_COLUMNS",
    "change_texts",
    "decision_texts",
    "evm_table",
    "late_text",
    "method_texts",
]

#: Columns of the EVM table: what is measured, its value as shown, what it means.
EVM_COLUMNS = ("measure", "value", "meaning")


def late_text(forecast_finish: pd.Timestamp, planned_finish: pd.Timestamp) -> str:
    """
    Say how late a forecast finish is against the plan.

    Examples
    --------
    >>> late_text(pd.Timestamp("2026-03-20"), pd.Timestamp("2026-03-01"))
    '3 weeks after the plan'
    >>> late_text(pd.Timestamp("2026-03-02"), pd.Timestamp("2026-03-01"))
    '1 day after the plan'
    """
    days = (forecast_finish - planned_finish).days if pd.notna(forecast_finish) else 0
    if days >= 14:
        return f"{days / 7:.0f} weeks after the plan"
    if days > 0:
        return f"{plural(days, 'day')} after the plan"
    return "on or before the plan"


def _tcpi_unrealistic(now: pd.Series, margin: float) -> bool:
    return bool(now["tcpi_bac"] > now["cpi"] + margin or now["tcpi_bac"] < 0)


def evm_table(
    now: pd.Series,
    *,
    currency: str,
    planned_finish: pd.Timestamp,
    network_finish: pd.Timestamp | None,
    tcpi_margin: float,
) -> pd.DataFrame:
    """Earned value figures of one status date with their plain-English meaning."""
    bac = float(now["bac"])

    def money(value: float) -> str:
        return f"{currency} {value:,.0f}"

    def date(value: pd.Timestamp | None) -> str:
        return f"{value:%d %b %Y}" if value is not None and pd.notna(value) else "-"

    rows = [
        ("Budget at completion (BAC)", money(bac), "The approved budget for all work."),
        (
            "Planned value (PV)",
            money(now["pv"]),
            "Budget of the work planned to be done by now.",
        ),
        (
            "Earned value (EV)",
            money(now["ev"]),
            f"Budget of the work actually done: {now['ev'] / bac:.0%} of the total.",
        ),
        ("Actual cost (AC)", money(now["ac"]), "What the work done so far has cost."),
        (
            "Schedule variance (SV = EV - PV)",
            money(now["sv"]),
            "Work worth this much is "
            + ("behind" if now["sv"] < 0 else "ahead of")
            + " the plan.",
        ),
        (
            "Cost variance (CV = EV - AC)",
            money(now["cv"]),
            "The work done cost this much "
            + ("more" if now["cv"] < 0 else "less")
            + " than budgeted.",
        ),
        (
            "SPI = EV / PV",
            f"{now['spi']:.2f}",
            f"{now['spi']:.0%} of the work planned by now is done.",
        ),
        (
            "SPI(t) = ES / AT",
            f"{now['spi_t']:.2f}",
            f"Work planned for {now['es']:.1f} weeks took {now['at']:.1f} weeks.",
        ),
        (
            "CPI = EV / AC",
            f"{now['cpi']:.2f}",
            f"Each {currency} 1.00 spent delivered {now['cpi']:.2f} of planned work.",
        ),
        (
            "EAC = BAC / CPI",
            money(now["eac_cpi"]),
            "Forecast cost if the cost efficiency so far continues.",
        ),
        (
            "EAC = AC + (BAC - EV)",
            money(now["eac_remaining_at_budget"]),
            "If the rest costs its budget (the overrun was a one-off).",
        ),
        (
            "EAC = AC + (BAC - EV) / (CPI x SPI)",
            money(now["eac_cpi_spi"]),
            "If the schedule delay keeps adding cost (pessimistic).",
        ),
        (
            "Variance at completion (VAC = BAC - EAC)",
            money(now["vac"]),
            "Forecast "
            + ("overrun" if now["vac"] < 0 else "saving")
            + " at completion.",
        ),
        (
            "TCPI = (BAC - EV) / (BAC - AC)",
            f"{now['tcpi_bac']:.2f}",
            "Efficiency needed to finish within budget: "
            + (
                f"more than {tcpi_margin:.2f} above the CPI, not realistic."
                if _tcpi_unrealistic(now, tcpi_margin)
                else "within reach."
            ),
        ),
        (
            "Forecast finish (earned schedule)",
            date(now["forecast_finish"]),
            f"If the pace so far continues (planned: {planned_finish:%d %b %Y}).",
        ),
        (
            "Forecast finish (remaining work)",
            date(network_finish),
            "If every remaining task takes its planned duration.",
        ),
    ]
    return pd.DataFrame(rows, columns=list(EVM_COLUMNS))


def decision_texts(
    *,
    project: pd.Series,
    status_date: pd.Timestamp,
    now: pd.Series | None,
    areas: dict[str, AreaStatus],
    currency: str,
    network_finish: pd.Timestamp | None,
    picture: RiskPicture,
    charter: object,
    last_sprint: pd.Series | None,
    rules: StatusRules,
    tolerances: FlowTolerances,
) -> list[str]:
    """List the decisions a sponsor is asked to take this week (at least one)."""
    out: list[str] = []
    bac = float(project["budget"])
    planned_finish = pd.Timestamp(project["planned_finish"])
    if now is not None and areas["schedule"].rag == "red":
        to_plan = (
            f"If the remaining tasks run to plan it finishes on "
            f"{network_finish:%d %b %Y}; at"
            if network_finish is not None
            else "At"
        )
        out.append(
            f"Schedule: the project will not finish on {planned_finish:%d %b %Y}. "
            f"{to_plan} the pace so far on {now['forecast_finish']:%d %b %Y}, "
            f"{late_text(now['forecast_finish'], planned_finish)}. Decide: approve a "
            "new baseline, add capacity to the critical work, or reduce scope to hold "
            "the date."
        )
    if now is not None and (now["tcpi_bac"] < 0 or now["ac"] >= bac):
        out.append(
            f"Budget: the {currency} {bac:,.0f} budget is spent and work remains. "
            f"Decide: fund the forecast of {currency} {now['eac_cpi']:,.0f} or stop."
        )
    elif (
        now is not None
        and now["vac"] < 0
        and now["tcpi_bac"] > now["cpi"] + rules.tcpi_margin
    ):
        one_off = ""
        if len(picture.fired_amber):
            one_off = (
                f" If the overrun is only the one-off cost of "
                f"{picture.fired_amber['risk_id'].iloc[0]}, the forecast is "
                f"{currency} {now['eac_remaining_at_budget']:,.0f} (AC + BAC - EV)."
            )
        out.append(
            f"Budget: to finish within {currency} {bac:,.0f} the remaining work would "
            f"need a cost efficiency (TCPI) of {now['tcpi_bac']:.2f}, against a CPI of "
            f"{now['cpi']:.2f} so far: not realistic. Decide: approve the forecast of "
            f"{currency} {now['eac_cpi']:,.0f} ({-now['vac'] / bac:.0%} over budget) "
            "or reduce scope." + one_off
        )
    out += [
        f"Risk: {r['risk_id']} {r['title']} is {picture.high_rating} (residual "
        f"{r['residual_score']:g}) and not under control "
        f"(owner {r['owner_name'] or 'none'})"
        ". Confirm the owner and response, or escalate."
        for r in rows(picture.unmanaged)
    ]
    out += [
        f"Risk: {r['risk_id']} {r['title']} fired on {r['closed_date']:%d %b}. "
        "Confirm the "
        "recovery plan and how much contingency it takes."
        for r in rows(picture.fired_red)
    ]
    phase = str(project["phase"])
    approval = charter_field(charter, "approval")
    signed_on = charter_field(approval, "date")
    signed_later = signed_on is not None and pd.Timestamp(signed_on) > status_date
    if (
        charter is not None
        and (not approval or signed_later)
        and phase not in ("initiation", "closed")
    ):
        out.append(
            "Governance: the charter "
            + ("is not signed yet" if signed_later else "has never been signed")
            + f", yet the project is in {phase}. {project['sponsor']} to approve it."
        )
    if charter is not None and not charter_field(charter, "scope_out"):
        out.append(
            "Scope: the charter lists nothing out of scope. Agree what is excluded, "
            "so that change requests can be judged against it."
        )
    if (
        last_sprint is not None
        and float(last_sprint["completion"]) < tolerances.sprint_red_below
    ):
        out.append(
            f"Delivery: sprint {last_sprint['sprint_id']} delivered only "
            f"{float(last_sprint['completion']):.0%} of its commitment. Ask the team "
            "what blocked it and whether the release plan still holds."
        )
    if not out:
        out.append(
            "None this week: the project is within its tolerances."
            if areas["overall"].rag in ("green", "grey")
            else "None this week: the project team is handling the amber points above."
        )
    return out


def change_texts(
    *,
    project_id: str,
    now: pd.Series | None,
    before: pd.Series | None,
    status_date: pd.Timestamp,
    previous_date: pd.Timestamp,
    currency: str,
    milestones: pd.DataFrame,
    picture: RiskPicture,
) -> list[str]:
    """List what changed between the previous status date and this one."""
    out: list[str] = []
    if now is None:
        out.append(
            f"{project_id} has no earned-value status by {status_date:%d %b %Y}: "
            "there is no progress to compare."
        )
    elif before is None:
        out.append(
            f"This is the first status report of {project_id}: there is no earlier "
            "week to compare with."
        )
    else:
        cost = (
            f"{currency} {now['ac'] - before['ac']:,.0f} of cost was booked. "
            if now["ac"] > before["ac"]
            else "no cost was booked. "
        )
        out += [
            f"This week ({previous_date:%d %b} to {status_date:%d %b}) the team earned "
            f"{currency} {now['ev'] - before['ev']:,.0f} of work against "
            f"{currency} {now['pv'] - before['pv']:,.0f} planned; {cost}"
            f"{now['ev'] / now['bac']:.0%} of the budgeted work is now done.",
            f"SPI {before['spi']:.2f} to {now['spi']:.2f}, SPI(t) "
            f"{before['spi_t']:.2f} to {now['spi_t']:.2f}, CPI {before['cpi']:.2f} to "
            f"{now['cpi']:.2f}.",
        ]
        moved = (now["forecast_finish"] - before["forecast_finish"]).days
        if pd.notna(moved) and abs(moved) >= 1:
            out.append(
                f"The forecast finish moved {'later' if moved > 0 else 'earlier'} by "
                f"{plural(abs(int(moved)), 'day')}, to "
                f"{now['forecast_finish']:%d %b %Y}."
            )
        for area in ("schedule", "cost"):
            was, is_ = before[f"{area}_rag"], now[f"{area}_rag"]
            if was != is_:
                out.append(f"{area.capitalize()} went from {was} to {is_}.")
    achieved = milestones[
        milestones["done"] & (milestones["forecast_finish"] > previous_date)
    ]
    out += [
        f"Milestone achieved: {r['name']} on {r['forecast_finish']:%d %b}"
        + (
            f" ({plural(int(r['slip_days']), 'working day')} late)."
            if int(r["slip_days"]) > 0
            else ", on time."
        )
        for r in rows(achieved)
    ]
    register = picture.register
    raised = register[pd.to_datetime(register["raised_date"]) > previous_date]
    out += [
        f"New {r['type']!s}: {r['risk_id']} {r['title']} "
        f"(residual {r['residual_score']:g}, "
        f"{r['residual_rating']}, owner {r['owner_name'] or 'none'})."
        for r in rows(raised)
    ]
    out += [
        f"Risk {r['risk_id']} {r['title']} FIRED on {r['closed_date']:%d %b}."
        for r in rows(picture.fired[picture.fired["closed_date"] > previous_date])
    ]
    closed = register[
        (register["status"] == "closed")
        & (pd.to_datetime(register["closed_date"]) > previous_date)
    ]
    out += [f"Risk {r['risk_id']} {r['title']} was closed." for r in rows(closed)]
    return out


def method_texts(
    *,
    rules: StatusRules,
    tolerances: FlowTolerances,
    matrix: RiskMatrix,
    rag_rules: RagRules,
) -> list[str]:
    """Explain every rule behind a colour, with the thresholds in force."""
    s, c = rag_rules.schedule, rag_rules.cost
    cadence = ", ".join(f"{k} {v}" for k, v in review_cadence(matrix).items())
    high = matrix.band_names[-1]
    return [
        "Earned value. PV, EV and AC are the cumulative figures of the weekly status "
        "row. SPI = EV / PV, CPI = EV / AC. The three EACs differ in what they assume "
        "about the remaining work: at the cost efficiency so far (BAC / CPI, the "
        "forecast used for the cost status), at its budget (AC + BAC - EV), or "
        "weighed down by both cost and schedule efficiency. TCPI is the cost "
        "efficiency the remaining work needs to finish within the budget; more than "
        f"{rules.tcpi_margin:.2f} above the CPI is not a realistic recovery.",
        "Earned schedule. ES is the time at which the plan expected the value earned "
        "so far; AT is the time elapsed since the start (in weeks). SPI(t) = ES / AT "
        "and the forecast finish = start + planned duration / SPI(t). SPI drifts back "
        "to 1.00 as any project nears its end, SPI(t) does not: the schedule status "
        "uses SPI(t).",
        f"Schedule status (SPI(t)): green from {s.green_low:.2f} to {s.green_high:.2f}"
        f", amber from {s.amber_low:.2f} to {s.amber_high:.2f}, red beyond. Cost "
        f"status (CPI): green from {c.green_low:.2f} to {c.green_high:.2f}, amber "
        f"from {c.amber_low:.2f} to {c.amber_high:.2f}, red beyond. Grey: no "
        "earned value to measure yet (not started) or none reported (closed).",
        "Scope status. Red if a scope risk has fired or, for agile and hybrid "
        "projects, the last finished sprint delivered less than "
        f"{tolerances.sprint_red_below:.0%} of its commitment. Amber if the charter "
        "lists nothing out of scope (nothing to judge changes against), an open "
        f"scope threat is rated {rules.scope_threat_rating} or worse, or the last "
        f"sprint delivered less than {tolerances.sprint_amber_below:.0%} (the agile "
        "reports' flow tolerances). Green "
        "otherwise.",
        f"Risk status. Ratings come from the {matrix.name} risk matrix on the "
        f"residual score; {high} threats are those in its top band. Red if a risk "
        f"fired in the last {plural(rules.fired_red_weeks, 'week')}, or a {high} "
        "threat has no owner, no response actions or an overdue review. Amber if a "
        f"risk fired in the last {plural(rules.fired_amber_weeks, 'week')}, any "
        f"{high} threat is open, or any open risk is overdue for review. Reviews are "
        f"due every {cadence} days by rating. Opportunities are listed on their own "
        "and never count as threats.",
        "As of the status date. Risks raised after it are left out; risks closed or "
        "fired after it count as open; a review after it had not happened yet (the "
        "register keeps only the latest review, so an earlier one is unknown and not "
        "counted as overdue). For "
        "an earlier status date, task progress recorded after it is rolled back, "
        "assuming even progress over each task's days.",
        "Overall status. The worst of the four.",
        "Milestones. Forecast by scheduling the remaining work from the status date "
        "at its planned durations (critical path method), with finished work at its "
        f"actual dates. Listed when due within "
        f"{plural(rules.milestone_window_weeks, 'week')} or overdue; slip in working "
        f"days, amber up to {rules.milestone_amber_slip_days}, red beyond.",
        "Thresholds. Schedule and cost bands are the RAG rules "
        "(pmo_kit.evm.load_rag_rules), ratings and review cadences the risk matrix "
        "(pmo_kit.risk), the rest the status rules (status_rules.yaml, "
        "pmo_kit.reports.load_status_rules).",
    ]
