"""Structural validation of a charter dict (see Charter.from_dict)."""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections.abc import Mapping
from typing import Any

from pmo_kit._errors import ValidationError
from pmo_kit.charter.parts import (
    CHARTER_FIELDS,
    Approval,
    Budget,
    Milestone,
    Objective,
    ProjectManager,
    Sponsor,
    Stakeholder,
)

__all__ = ["charter_fields"]

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ALLOWED_TEXT = "text"
_ALLOWED_LIST = "a list of texts (in YAML, one '- item' line each)"
_ALLOWED_DATE = "a date as YYYY-MM-DD"
_ALLOWED_NUMBER = "a number >= 0"


class _Reader:
    """Turn a parsed YAML mapping into a Charter's fields, collecting every problem."""

    def __init__(self, data: Any, source: str | None) -> None:
        self.data = data
        pid = data.get("project_id") if isinstance(data, Mapping) else None
        self.where = source or (f"charter {pid}" if isinstance(pid, str) else "charter")
        self.problems: list[str] = []

    # -- reporting
    def problem(self, path: str, value: Any, what: str, allowed: str) -> None:
        shown = value.isoformat() if isinstance(value, dt.date) else value
        self.problems.append(
            f"{self.where}, field '{path}': {shown!r} {what}. Allowed: {allowed}"
        )

    def missing(self, path: str, allowed: str) -> None:
        self.problems.append(
            f"{self.where}, field '{path}': required but missing. Allowed: {allowed}"
        )

    # -- the whole document
    def charter(self) -> dict[str, Any]:
        data = self.data
        if not isinstance(data, Mapping):
            shown = "an empty file" if data is None else type(data).__name__
            msg = (
                f"{self.where}: expected a charter (a YAML mapping of 'key: value' "
                f"lines with at least project_id and title), got {shown}"
            )
            raise ValidationError(msg)
        self.unknown_keys(data, "", CHARTER_FIELDS)
        project_id = self.text(data, "project_id", required=True)
        title = self.text(data, "title", required=True)
        fields = {
            "project_id": project_id or "",
            "title": title or "",
            "purpose": self.text(data, "purpose"),
            "objectives": self.items(data, "objectives", self.objective),
            "requirements": self.texts(data, "requirements"),
            "scope_in": self.texts(data, "scope_in"),
            "scope_out": self.texts(data, "scope_out"),
            "milestones": self.items(data, "milestones", self.milestone),
            "budget": self.mapping(data, "budget", self.budget),
            "stakeholders": self.items(data, "stakeholders", self.stakeholder),
            "sponsor": self.mapping(data, "sponsor", self.sponsor),
            "manager": self.mapping(data, "manager", self.manager),
            "assumptions": self.texts(data, "assumptions"),
            "constraints": self.texts(data, "constraints"),
            "risks": self.texts(data, "risks"),
            "approval": self.mapping(data, "approval", self.approval),
            "start": self.date(data, "start"),
            "planned_finish": self.date(data, "planned_finish"),
            "source": self.where,
        }
        if self.problems:
            raise ValidationError.from_problems(self.problems)
        return fields

    def unknown_keys(
        self, data: Mapping[Any, Any], prefix: str, allowed: tuple[str, ...]
    ) -> None:
        for key in data:
            if key in allowed:
                continue
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            self.problems.append(
                f"{self.where}, field '{prefix}{key}': unknown field{hint}. "
                f"Allowed: {', '.join(allowed)}"
            )

    # -- leaves
    def text(
        self,
        data: Mapping[str, Any],
        key: str,
        *,
        prefix: str = "",
        required: bool = False,
    ) -> str | None:
        return self.text_value(data.get(key), f"{prefix}{key}", required=required)

    def text_value(
        self, value: Any, path: str, *, required: bool = False
    ) -> str | None:
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)  # an unquoted number, e.g. `target: 0`
        elif isinstance(value, dt.date):
            value = value.isoformat()
        if value is not None and not isinstance(value, str):
            self.problem(path, value, "is not text", _ALLOWED_TEXT)
            return None
        text = value.strip() if value is not None else ""
        if not text:
            if required:
                self.missing(path, f"non-empty {_ALLOWED_TEXT}")
            return None
        return text

    def texts(self, data: Mapping[str, Any], key: str) -> tuple[str, ...]:
        value = data.get(key)
        if value is None:
            return ()
        if not isinstance(value, list | tuple):
            self.problem(key, value, "is not a list", _ALLOWED_LIST)
            return ()
        out = [self.text_value(item, f"{key}[{i}]") for i, item in enumerate(value)]
        return tuple(text for text in out if text is not None)

    def date(
        self,
        data: Mapping[str, Any],
        key: str,
        *,
        prefix: str = "",
        required: bool = False,
    ) -> dt.date | None:
        path = f"{prefix}{key}"
        value = data.get(key)
        if value is None or value == "":
            if required:
                self.missing(path, _ALLOWED_DATE)
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str) and _ISO_DATE.match(value.strip()):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                self.problem(
                    path, value, "is not a date in the calendar", _ALLOWED_DATE
                )
                return None
        self.problem(path, value, "is not a date", _ALLOWED_DATE)
        return None

    def number(
        self,
        data: Mapping[str, Any],
        key: str,
        *,
        prefix: str = "",
        required: bool = False,
    ) -> float | None:
        path = f"{prefix}{key}"
        value = data.get(key)
        if value is None:
            if required:
                self.missing(path, _ALLOWED_NUMBER)
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(path, value, "is not a number", _ALLOWED_NUMBER)
            return None
        number = float(value)
        if not math.isfinite(number) or number < 0:
            self.problem(path, value, "is out of range", _ALLOWED_NUMBER)
            return None
        return number

    # -- containers
    def items(self, data: Mapping[str, Any], key: str, build: Any) -> tuple[Any, ...]:
        value = data.get(key)
        if value is None:
            return ()
        if not isinstance(value, list | tuple):
            self.problem(key, value, "is not a list", f"a list of {key}")
            return ()
        out = []
        for i, item in enumerate(value):
            path = f"{key}[{i}]"
            if not isinstance(item, Mapping):
                self.problem(path, item, "is not a mapping", "'key: value' lines")
                continue
            built = build(item, f"{path}.")
            if built is not None:
                out.append(built)
        return tuple(out)

    def mapping(self, data: Mapping[str, Any], key: str, build: Any) -> Any:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, Mapping):
            self.problem(key, value, "is not a mapping", "'key: value' lines")
            return None
        return build(value, f"{key}.")

    def _keys(
        self, item: Mapping[str, Any], prefix: str, allowed: tuple[str, ...]
    ) -> int:
        before = len(self.problems)
        self.unknown_keys(item, prefix, allowed)
        return before

    def objective(self, item: Mapping[str, Any], prefix: str) -> Objective | None:
        before = self._keys(item, prefix, ("description", "metric", "target", "due"))
        description = self.text(item, "description", prefix=prefix, required=True)
        metric = self.text(item, "metric", prefix=prefix)
        target = self.text(item, "target", prefix=prefix)
        due = self.date(item, "due", prefix=prefix)
        if len(self.problems) > before or description is None:
            return None
        return Objective(description, metric, target, due)

    def milestone(self, item: Mapping[str, Any], prefix: str) -> Milestone | None:
        before = self._keys(item, prefix, ("name", "date"))
        name = self.text(item, "name", prefix=prefix, required=True)
        day = self.date(item, "date", prefix=prefix, required=True)
        if len(self.problems) > before or name is None or day is None:
            return None
        return Milestone(name, day)

    def budget(self, item: Mapping[str, Any], prefix: str) -> Budget | None:
        before = self._keys(item, prefix, ("amount", "currency", "contingency"))
        amount = self.number(item, "amount", prefix=prefix, required=True)
        currency = self.text(item, "currency", prefix=prefix) or "EUR"
        contingency = self.number(item, "contingency", prefix=prefix)
        if len(self.problems) > before or amount is None:
            return None
        return Budget(amount, currency, contingency)

    def stakeholder(self, item: Mapping[str, Any], prefix: str) -> Stakeholder | None:
        before = self._keys(item, prefix, ("name", "role", "interest"))
        name = self.text(item, "name", prefix=prefix, required=True)
        role = self.text(item, "role", prefix=prefix)
        interest = self.text(item, "interest", prefix=prefix)
        if len(self.problems) > before or name is None:
            return None
        return Stakeholder(name, role, interest)

    def sponsor(self, item: Mapping[str, Any], prefix: str) -> Sponsor | None:
        before = self._keys(item, prefix, ("name", "authority"))
        name = self.text(item, "name", prefix=prefix, required=True)
        authority = self.text(item, "authority", prefix=prefix)
        if len(self.problems) > before or name is None:
            return None
        return Sponsor(name, authority)

    def manager(self, item: Mapping[str, Any], prefix: str) -> ProjectManager | None:
        before = self._keys(item, prefix, ("resource_id", "name", "authority"))
        name = self.text(item, "name", prefix=prefix, required=True)
        authority = self.text(item, "authority", prefix=prefix)
        resource_id = self.text(item, "resource_id", prefix=prefix)
        if len(self.problems) > before or name is None:
            return None
        return ProjectManager(name, authority, resource_id)

    def approval(self, item: Mapping[str, Any], prefix: str) -> Approval | None:
        before = self._keys(item, prefix, ("approved_by", "date"))
        approved_by = self.text(item, "approved_by", prefix=prefix, required=True)
        day = self.date(item, "date", prefix=prefix, required=True)
        if len(self.problems) > before or approved_by is None or day is None:
            return None
        return Approval(approved_by, day)


def charter_fields(data: Any, source: str | None) -> dict[str, Any]:
    """Return a Charter's fields from parsed YAML, or raise every problem at once."""
    return _Reader(data, source).charter()
