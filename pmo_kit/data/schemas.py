"""
Declared schemas of the canonical PMO tables.

Each table that crosses a module boundary is a pandas DataFrame whose columns are
declared here: name, kind, unit, allowed values or range, and whether it may be
empty. :func:`pmo_kit.data.tables.read_table` validates a CSV file against its
schema and :mod:`pmo_kit.data.portfolio` checks the links between tables.
``datasets/README.md`` (the data dictionary) is written from these declarations by
:func:`data_dictionary_markdown`, so the two cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pmo_kit.vocabulary import GATE_DECISIONS, GATE_REQUIREMENTS, GATES

__all__ = [
    "SCHEMAS",
    "Column",
    "ForeignKey",
    "TableSchema",
    "data_dictionary_markdown",
]

Kind = Literal["str", "int", "float", "date", "datetime", "bool"]

_KIND_WORDS: dict[str, str] = {
    "str": "text",
    "int": "whole number",
    "float": "number",
    "date": "date (YYYY-MM-DD)",
    "datetime": "date and time (YYYY-MM-DD HH:MM[:SS])",
    "bool": "true/false",
}


@dataclass(frozen=True, slots=True)
class Column:
    """
    One declared column of a canonical table.

    Parameters
    ----------
    name
        Column header in the CSV file.
    kind
        Value type: ``str``, ``int``, ``float``, ``date``, ``datetime`` or ``bool``.
    description
        What the column holds, in PMO words.
    unit
        Unit of measure, if any (``working days``, ``hours/week``, ...).
    required
        The column must be present in the file.
    nullable
        Cells may be empty.
    allowed
        The only values allowed (for ``str`` columns).
    minimum, maximum
        Inclusive range for numbers.
    pattern
        Regular expression every non-empty ``str`` value must match in full.
    """

    name: str
    kind: Kind
    description: str
    unit: str = ""
    required: bool = True
    nullable: bool = False
    allowed: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    pattern: str | None = None

    def allowed_text(self) -> str:
        """Describe in words what values this column accepts."""
        if self.allowed is not None:
            text = "one of " + ", ".join(repr(a) for a in self.allowed)
        else:
            text = (
                _KIND_WORDS[self.kind] + "s"
                if self.kind in {"int", "float"}
                else (_KIND_WORDS[self.kind])
            )
            if self.minimum is not None and self.maximum is not None:
                text += f" from {_num(self.minimum)} to {_num(self.maximum)}"
            elif self.minimum is not None:
                text += f" >= {_num(self.minimum)}"
            elif self.maximum is not None:
                text += f" <= {_num(self.maximum)}"
            if self.pattern is not None:
                text += f" matching {self.pattern}"
        if self.unit:
            text += f" ({self.unit})"
        if self.nullable:
            text += "; may be empty"
        return text


@dataclass(frozen=True, slots=True)
class ForeignKey:
    """Columns of this table that must match a key of another table."""

    columns: tuple[str, ...]
    table: str
    target_columns: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TableSchema:
    """A canonical table: its file, key, columns and links to other tables."""

    name: str
    description: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    foreign_keys: tuple[ForeignKey, ...] = field(default=())
    optional: bool = False

    @property
    def file_name(self) -> str:
        """Name of the CSV file in a dataset folder."""
        return f"{self.name}.csv"

    @property
    def column_names(self) -> list[str]:
        """Declared column names, in order."""
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        """Return the declared column called ``name``."""
        for c in self.columns:
            if c.name == name:
                return c
        known = ", ".join(self.column_names)
        msg = (
            f"{name!r} is not a column of table {self.name!r}. Known columns: {known}."
        )
        raise KeyError(msg)


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


_PROJECT_ID = r"P-\d{3,}"
_RESOURCE_ID = r"R-\d{3,}"

METHODOLOGIES = ("predictive", "agile", "hybrid")
PHASES = ("initiation", "planning", "execution", "closing", "closed")
LINK_TYPES = ("FS", "SS", "FF", "SF")
RISK_CATEGORIES = (
    "technical",
    "schedule",
    "cost",
    "resource",
    "scope",
    "supplier",
    "regulatory",
    "external",
    "organisational",
)
THREAT_RESPONSES = ("avoid", "mitigate", "transfer", "escalate", "accept")
OPPORTUNITY_RESPONSES = ("exploit", "enhance", "share", "escalate", "accept")
RISK_STATUSES = ("open", "closed", "occurred")
PROXIMITIES = ("imminent", "near", "medium", "far")
WORK_ITEM_TYPES = ("story", "bug", "task", "spike")
WORK_ITEM_STATUSES = ("To Do", "In Progress", "In Review", "Done")

SCHEMAS: dict[str, TableSchema] = {}


def _register(schema: TableSchema) -> None:
    SCHEMAS[schema.name] = schema


_register(
    TableSchema(
        name="projects",
        description="One row per project in the portfolio.",
        key=("project_id",),
        columns=(
            Column("project_id", "str", "Project identifier", pattern=_PROJECT_ID),
            Column("name", "str", "Project name"),
            Column("programme", "str", "Programme the project belongs to"),
            Column("sponsor", "str", "Executive sponsor (person's name)"),
            Column(
                "manager", "str", "Project manager (resource_id)", pattern=_RESOURCE_ID
            ),
            Column("methodology", "str", "Delivery approach", allowed=METHODOLOGIES),
            Column("phase", "str", "Current life-cycle phase", allowed=PHASES),
            Column("start", "date", "Planned (or actual) start date"),
            Column("planned_finish", "date", "Baseline finish date"),
            Column(
                "budget", "float", "Budget at completion (BAC)", unit="EUR", minimum=0
            ),
            Column(
                "strategic_alignment",
                "int",
                "Fit with the organisation's strategy (1 low .. 5 high)",
                minimum=1,
                maximum=5,
            ),
            Column(
                "business_value",
                "int",
                "Expected business value (1 low .. 5 high)",
                minimum=1,
                maximum=5,
            ),
            Column(
                "expected_benefit",
                "float",
                "Expected financial benefit over 3 years",
                unit="EUR",
                minimum=0,
            ),
            Column("status_date", "date", "Date of the latest status update (cut-off)"),
        ),
    )
)

_register(
    TableSchema(
        name="tasks",
        description="Work breakdown: tasks and milestones of every project.",
        key=("project_id", "task_id"),
        columns=(
            Column(
                "project_id", "str", "Project the task belongs to", pattern=_PROJECT_ID
            ),
            Column("task_id", "str", "Task identifier, unique within the project"),
            Column("name", "str", "Task name"),
            Column("wbs", "str", "WBS code (e.g. 1.2.3)", pattern=r"\d+(\.\d+)*"),
            Column(
                "duration",
                "int",
                "Planned duration; 0 = milestone",
                unit="working days",
                minimum=0,
            ),
            Column(
                "optimistic",
                "float",
                "Three-point estimate: optimistic duration",
                unit="working days",
                minimum=0,
                nullable=True,
            ),
            Column(
                "most_likely",
                "float",
                "Three-point estimate: most likely duration",
                unit="working days",
                minimum=0,
                nullable=True,
            ),
            Column(
                "pessimistic",
                "float",
                "Three-point estimate: pessimistic duration",
                unit="working days",
                minimum=0,
                nullable=True,
            ),
            Column("baseline_start", "date", "Baseline start date"),
            Column("baseline_finish", "date", "Baseline finish date"),
            Column(
                "percent_complete",
                "float",
                "Physical % complete at the status date",
                unit="%",
                minimum=0,
                maximum=100,
            ),
            Column("actual_start", "date", "Actual start date", nullable=True),
            Column("actual_finish", "date", "Actual finish date", nullable=True),
            Column(
                "budgeted_cost",
                "float",
                "Budgeted cost of the task (its share of BAC)",
                unit="EUR",
                minimum=0,
            ),
        ),
        foreign_keys=(ForeignKey(("project_id",), "projects", ("project_id",)),),
    )
)

_register(
    TableSchema(
        name="dependencies",
        description="Logical links between tasks of the same project.",
        key=("project_id", "predecessor", "successor"),
        columns=(
            Column("project_id", "str", "Project of both tasks", pattern=_PROJECT_ID),
            Column("predecessor", "str", "task_id of the predecessor"),
            Column("successor", "str", "task_id of the successor"),
            Column(
                "type",
                "str",
                "Link type: finish-to-start, start-to-start, finish-to-finish, "
                "start-to-finish",
                allowed=LINK_TYPES,
            ),
            Column(
                "lag",
                "int",
                "Lag (negative = lead)",
                unit="working days",
            ),
        ),
        foreign_keys=(
            ForeignKey(
                ("project_id", "predecessor"), "tasks", ("project_id", "task_id")
            ),
            ForeignKey(("project_id", "successor"), "tasks", ("project_id", "task_id")),
        ),
    )
)

_register(
    TableSchema(
        name="resources",
        description="People the PMO can assign to project work.",
        key=("resource_id",),
        columns=(
            Column("resource_id", "str", "Person identifier", pattern=_RESOURCE_ID),
            Column("name", "str", "Full name"),
            Column("role", "str", "Job role (e.g. Business Analyst)"),
            Column("skills", "str", "Skills, separated by ';'", nullable=True),
            Column(
                "capacity_hours",
                "float",
                "Hours available for project work per week",
                unit="hours/week",
                minimum=0,
                maximum=60,
            ),
            Column(
                "cost_rate", "float", "Loaded cost per hour", unit="EUR/hour", minimum=0
            ),
            Column(
                "calendar",
                "str",
                "Working calendar",
                allowed=("standard", "part-time", "four-day-week"),
            ),
        ),
    )
)

_register(
    TableSchema(
        name="assignments",
        description="Who works on which task, and with what share of their capacity.",
        key=("project_id", "task_id", "resource_id"),
        columns=(
            Column("project_id", "str", "Project of the task", pattern=_PROJECT_ID),
            Column("task_id", "str", "Task being worked on"),
            Column("resource_id", "str", "Person assigned", pattern=_RESOURCE_ID),
            Column(
                "units",
                "float",
                "Share of the person's capacity while the task runs (1.0 = full time)",
                unit="share",
                minimum=0.05,
                maximum=1.0,
            ),
            Column(
                "hours",
                "float",
                "Planned work on the task",
                unit="hours",
                minimum=0,
                nullable=True,
            ),
        ),
        foreign_keys=(
            ForeignKey(("project_id", "task_id"), "tasks", ("project_id", "task_id")),
            ForeignKey(("resource_id",), "resources", ("resource_id",)),
        ),
    )
)

_register(
    TableSchema(
        name="risks",
        description="Risk register: threats and opportunities of every project.",
        key=("project_id", "risk_id"),
        columns=(
            Column(
                "project_id", "str", "Project the risk belongs to", pattern=_PROJECT_ID
            ),
            Column("risk_id", "str", "Risk identifier", pattern=r"RK-\d{3,}"),
            Column("title", "str", "Short title"),
            Column(
                "type",
                "str",
                "Threat or opportunity",
                allowed=("threat", "opportunity"),
            ),
            Column("cause", "str", "Cause (because of ...)"),
            Column("event", "str", "Uncertain event (... X may happen ...)"),
            Column("effect", "str", "Effect on objectives (... leading to ...)"),
            Column("category", "str", "Risk category", allowed=RISK_CATEGORIES),
            Column(
                "owner",
                "str",
                "Risk owner (resource_id)",
                pattern=_RESOURCE_ID,
                nullable=True,
            ),
            Column(
                "probability",
                "int",
                "Inherent probability (1 rare .. 5 almost certain)",
                minimum=1,
                maximum=5,
            ),
            Column(
                "impact",
                "int",
                "Inherent impact (1 minimal .. 5 severe)",
                minimum=1,
                maximum=5,
            ),
            Column(
                "residual_probability",
                "int",
                "Probability after the response",
                minimum=1,
                maximum=5,
            ),
            Column(
                "residual_impact",
                "int",
                "Impact after the response",
                minimum=1,
                maximum=5,
            ),
            Column(
                "cost_impact_min",
                "float",
                "Cost impact if it occurs: minimum",
                unit="EUR",
                minimum=0,
            ),
            Column(
                "cost_impact_most_likely",
                "float",
                "Cost impact if it occurs: most likely",
                unit="EUR",
                minimum=0,
            ),
            Column(
                "cost_impact_max",
                "float",
                "Cost impact if it occurs: maximum",
                unit="EUR",
                minimum=0,
            ),
            Column(
                "schedule_impact_min",
                "float",
                "Delay if it occurs: minimum",
                unit="working days",
                minimum=0,
            ),
            Column(
                "schedule_impact_max",
                "float",
                "Delay if it occurs: maximum",
                unit="working days",
                minimum=0,
            ),
            Column("proximity", "str", "When it could occur", allowed=PROXIMITIES),
            Column(
                "response_strategy",
                "str",
                "Planned response",
                allowed=tuple(dict.fromkeys(THREAT_RESPONSES + OPPORTUNITY_RESPONSES)),
            ),
            Column(
                "response_actions",
                "str",
                "Actions that carry out the response",
                nullable=True,
            ),
            Column("trigger", "str", "Early warning sign", nullable=True),
            Column(
                "status",
                "str",
                "open, closed, or occurred (the risk fired)",
                allowed=RISK_STATUSES,
            ),
            Column("raised_date", "date", "Date the risk was raised"),
            Column("last_review_date", "date", "Date of the last review"),
            Column("closed_date", "date", "Date closed or occurred", nullable=True),
        ),
        foreign_keys=(
            ForeignKey(("project_id",), "projects", ("project_id",)),
            ForeignKey(("owner",), "resources", ("resource_id",)),
        ),
    )
)

_register(
    TableSchema(
        name="status",
        description="Weekly earned-value status: cumulative PV, EV and AC per project.",
        key=("project_id", "status_date"),
        columns=(
            Column("project_id", "str", "Project reported on", pattern=_PROJECT_ID),
            Column("status_date", "date", "Status (cut-off) date"),
            Column(
                "pv", "float", "Planned value, cumulative (BCWS)", unit="EUR", minimum=0
            ),
            Column(
                "ev", "float", "Earned value, cumulative (BCWP)", unit="EUR", minimum=0
            ),
            Column(
                "ac", "float", "Actual cost, cumulative (ACWP)", unit="EUR", minimum=0
            ),
        ),
        foreign_keys=(ForeignKey(("project_id",), "projects", ("project_id",)),),
    )
)

_register(
    TableSchema(
        name="sprints",
        description="Sprints (iterations) of agile and hybrid projects.",
        key=("project_id", "sprint_id"),
        optional=True,
        columns=(
            Column("project_id", "str", "Project", pattern=_PROJECT_ID),
            Column("sprint_id", "str", "Sprint identifier (e.g. S01)"),
            Column("name", "str", "Sprint name"),
            Column("goal", "str", "Sprint goal", nullable=True),
            Column("start", "date", "First day of the sprint"),
            Column("end", "date", "Last day of the sprint"),
            Column(
                "committed_points",
                "float",
                "Story points committed at planning",
                unit="points",
                minimum=0,
            ),
        ),
        foreign_keys=(ForeignKey(("project_id",), "projects", ("project_id",)),),
    )
)

_register(
    TableSchema(
        name="work_items",
        description="Agile work items (stories, bugs, tasks, spikes).",
        key=("project_id", "key"),
        optional=True,
        columns=(
            Column("project_id", "str", "Project", pattern=_PROJECT_ID),
            Column(
                "key", "str", "Issue key (e.g. ATL-42)", pattern=r"[A-Z][A-Z0-9]*-\d+"
            ),
            Column("type", "str", "Work item type", allowed=WORK_ITEM_TYPES),
            Column("summary", "str", "One-line summary"),
            Column(
                "points",
                "float",
                "Story points",
                unit="points",
                minimum=0,
                nullable=True,
            ),
            Column("status", "str", "Current status", allowed=WORK_ITEM_STATUSES),
            Column("sprint_id", "str", "Sprint it was committed to", nullable=True),
            Column("created", "datetime", "When the item was created"),
            Column("started", "datetime", "When work started", nullable=True),
            Column("resolved", "datetime", "When it was done", nullable=True),
        ),
        foreign_keys=(
            ForeignKey(("project_id",), "projects", ("project_id",)),
            ForeignKey(
                ("project_id", "sprint_id"), "sprints", ("project_id", "sprint_id")
            ),
        ),
    )
)

_register(
    TableSchema(
        name="status_changes",
        description="Status history of work items (one row per transition).",
        key=("project_id", "key", "timestamp"),
        optional=True,
        columns=(
            Column("project_id", "str", "Project", pattern=_PROJECT_ID),
            Column("key", "str", "Issue key"),
            Column("timestamp", "datetime", "When the status changed"),
            Column(
                "from_status",
                "str",
                "Status before (empty when created)",
                allowed=WORK_ITEM_STATUSES,
                nullable=True,
            ),
            Column("to_status", "str", "Status after", allowed=WORK_ITEM_STATUSES),
        ),
        foreign_keys=(
            ForeignKey(("project_id", "key"), "work_items", ("project_id", "key")),
        ),
    )
)

_register(
    TableSchema(
        name="lessons",
        description="Lessons learned: the PMO knowledge base.",
        key=("lesson_id",),
        columns=(
            Column("lesson_id", "str", "Lesson identifier", pattern=r"L-\d{3,}"),
            Column(
                "project_id",
                "str",
                "Project it came from; empty for a lesson from elsewhere (see source)",
                nullable=True,
                pattern=_PROJECT_ID,
            ),
            Column("date", "date", "Date recorded"),
            Column(
                "category",
                "str",
                "Knowledge area",
                allowed=(
                    "scope",
                    "schedule",
                    "cost",
                    "quality",
                    "resources",
                    "communication",
                    "risk",
                    "procurement",
                    "stakeholders",
                    "governance",
                ),
            ),
            Column("event", "str", "What happened"),
            Column("effect", "str", "Effect on the project"),
            Column("cause", "str", "Root cause"),
            Column("recommendation", "str", "What to do next time"),
            Column("tags", "str", "Keywords, separated by ';'", nullable=True),
            Column(
                "phase",
                "str",
                "Life-cycle phase the lesson is about",
                required=False,
                nullable=True,
                allowed=PHASES,
            ),
            Column(
                "methodology",
                "str",
                "Delivery approach the lesson applies to (empty: any)",
                required=False,
                nullable=True,
                allowed=METHODOLOGIES,
            ),
            Column(
                "early_warning",
                "str",
                "Early-warning signs that showed it coming",
                required=False,
                nullable=True,
            ),
            Column(
                "known_risk",
                "str",
                "The risk_id in risks.csv if it was a known risk; empty if not",
                required=False,
                nullable=True,
            ),
            Column(
                "source",
                "str",
                "Where the lesson comes from when not from a project here",
                required=False,
                nullable=True,
            ),
        ),
        foreign_keys=(
            ForeignKey(("project_id",), "projects", ("project_id",)),
            ForeignKey(
                ("project_id", "known_risk"), "risks", ("project_id", "risk_id")
            ),
        ),
    )
)

_register(
    TableSchema(
        name="gates",
        description="Stage-gate reviews: one row per criterion assessed at a gate.",
        key=("project_id", "gate", "criterion"),
        columns=(
            Column("project_id", "str", "Project reviewed", pattern=_PROJECT_ID),
            Column("gate", "str", "Gate", allowed=GATES),
            Column("criterion", "str", "Criterion assessed"),
            Column(
                "requirement",
                "str",
                "must = knock-out; should = scored",
                allowed=GATE_REQUIREMENTS,
            ),
            Column(
                "weight",
                "float",
                "Weight of a should-criterion (0 for must-criteria)",
                minimum=0,
                maximum=1,
            ),
            Column("evidence", "str", "Evidence presented", nullable=True),
            Column(
                "score",
                "int",
                "Assessment: must 0/1 (met), should 0..5",
                minimum=0,
                maximum=5,
                nullable=True,
            ),
            Column("review_date", "date", "Date of the gate review", nullable=True),
            Column(
                "decision",
                "str",
                "Gate decision",
                allowed=GATE_DECISIONS,
                nullable=True,
            ),
        ),
        foreign_keys=(ForeignKey(("project_id",), "projects", ("project_id",)),),
    )
)


def data_dictionary_markdown() -> str:
    """
    Render every schema as the Markdown data dictionary.

    Returns
    -------
    str
        One section per table with its key, links and a column table.
    """
    lines: list[str] = []
    for schema in SCHEMAS.values():
        lines.append(f"### `{schema.file_name}`")
        lines.append("")
        lines.append(schema.description)
        lines.append("")
        lines.append(f"- Key: {', '.join(f'`{k}`' for k in schema.key)} (unique)")
        for fk in schema.foreign_keys:
            cols = ", ".join(f"`{c}`" for c in fk.columns)
            lines.append(f"- {cols} must exist in `{fk.table}.csv`")
        if schema.optional:
            lines.append(
                "- Optional: may be absent or have no rows (predictive-only data)"
            )
        lines.append("")
        lines.append("| column | meaning | allowed values |")
        lines.append("|---|---|---|")
        for c in schema.columns:
            lines.append(f"| `{c.name}` | {c.description} | {c.allowed_text()} |")
        lines.append("")
    return "\n".join(lines)
