"""
Work-breakdown templates: the phases and candidate tasks of each kind of project.

Every project has the same life cycle: phase 1 initiation, phase 2 planning, three
execution phases that depend on the domain, and a closing phase. Each phase ends
with a milestone; the gate milestones carry the gate name (G1 .. G4).
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["PhaseTemplate", "TaskTemplate", "phase_templates"]

PM = "Project Manager"
BA = "Business Analyst"
DEV = "Developer"
TEST = "Tester"
ARCH = "Solution Architect"
DE = "Data Engineer"
SEC = "Security Specialist"
SM = "Scrum Master"
PO = "Product Owner"
CHG = "Change Manager"
PROC = "Process Engineer"
COMP = "Compliance Officer"
UX = "UX Designer"
PMO = "PMO Analyst"


class TaskTemplate(NamedTuple):
    """A candidate task: name, roles, duration range, crew size and external spend."""

    name: str
    role: str
    fallback: str
    dmin: int
    dmax: int
    crew: float = 1.0
    spend: tuple[int, int] = (0, 0)


class PhaseTemplate(NamedTuple):
    """A WBS phase: how many tasks to pick from the candidates, and its milestone."""

    title: str
    pick: tuple[int, int]
    tasks: tuple[TaskTemplate, ...]
    milestone: str


T = TaskTemplate

INITIATION = PhaseTemplate(
    "Initiation",
    (3, 4),
    (
        T("Prepare business case", PM, BA, 5, 10),
        T("Draft project charter", PM, PM, 3, 6),
        T("Identify stakeholders and map their interests", BA, PM, 2, 5),
        T("Initial risk and assumption log", PM, PMO, 2, 4),
        T("Confirm funding with finance", PM, PMO, 2, 4),
    ),
    "Charter approved (G1)",
)

PLANNING = PhaseTemplate(
    "Planning",
    (4, 5),
    (
        T("Define scope statement and WBS", PM, BA, 3, 6),
        T("Elicit and prioritise requirements", BA, PO, 8, 15, 2.0),
        T("Build schedule and resource plan", PM, PMO, 4, 8),
        T("Agree procurement strategy with {vendor}", PM, PM, 3, 6),
        T("Write communication and change plan", CHG, PM, 3, 5),
        T("Set up RAID log and reporting", PMO, PM, 2, 4),
    ),
    "Project plan baselined (G2)",
)

CLOSING = PhaseTemplate(
    "Closing",
    (3, 4),
    (
        T("Hand over to business-as-usual support", PM, BA, 3, 6),
        T("Close contracts and purchase orders with {vendor}", PM, PMO, 2, 5),
        T("Run lessons-learned workshop", PMO, PM, 1, 3),
        T("Financial close-out and benefits handover", PM, PMO, 2, 4),
        T("Archive project records", PMO, PM, 1, 3),
    ),
    "Project complete",
)

_IT = (
    PhaseTemplate(
        "Design",
        (4, 5),
        (
            T("Solution architecture for {system}", ARCH, ARCH, 8, 15),
            T("Functional design workshops", BA, BA, 8, 15, 2.0),
            T("Integration design", ARCH, DEV, 5, 10),
            T("Data migration strategy", DE, ARCH, 5, 10),
            T("Security and access concept", SEC, ARCH, 4, 8),
            T(
                "Infrastructure sizing and licences",
                ARCH,
                ARCH,
                3,
                6,
                1.0,
                (40_000, 120_000),
            ),
        ),
        "Design approved (G3)",
    ),
    PhaseTemplate(
        "Build",
        (5, 6),
        (
            T("Configure core modules of {system}", DEV, DEV, 15, 25, 3.0),
            T("Develop interfaces to legacy systems", DEV, DEV, 15, 25, 2.0),
            T("Build data migration pipelines", DE, DEV, 10, 20),
            T("Develop management reports", DEV, DEV, 8, 15),
            T(
                "Set up test and production environments",
                ARCH,
                DEV,
                5,
                10,
                1.0,
                (20_000, 60_000),
            ),
            T("Implement role-based access", SEC, DEV, 5, 10),
            T("Cleanse master data", DE, BA, 10, 15, 2.0),
        ),
        "Build complete",
    ),
    PhaseTemplate(
        "Test and deploy",
        (4, 5),
        (
            T("System integration testing", TEST, TEST, 10, 15, 2.0),
            T("User acceptance testing", BA, TEST, 10, 15, 3.0),
            T("Performance and load testing", TEST, TEST, 5, 8),
            T("Mock data migration and reconciliation", DE, DEV, 5, 10),
            T("Penetration test", SEC, SEC, 3, 6, 1.0, (15_000, 30_000)),
            T("End-user training", CHG, BA, 5, 10),
            T("Cutover plan and dress rehearsal", PM, ARCH, 3, 6),
        ),
        "Ready for go-live (G4)",
    ),
)

_OPS = (
    PhaseTemplate(
        "Design",
        (4, 5),
        (
            T("Site survey and current-state process mapping", PROC, BA, 5, 10),
            T("Future-state process design", PROC, BA, 8, 12),
            T("Vendor tender and selection", PM, PROC, 10, 20),
            T("Health and safety assessment", PROC, COMP, 3, 6),
            T("Layout and capacity design at {site}", PROC, ARCH, 5, 10),
            T("Integration requirements for the {system}", BA, ARCH, 5, 8),
        ),
        "Design approved (G3)",
    ),
    PhaseTemplate(
        "Procure and install",
        (4, 6),
        (
            T("Order {equipment}", PM, PROC, 2, 4, 1.0, (250_000, 700_000)),
            T("Install {equipment}", PROC, PROC, 15, 30, 4.0, (60_000, 180_000)),
            T("Integrate equipment controls with the {system}", DEV, DEV, 10, 20, 2.0),
            T("Configure monitoring dashboards", DE, DEV, 5, 10),
            T("Update standard operating procedures", PROC, BA, 5, 10),
            T("Plan operator training", CHG, PROC, 3, 6),
        ),
        "Installation complete",
    ),
    PhaseTemplate(
        "Commission",
        (4, 5),
        (
            T("Factory acceptance test", TEST, PROC, 3, 5, 2.0),
            T("Site acceptance test", TEST, PROC, 5, 10, 2.0),
            T("Operator training", CHG, PROC, 5, 10, 2.0),
            T("Pilot run on one shift", PROC, PROC, 5, 10),
            T("Safety sign-off", COMP, PROC, 2, 4),
            T("Ramp-up to full volume", PROC, PROC, 10, 15),
        ),
        "Ready for handover (G4)",
    ),
)

_REG = (
    PhaseTemplate(
        "Assess",
        (4, 5),
        (
            T("Gap analysis against {regulation}", COMP, BA, 8, 15),
            T("Data inventory and record of processing", DE, BA, 10, 15),
            T(
                "Legal interpretation with external counsel",
                COMP,
                COMP,
                5,
                10,
                1.0,
                (20_000, 60_000),
            ),
            T("Control framework mapping", COMP, SEC, 5, 10),
            T("Risk assessment of processing activities", SEC, COMP, 5, 8),
        ),
        "Gap assessment approved (G3)",
    ),
    PhaseTemplate(
        "Remediate",
        (5, 6),
        (
            T("Implement retention and deletion rules", DE, DEV, 10, 20, 2.0),
            T("Harden access controls", SEC, DEV, 8, 15),
            T("Update policies and procedures", COMP, BA, 8, 12),
            T("Automate evidence collection", DE, DEV, 8, 15),
            T("Build request-tracking workflow", DEV, DEV, 10, 15),
            T("Staff awareness training", CHG, COMP, 5, 10),
        ),
        "Controls implemented",
    ),
    PhaseTemplate(
        "Audit",
        (4, 5),
        (
            T("Internal audit of controls", COMP, COMP, 5, 10),
            T("Remediate audit findings", SEC, COMP, 5, 10),
            T("Compile evidence pack", COMP, PMO, 3, 6),
            T("External audit by {vendor}", COMP, COMP, 3, 5, 1.0, (15_000, 40_000)),
            T("Management review of the control framework", PM, COMP, 1, 3),
        ),
        "Audit ready (G4)",
    ),
)

_PRODUCT = (
    PhaseTemplate(
        "Discovery",
        (4, 5),
        (
            T("User research and interviews", UX, BA, 5, 10),
            T("Customer journey mapping", UX, BA, 5, 8),
            T(
                "Clickable prototype and usability test",
                UX,
                UX,
                8,
                12,
                1.0,
                (10_000, 25_000),
            ),
            T("Architecture runway and CI/CD pipeline", ARCH, DEV, 5, 10),
            T("Backlog creation and release planning", PO, BA, 3, 6),
            T("Sprint 0: team set-up and definition of done", SM, PM, 3, 5),
        ),
        "MVP scope agreed (G3)",
    ),
    PhaseTemplate(
        "Release 1",
        (5, 6),
        (
            T("Feature: {f0}", DEV, DEV, 10, 20, 2.0),
            T("Feature: {f1}", DEV, DEV, 10, 20, 2.0),
            T("Feature: {f2}", DEV, DEV, 10, 15, 2.0),
            T("Feature: {f3}", DEV, DEV, 5, 10),
            T("Accessibility review (WCAG 2.2)", UX, TEST, 3, 5),
            T("Regression test automation", TEST, DEV, 10, 15),
            T("Release 1 hardening and launch", TEST, DEV, 3, 6),
        ),
        "Release 1 live",
    ),
    PhaseTemplate(
        "Release 2",
        (4, 5),
        (
            T("Feature: {f4}", DEV, DEV, 10, 15, 2.0),
            T("Feature: {f5}", DEV, DEV, 10, 15, 2.0),
            T("Usage analytics and A/B testing", DE, DEV, 8, 12),
            T("Performance tuning", DEV, DEV, 5, 8),
            T("Production release of release 2", DEV, TEST, 2, 4),
            T("Customer onboarding campaign", CHG, PO, 5, 10),
        ),
        "Release 2 live (G4)",
    ),
)

_EXECUTION = {"it": _IT, "ops": _OPS, "reg": _REG, "product": _PRODUCT}


def phase_templates(domain: str) -> tuple[PhaseTemplate, ...]:
    """Return the six phases of a project of ``domain`` (it, ops, reg, product)."""
    return (INITIATION, PLANNING, *_EXECUTION[domain], CLOSING)
