"""Skip without scipy; under ``CI=true`` fail instead (as tests/dask_cluster.py)."""

from __future__ import annotations

import importlib
import os

import pytest


def require_scipy() -> None:
    """Skip a test that needs scipy, or fail under CI=true."""
    try:
        importlib.import_module("scipy.optimize")
    except ImportError:
        msg = "needs scipy: pip install 'pmo-kit[selection]' (make test does)"
        if os.environ.get("CI", "").strip().lower() == "true":
            pytest.fail(f"CI=true, refusing to skip: {msg}", pytrace=False)
        pytest.skip(msg)
