"""
The PMO's standards as data: rules read from a YAML file the PMO can edit.

A standard says what every project must be able to show (an approved charter, a
risk register reviewed in the last 30 days, ...). Each rule in the file names one
of the built-in *checks* (:data:`CHECKS`), a severity, the phases and
methodologies it applies to and the check's parameters. ``standards.yaml`` in this
package is the default; :func:`load_standards` reads and validates any other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pmo_kit._errors import ValidationError
from pmo_kit.data.schemas import METHODOLOGIES, PHASES
from pmo_kit.data.tables import read_settings

if TYPE_CHECKING:
    import os

__all__ = [
    "CHECKS",
    "DEFAULT_STANDARDS_PATH",
    "SEVERITIES",
    "CheckSpec",
    "Parameter",
    "Standard",
    "Standards",
    "load_standards",
]

#: Severities of a finding, most serious first (as for charter findings).
SEVERITIES = ("error", "warning", "advice")
#: The standards shipped with pmo-kit.
DEFAULT_STANDARDS_PATH = Path(__file__).with_name("standards.yaml")

_RULE_KEYS = (
    "id",
    "check",
    "description",
    "severity",
    "phases",
    "methodologies",
    "parameters",
)


@dataclass(frozen=True, slots=True)
class Parameter:
    """
    One setting of a check: its kind, default and what is allowed.

    ``kind`` is ``int`` (whole number in ``[minimum, maximum]``), ``choice`` (one
    of ``choices``), ``codes`` (a list of text), ``text`` (non-empty text) or
    ``path`` (a file, may be empty).
    """

    kind: str
    default: Any
    help: str
    minimum: int = 0
    maximum: int = 3650
    choices: tuple[str, ...] = ()

    def allowed(self) -> str:
        """Say in words what values are allowed."""
        if self.kind == "int":
            return f"a whole number from {self.minimum} to {self.maximum}"
        if self.kind == "choice":
            return "one of " + ", ".join(self.choices)
        if self.kind == "codes":
            return "a list of finding codes, e.g. [not-approved]"
        if self.kind == "text":
            return "a non-empty text"
        return "a file path, or empty"


@dataclass(frozen=True, slots=True)
class CheckSpec:
    """A built-in compliance check: what it verifies and its parameters."""

    name: str
    summary: str
    parameters: Mapping[str, Parameter] = field(default_factory=dict)


def _spec(name: str, summary: str, **parameters: Parameter) -> CheckSpec:
    return CheckSpec(name, summary, parameters)


#: Every check a standards file may use, by name.
CHECKS: dict[str, CheckSpec] = {
    spec.name: spec
    for spec in (
        _spec(
            "charter-approved",
            "The project has a readable charter that records who approved it, when.",
        ),
        _spec(
            "charter-findings",
            "The charter review (Charter.check) raises nothing at or above a severity.",
            min_severity=Parameter(
                "choice", "error", "lowest severity that counts", choices=SEVERITIES
            ),
            ignore=Parameter("codes", (), "finding codes not to report"),
        ),
        _spec(
            "risk-review",
            "Every open risk was reviewed within its review cadence: the register's "
            "cadence per residual rating (the matrix's review_days), or "
            "max_age_days for every risk when given.",
            max_age_days=Parameter(
                "int",
                None,
                "days since the last review, for every risk (default: the "
                "matrix's cadence per rating)",
                1,
                3650,
            ),
            matrix=Parameter(
                "choice", "ordinal", "risk matrix", choices=("ordinal", "pmbok")
            ),
        ),
        _spec(
            "high-risk-response",
            "No open risk rated `rating` or above lacks an owner, strategy or actions.",
            rating=Parameter(
                "choice", "high", "rating band", choices=("high", "medium")
            ),
            basis=Parameter(
                "choice",
                "inherent",
                "before or after the response",
                choices=("inherent", "residual"),
            ),
            matrix=Parameter(
                "choice", "ordinal", "risk matrix", choices=("ordinal", "pmbok")
            ),
        ),
        _spec(
            "risk-register",
            "The project has at least min_open_risks open risks in the register.",
            min_open_risks=Parameter("int", 1, "open risks at least", 0, 1000),
        ),
        _spec(
            "status-update",
            "The latest earned-value status is at most max_age_days days old.",
            max_age_days=Parameter("int", 14, "days since the last status", 1, 3650),
        ),
        _spec(
            "gate-recorded",
            "The gate that opens the current phase has a recorded Go decision.",
        ),
        _spec(
            "charter-signed-at-gate",
            "A gate that scored the charter as signed matches the charter's approval.",
            criterion=Parameter(
                "text", "Project charter signed", "the gate criterion to cross-check"
            ),
        ),
        _spec(
            "gate-decision-rule",
            "Every recorded gate decision is the one the gate decision rule gives.",
            rules=Parameter("path", "", "gate rules YAML; empty for the default"),
        ),
        _spec(
            "lessons-recorded",
            "The project has recorded at least min_lessons lessons learned.",
            min_lessons=Parameter("int", 1, "lessons at least", 1, 1000),
        ),
    )
}


@dataclass(frozen=True, slots=True)
class Standard:
    """
    One rule of the PMO's standards.

    Examples
    --------
    >>> rule = Standard("risk-review", "Risks reviewed monthly", "warning")
    >>> rule.check, rule.applies_to("execution", "agile")
    ('risk-review', True)
    """

    id: str
    description: str
    severity: str
    check: str = ""
    phases: tuple[str, ...] = PHASES
    methodologies: tuple[str, ...] = METHODOLOGIES
    parameters: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.check:
            object.__setattr__(self, "check", self.id)

    def applies_to(self, phase: str, methodology: str) -> bool:
        """Return True when the rule covers a project in this phase and methodology."""
        return phase in self.phases and methodology in self.methodologies

    def parameter(self, name: str) -> Any:
        """Return the rule's value of a parameter, or the check's default."""
        if name in self.parameters:
            return self.parameters[name]
        return CHECKS[self.check].parameters[name].default


@dataclass(frozen=True)
class Standards:
    """The PMO's rules, in the order of the file, and where they came from."""

    rules: tuple[Standard, ...]
    source: str = "the default standards"

    def __iter__(self) -> Any:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    @property
    def ids(self) -> list[str]:
        """Rule ids in file order."""
        return [r.id for r in self.rules]

    def rule(self, rule_id: str) -> Standard:
        """Return the rule called ``rule_id``."""
        for r in self.rules:
            if r.id == rule_id:
                return r
        msg = (
            f"{rule_id!r} is not a rule of {self.source}. Rules: {', '.join(self.ids)}"
        )
        raise ValidationError(msg)


# ------------------------------------------------------------------------ loading


def load_standards(
    source: str | os.PathLike[str] | Mapping[str, Any] | None = None,
) -> Standards:
    """
    Read and validate the PMO's standards (default: the file shipped with pmo-kit).

    Parameters
    ----------
    source
        A YAML file path, an already parsed mapping (``{"standards": [...]}``) or
        None for :data:`DEFAULT_STANDARDS_PATH`. A relative ``rules`` path of the
        ``gate-decision-rule`` check is read next to the standards file.

    Returns
    -------
    Standards
        The rules, with every parameter checked against its check.

    Raises
    ------
    ValidationError
        The file is missing or not YAML, or a rule has an unknown or missing field,
        an unknown check, severity, phase or methodology, a duplicate id, or a bad
        parameter. Every problem is listed; each names the file, the rule and the
        field, e.g. ``standards.yaml, rule 'risk-review', field
        'parameters.max_age_days': -5 is not allowed. Allowed: a whole number from
        1 to 3650``.

    Examples
    --------
    >>> rules = load_standards()
    >>> "charter-approved" in rules.ids
    True
    >>> load_standards({"standards": [{"id": "charter-signed", "severity": "error"}]})
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pmo_kit._errors.ValidationError: the standards, rule 'charter-signed', field \
'check': 'charter-signed' is not a known check. Allowed: charter-approved, ...
    """
    if source is None:
        source = DEFAULT_STANDARDS_PATH
    folder: Path | None = None
    data, where = read_settings(source, what="standards")
    if not isinstance(source, Mapping):
        where = str(Path(source))  # messages start with the file, like a table's
        folder = Path(source).parent
    if not isinstance(data, Mapping) or not isinstance(data.get("standards"), list):
        msg = (
            f"{where}: expected a mapping with a list under `standards:` (one item "
            f"per rule); got {type(data).__name__}"
        )
        raise ValidationError(msg)
    extra = [k for k in data if k != "standards"]
    problems: list[str] = [
        f"{where}, field {k!r}: unknown top-level key. Allowed: standards"
        for k in extra
    ]
    rules: list[Standard] = []
    seen: set[str] = set()
    for index, item in enumerate(data["standards"]):
        rule, found = _rule(item, index, where, folder)
        problems += found
        if rule is not None:
            if rule.id in seen:
                problems.append(
                    f"{where}, rule {rule.id!r}, field 'id': the id is used twice. "
                    "Allowed: a unique id per rule"
                )
            seen.add(rule.id)
            rules.append(rule)
    if problems:
        raise ValidationError.from_problems(problems)
    if not rules:
        msg = f"{where}: `standards:` lists no rules. Allowed: one or more rules"
        raise ValidationError(msg)
    return Standards(tuple(rules), where)


def _rule(
    item: object, index: int, where: str, folder: Path | None
) -> tuple[Standard | None, list[str]]:
    if not isinstance(item, Mapping):
        return None, [
            f"{where}, rule {index + 1}: {item!r} is not a rule. Allowed: a mapping "
            "with id, description, severity, ..."
        ]
    rule_id = item.get("id")
    if not isinstance(rule_id, str) or not rule_id.strip():
        return None, [
            f"{where}, rule {index + 1}, field 'id': {rule_id!r} is missing or not "
            "text. Allowed: a short name such as 'risk-review'"
        ]
    name = f"{where}, rule {rule_id!r}"
    problems: list[str] = [
        f"{name}, field {k!r}: unknown field. Allowed: {', '.join(_RULE_KEYS)}"
        for k in item
        if k not in _RULE_KEYS
    ]
    check = item.get("check", rule_id)
    if check not in CHECKS:
        problems.append(
            f"{name}, field 'check': {check!r} is not a known check. Allowed: "
            f"{', '.join(CHECKS)}"
        )
        return None, problems
    description = item.get("description", CHECKS[check].summary)
    if not isinstance(description, str):
        problems.append(f"{name}, field 'description': {description!r} is not text")
    severity = item.get("severity")
    if severity not in SEVERITIES:
        problems.append(
            f"{name}, field 'severity': {severity!r} is not allowed. Allowed: "
            f"{', '.join(SEVERITIES)}"
        )
    phases = _names(item, "phases", PHASES, name, problems)
    methods = _names(item, "methodologies", METHODOLOGIES, name, problems)
    params = _parameters(item.get("parameters"), CHECKS[check], name, folder, problems)
    if problems:
        return None, problems
    return (
        Standard(
            id=rule_id,
            description=str(description),
            severity=str(severity),
            check=str(check),
            phases=phases,
            methodologies=methods,
            parameters=params,
        ),
        [],
    )


def _names(
    item: Mapping[str, Any],
    key: str,
    allowed: tuple[str, ...],
    name: str,
    problems: list[str],
) -> tuple[str, ...]:
    if key not in item:
        return allowed
    value = item[key]
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        problems.append(
            f"{name}, field {key!r}: {value!r} is not allowed. Allowed: a list of "
            f"{', '.join(allowed)}"
        )
        return allowed
    bad = [v for v in value if v not in allowed]
    if bad:
        problems.append(
            f"{name}, field {key!r}: {bad[0]!r} is not allowed. Allowed: "
            f"{', '.join(allowed)}"
        )
    return tuple(v for v in value if v in allowed)


def _parameters(
    value: object,
    spec: CheckSpec,
    name: str,
    folder: Path | None,
    problems: list[str],
) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        problems.append(
            f"{name}, field 'parameters': {value!r} is not a mapping. Allowed: "
            "name: value pairs"
        )
        return {}
    out: dict[str, Any] = {}
    for key, raw in value.items():
        field_name = f"{name}, field 'parameters.{key}'"
        if key not in spec.parameters:
            known = ", ".join(spec.parameters) or "none"
            problems.append(
                f"{field_name}: check {spec.name!r} has no parameter {key!r}. "
                f"Allowed: {known}"
            )
            continue
        param = spec.parameters[key]
        checked = _parameter(raw, param, folder)
        if param.kind == "codes" and checked is not None:
            unknown = [c for c in checked if c not in _finding_codes()]
            if unknown:
                problems.append(
                    f"{field_name}: {unknown[0]!r} is not a charter finding code. "
                    f"Allowed: {', '.join(_finding_codes())}"
                )
                continue
        if param.kind == "path" and checked and not Path(checked).is_file():
            problems.append(
                f"{field_name}: the file {checked!r} does not exist. Allowed: "
                f"{param.allowed()}"
            )
            continue
        if checked is None:
            problems.append(
                f"{field_name}: {raw!r} is not allowed. Allowed: {param.allowed()}"
            )
        else:
            out[key] = checked
    return out


def _finding_codes() -> tuple[str, ...]:
    from pmo_kit.charter.review import FINDING_CODES

    return tuple(FINDING_CODES)


def _parameter(raw: object, param: Parameter, folder: Path | None) -> Any:
    """Return the checked value, or None when it is not allowed."""
    if param.kind == "int":
        ok = isinstance(raw, int) and not isinstance(raw, bool)
        return raw if ok and param.minimum <= raw <= param.maximum else None  # type: ignore[operator]
    if param.kind == "choice":
        return raw if raw in param.choices else None
    if param.kind == "codes":
        if raw is None:
            return ()
        if isinstance(raw, list) and all(isinstance(v, str) for v in raw):
            return tuple(raw)
        return None
    if param.kind == "text":
        return raw.strip() if isinstance(raw, str) and raw.strip() else None
    if raw is None or raw == "":
        return ""
    if not isinstance(raw, str):
        return None
    path = Path(raw)
    if not path.is_absolute() and folder is not None:
        path = folder / path
    return str(path)
