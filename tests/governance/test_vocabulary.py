"""One home for the gate vocabulary: every layer reads the same words."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import pmo_kit.governance as governance
from pmo_kit import vocabulary
from pmo_kit.data.schemas import SCHEMAS
from pmo_kit.governance import gates


def test_the_gates_table_allows_the_vocabulary():
    columns = {c.name: c for c in SCHEMAS["gates"].columns}
    assert columns["gate"].allowed == ("G0", "G1", "G2", "G3", "G4", "G5")
    assert columns["gate"].allowed is vocabulary.GATES
    assert columns["requirement"].allowed is vocabulary.GATE_REQUIREMENTS
    assert columns["decision"].allowed == ("go", "hold", "recycle", "kill")
    assert columns["decision"].allowed is vocabulary.GATE_DECISIONS


def test_governance_re_exports_the_same_objects():
    for name in ("GATES", "DECISIONS", "GATE_DECISIONS", "PHASE_GATES"):
        assert getattr(governance, name) is getattr(vocabulary, name), name
    scan = importlib.import_module("pmo_kit.governance.compliance")
    assert scan.PHASE_GATES is vocabulary.PHASE_GATES
    assert gates.DECISIONS == ("Go", "Hold", "Recycle", "Kill")


def test_split_gates_keep_their_public_names():
    # gates.py became a package split by job; the names still import from it
    from pmo_kit.governance.gates.decide import decide_gate
    from pmo_kit.governance.gates.rules import GateRules, load_gate_rules
    from pmo_kit.governance.gates.validate import check_gates

    assert gates.decide_gate is decide_gate is governance.decide_gate
    assert gates.check_gates is check_gates
    assert gates.GateRules is GateRules
    assert gates.load_gate_rules is load_gate_rules
    assert gates.DEFAULT_GATE_RULES_PATH.is_file()


@pytest.mark.parametrize(
    ("text", "expected"),
    [(" recycle ", "Recycle"), ("GO", "Go"), ("Kill", "Kill"), ("proceed", None)],
)
def test_decision_name(text, expected):
    assert vocabulary.decision_name(text) == expected


@pytest.mark.parametrize(
    "module", ["pmo_kit.vocabulary", "pmo_kit.data.schemas", "pmo_kit.governance"]
)
def test_imports_alone_without_a_cycle(module):
    subprocess.run([sys.executable, "-c", f"import {module}"], check=True)
