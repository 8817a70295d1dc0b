"""Resource planning: capacity vs demand, over-allocation and levelling."""

from __future__ import annotations

from pmo_kit.resources.capacity import CapacityPlan, capacity_plan, utilisation_table
from pmo_kit.resources.levelling import (
    LevellingInputs,
    level,
    levelling_inputs,
    resource_usage,
)
from pmo_kit.resources.outlook import RoleOutlook, find_available, role_outlook
from pmo_kit.resources.overallocation import overallocations, skills_gaps
from pmo_kit.resources.whatif import WhatIf, plan_measures, what_if

__all__: list[str] = [
    "CapacityPlan",
    "LevellingInputs",
    "RoleOutlook",
    "WhatIf",
    "capacity_plan",
    "find_available",
    "level",
    "levelling_inputs",
    "overallocations",
    "plan_measures",
    "resource_usage",
    "role_outlook",
    "skills_gaps",
    "utilisation_table",
    "what_if",
]
