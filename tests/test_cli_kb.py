"""``pmo-kit kb``: search, add, recommend on a database; one-line errors."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from pmo_kit import load_portfolio
from pmo_kit.cli_kb import DEFAULT_DB_FILE, kb_group
from pmo_kit.data.portfolio import save_portfolio

ROOT = Path(__file__).resolve().parents[1]
LESSON = {
    "lesson_id": "L-900",
    "project_id": "P-010",
    "date": "2026-07-10",
    "category": "procurement",
    "event": "The sensor supplier shipped the gateways five weeks late",
    "effect": "The pilot start moved by a month",
    "cause": "The contract had no delivery milestones",
    "recommendation": "Put dated delivery milestones with penalties in contracts",
    "tags": "supplier;gateways",
}


def _run(*args: str) -> Result:
    return CliRunner().invoke(kb_group, list(args), catch_exceptions=False)


@pytest.fixture
def db(tmp_path: Path) -> tuple[str, Path]:
    file = tmp_path / "kb.db"
    save_portfolio(load_portfolio(), f"sqlite:///{file}")
    return f"sqlite:///{file}", file


def _ids(file: Path) -> set[str]:
    with sqlite3.connect(file) as conn:
        return {r[0] for r in conn.execute("SELECT lesson_id FROM lessons")}


def _one_line_error(result: Result) -> str:
    assert result.exit_code != 0
    out = result.output.strip()
    assert "Traceback" not in out
    assert len(out.splitlines()) == 1, out
    assert out.startswith("Error: ")
    return out


def test_search_finds_the_supplier_lesson_first(db):
    url, _ = db
    sample = load_portfolio()
    # the sample lesson whose event is about a supplier failing to deliver
    lessons = sample.lessons
    about = lessons[
        lessons["event"].str.contains("supplier", case=False)
        & lessons["event"].str.contains("deliver", case=False)
    ]
    assert len(about) == 1
    result = _run("search", "supplier delivered late", "--limit", "3", "--db", url)
    assert result.exit_code == 0, result.output
    ranked = [ln.split()[1] for ln in result.output.splitlines() if ln[:3] == " 1."]
    assert ranked == [about["lesson_id"].iloc[0]]


def test_search_filters_by_category(db):
    url, _ = db
    sample = load_portfolio()
    procurement = set(
        sample.lessons.loc[sample.lessons["category"] == "procurement", "lesson_id"]
    )
    result = _run(
        "search", "supplier", "--category", "procurement", "--limit", "20", "--db", url
    )
    assert result.exit_code == 0, result.output
    shown = {ln.split()[1] for ln in result.output.splitlines() if ". L-" in ln}
    assert shown
    assert shown <= procurement


def test_add_prints_the_ids_and_recommend_gives_reasons(db, tmp_path):
    url, file = db
    second = {**LESSON, "lesson_id": "L-901", "event": "Second gateway batch late"}
    path = tmp_path / "new.yaml"
    path.write_text(yaml.safe_dump({"lessons": [LESSON, second]}), encoding="utf-8")
    result = _run("add", str(path), "--db", url)
    assert result.exit_code == 0, result.output
    assert "Added 2 lessons" in result.output
    assert "L-900, L-901" in result.output
    assert {"L-900", "L-901"} <= _ids(file)
    rec = _run("recommend", "P-002", "--limit", "3", "--db", url)
    assert rec.exit_code == 0, rec.output
    lines = rec.output.splitlines()
    assert sum(1 for ln in lines if ln.strip().startswith("why: ")) == 3


def test_add_is_all_or_nothing_and_names_the_missing_field(db, tmp_path):
    url, file = db
    before = _ids(file)
    bad = {k: v for k, v in LESSON.items() if k != "cause"} | {"lesson_id": "L-902"}
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump([LESSON, bad]), encoding="utf-8")
    out = _one_line_error(_run("add", str(path), "--db", url))
    assert "'cause'" in out
    assert "L-902" in out
    assert _ids(file) == before


def test_a_duplicate_id_is_one_line(db, tmp_path):
    url, _file = db
    path = tmp_path / "dup.csv"
    path.write_text(
        "lesson_id,date,category,event,effect,cause,recommendation\n"
        "L-001,2026-07-01,cost,E,F,C,R\n",
        encoding="utf-8",
    )
    out = _one_line_error(_run("add", str(path), "--db", url))
    assert "L-001" in out
    assert "already" in out


def test_bad_db_urls_are_one_line(tmp_path):
    out = _one_line_error(_run("search", "x", "--db", "mysql://h/db"))
    assert "mysql" in out
    out = _one_line_error(
        _run("search", "x", "--db", f"sqlite:///{tmp_path / 'missing.db'}")
    )
    assert "does not exist" in out
    assert not (tmp_path / "missing.db").exists()
    out = _one_line_error(
        _run("recommend", "P-999", "--db", f"sqlite:///{tmp_path / 'x.db'}")
    )
    assert "does not exist" in out


def test_unknown_project_and_bad_filter_are_one_line(db):
    url, _ = db
    assert "P-999" in _one_line_error(_run("recommend", "P-999", "--db", url))
    out = _one_line_error(_run("search", "x", "--category", "money", "--db", url))
    assert "money" in out
    assert "procurement" in out


def test_default_db_is_created_from_the_course_dataset(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PMO_KIT_DB", raising=False)
    monkeypatch.delenv("PMO_KIT_DATASET", raising=False)
    result = CliRunner().invoke(kb_group, ["search", "steering"])
    assert result.exit_code == 0, result.output
    assert f"Created {tmp_path / DEFAULT_DB_FILE}" in result.output
    assert (tmp_path / DEFAULT_DB_FILE).is_file()
    assert _ids(tmp_path / DEFAULT_DB_FILE) == set(
        load_portfolio().lessons["lesson_id"]
    )
    again = CliRunner().invoke(kb_group, ["search", "steering"])
    assert "Created" not in again.output


def test_the_entry_point_runs_kb_search(tmp_path, db):
    """The installed ``pmo-kit`` command (a real process), not only CliRunner."""
    url, _ = db
    exe = Path(sys.executable).with_name("pmo-kit")
    if not exe.is_file():
        exe = ROOT / ".venv" / "bin" / "pmo-kit"
    env = {k: v for k, v in os.environ.items() if k != "PMO_KIT_DB"}
    done = subprocess.run(
        [str(exe), "kb", "search", "supplier delivered late", "--db", url],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "1. L-" in done.stdout
    bad = subprocess.run(
        [str(exe), "kb", "recommend", "P-999", "--db", url],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
        check=False,
    )
    assert bad.returncode == 1
    assert len(bad.stderr.strip().splitlines()) == 1
    assert "P-999" in bad.stderr
