"""Run a report notebook with papermill and export it as self-contained HTML."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pmo_kit._errors import ReportExecutionError
from pmo_kit.data.tables import atomic_write_text
from pmo_kit.reports._catalog import (
    RUNNER_PARAMETERS,
    check_parameters,
    describe_report,
)

if TYPE_CHECKING:
    import os

__all__ = ["ReportResult", "export_html", "run_report"]

_TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True, slots=True)
class ReportResult:
    """What a report run produced."""

    name: str
    notebook: Path
    html: Path | None
    summary_path: Path
    summary: dict[str, Any]


def run_report(
    name: str,
    *,
    parameters: dict[str, Any] | None = None,
    output_dir: str | os.PathLike[str] | None = None,
    html: bool = True,
    kernel_name: str | None = None,
) -> ReportResult:
    """
    Run a report: validate parameters, execute the notebook, export HTML.

    Parameters
    ----------
    name
        Report name (see :func:`available_reports`).
    parameters
        Values for the report's ``parameters`` cell; text is converted to the
        annotated types. Validated before anything runs.
    output_dir
        Folder for ``<name>.ipynb``, ``<name>.html`` and ``summary.json``;
        default ``build/reports/<name>``.
    html
        Also export the executed notebook as self-contained HTML without code.
    kernel_name
        Jupyter kernel to run; default: the notebook's own (``python3``).

    Returns
    -------
    ReportResult
        Paths of what was written and the parsed ``summary.json``.

    Raises
    ------
    ReportNotFoundError
        No report has that name.
    ReportParameterError
        Unknown parameter or wrong type (nothing has run yet).
    ReportExecutionError
        A cell failed; the executed notebook is kept and named in the message.
    """
    import papermill as pm

    info = describe_report(name)
    values = check_parameters(name, **(parameters or {}))
    bad = RUNNER_PARAMETERS & set(values)
    if bad:
        msg = (
            f"parameter(s) {', '.join(sorted(bad))} are set by the runner; "
            "leave them out"
        )
        raise ReportExecutionError(msg)
    for param in info.parameters:  # the kernel runs in the output folder
        value = values.get(param.name)
        if param.is_path and isinstance(value, str) and value:
            values[param.name] = str(Path(value).expanduser().resolve())
    out = Path(output_dir) if output_dir is not None else Path("build/reports") / name
    out = out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    summary_path = out / "summary.json"
    summary_path.unlink(missing_ok=True)
    executed = out / f"{name}.ipynb"
    values["output_json"] = str(summary_path)
    try:
        pm.execute_notebook(
            str(info.path),
            str(executed),
            parameters=values,
            kernel_name=kernel_name,
            cwd=str(out),
            progress_bar=False,
            log_output=False,
            request_save_on_cell_execute=False,
            # the kernel's own start-up chatter (e.g. ipykernel's TCP notice) is
            # not for the analyst; errors still show, and cell output is captured
            extra_arguments=["--IPKernelApp.log_level=ERROR"],
        )
    except pm.PapermillExecutionError as exc:
        where = f"cell {exc.exec_count}" if exc.exec_count else "a cell"
        msg = (
            f"report {name!r} failed in {where}: {exc.ename}: "
            f"{_first_line(exc.evalue)} "
            f"(executed notebook kept at {executed})"
        )
        raise ReportExecutionError(msg, notebook_path=str(executed)) from None
    if not summary_path.is_file():
        msg = (
            f"report {name!r} ran but did not write summary.json; its last cell "
            "must call pmo_kit.reports.write_summary(output_json, ...) "
            f"(notebook kept at {executed})"
        )
        raise ReportExecutionError(msg, notebook_path=str(executed))
    html_path = (
        export_html(executed, out / f"{name}.html", title=info.title) if html else None
    )
    summary = json.loads(summary_path.read_text(encoding="utf-8"))
    return ReportResult(name, executed, html_path, summary_path, summary)


def export_html(
    notebook: str | os.PathLike[str],
    target: str | os.PathLike[str],
    *,
    title: str | None = None,
) -> Path:
    """
    Export an executed notebook as one HTML file that needs no network.

    Code cells and prompts are hidden, cells tagged ``remove_cell`` are dropped,
    and no script is loaded from a CDN; charts are the SVG images the notebook
    produced with :func:`pmo_kit.setup_notebook`.
    """
    import nbformat
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor
    from traitlets.config import Config

    from pmo_kit import __version__

    config = Config()
    config.TagRemovePreprocessor.remove_cell_tags = {"remove_cell"}
    config.TagRemovePreprocessor.remove_all_outputs_tags = {"remove_output"}
    config.TagRemovePreprocessor.enabled = True
    exporter = HTMLExporter(
        config=config,
        template_name="pmo_report",
        extra_template_basedirs=[str(_TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    exporter.register_preprocessor(TagRemovePreprocessor(config=config), enabled=True)
    node = nbformat.read(str(notebook), as_version=4)
    for cell in node.cells:
        if cell.get("cell_type") == "code":
            cell["outputs"] = [
                o for o in cell.get("outputs", []) if o.get("name") != "stderr"
            ]
    resources = {
        "metadata": {"name": title or Path(notebook).stem},
        "pmo_kit_version": __version__,
        "pmo_generated": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
    }
    body, _ = exporter.from_notebook_node(node, resources=resources)
    target = Path(target)
    atomic_write_text(target, body)
    return target


def _first_line(text: str) -> str:
    lines = [line for line in str(text).splitlines() if line.strip()]
    return lines[0] if lines else ""
