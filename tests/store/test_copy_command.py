"""`pmo-kit data copy` between a folder and a database, as a user meets it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
from click.testing import CliRunner

from pmo_kit.cli_data_store import copy_command
from pmo_kit.data.portfolio import (
    bundled_dataset_path,
    load_portfolio,
    save_portfolio,
)

if TYPE_CHECKING:
    from pathlib import Path


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(copy_command, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_folder_to_database_and_back(db_url: str, tmp_path: Path) -> None:
    sample = str(bundled_dataset_path())
    code, out, _ = _run(sample, db_url)
    assert code == 0
    assert out.startswith("Copied Meridian Works: 10 projects, 323 tasks, 32 lessons")
    assert "pmo-test" not in out  # the password is masked
    code, _, err = _run(sample, db_url)
    assert code == 1
    assert err.count("\n") == 1
    assert "already holds a dataset; pass --force" in err
    assert _run(sample, db_url, "--force")[0] == 0
    back = tmp_path / "back"
    code, out, _ = _run(db_url, str(back))
    assert code == 0, out
    # compared with a folder-to-folder copy: a folder written by the kit reads an
    # all-empty optional column back as NaN, whichever way it was written
    save_portfolio(load_portfolio(), tmp_path / "direct")
    folder, copied = load_portfolio(tmp_path / "direct"), load_portfolio(back)
    for name, frame in folder.tables().items():
        pd.testing.assert_frame_equal(frame, copied.tables()[name], obj=name)
    assert folder.charters == copied.charters


def test_a_bad_url_is_one_line_without_a_traceback(tmp_path: Path) -> None:
    code, _, err = _run(str(bundled_dataset_path()), "sqlite:////no/such/dir/x.db")
    assert code == 1
    assert err == (
        "Error: cannot open sqlite:////no/such/dir/x.db: "
        "the folder /no/such/dir does not exist\n"
    )
    code, _, err = _run("sqlite:///" + str(tmp_path / "empty.db"), str(tmp_path / "o"))
    assert code == 1
    assert "the database holds no portfolio yet" in err
    assert "Traceback" not in err
