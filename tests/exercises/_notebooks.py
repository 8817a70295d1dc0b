"""Run an exercise notebook the way a learner would, for the exercise tests."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path


def run_check_cells(notebook: Path, folder: Path, tmp_path: Path) -> list[str]:
    """
    Run ``notebook`` with its kernel in ``folder`` (where ``load_checks()`` finds
    checks.py); return what each ``check(...)`` cell showed, in order.
    """
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(notebook, as_version=4)
    client = NotebookClient(
        nb,
        timeout=240,
        kernel_name="python3",
        resources={"metadata": {"path": str(folder)}},
    )
    client.execute()  # raises CellExecutionError if any cell fails
    nbformat.write(nb, tmp_path / f"{notebook.stem}.executed.ipynb")
    return [
        " ".join(
            str(output.get("data", {}).get("text/plain", ""))
            for output in cell.outputs
            if output.output_type == "execute_result"
        )
        for cell in nb.cells
        if cell.cell_type == "code" and cell.source.lstrip().startswith("check")
    ]
