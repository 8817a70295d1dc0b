"""Run a report notebook with papermill and export it as self-contained HTML."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pmo_kit._errors import ReportExecutionError, ReportParameterError
from pmo_kit.reports._catalog import (
    RUNNER_PARAMETERS,
    check_parameters,
    describe_report,
)
from pmo_kit.reports._staging import (
    failed_notebook_path,
    make_staging,
    publish,
    remove_staging,
    remove_stale_staging,
)
from pmo_kit.store.urls import absolute_url, is_database_url

if TYPE_CHECKING:
    import os
    from collections.abc import Callable

    from pmo_kit.reports._catalog import ReportInfo

__all__ = [
    "KERNEL_LOG",
    "ReportResult",
    "export_html",
    "quiet_kernel_manager",
    "run_report",
]

_TEMPLATES = Path(__file__).resolve().parent / "templates"
#: The kernel's own stdout/stderr go to this file in the staging folder, so that
#: its log lines (e.g. ipykernel's "KeyboardInterrupt caught in kernel" when
#: jupyter_client interrupts it on shutdown) never reach the person running a report.
KERNEL_LOG = "kernel.log"


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
    progress: Callable[[str], None] | None = None,
    progress_bar: bool = False,
) -> ReportResult:
    """
    Run a report: validate parameters, execute the notebook, export HTML.

    Everything is built in a hidden staging folder next to the output folder and
    swapped in only when complete (see :mod:`pmo_kit.reports._staging`): a failed
    or killed run leaves the previous outputs as they were.

    Parameters
    ----------
    name
        Report name (see :func:`available_reports`).
    parameters
        Values for the report's ``parameters`` cell; text is converted to the
        annotated types. Validated before anything runs (types, ranges, choices,
        files and folders that must exist, the project id).
    output_dir
        Folder for ``<name>.ipynb``, ``<name>.html`` and ``summary.json``;
        default ``build/reports/<name>``.
    html
        Also export the executed notebook as self-contained HTML without code.
    kernel_name
        Jupyter kernel to run; default: the notebook's own (``python3``).
    progress
        Called with one line per stage ("running 23 cells ...", "exporting HTML").
    progress_bar
        Show papermill's cell progress bar (on stderr; for a terminal).

    Returns
    -------
    ReportResult
        Paths of what was written and the parsed ``summary.json``.

    Raises
    ------
    ReportNotFoundError
        No report has that name.
    ReportParameterError
        Unknown parameter, wrong type or a value that is not allowed (nothing has
        run yet, nothing was written).
    ReportExecutionError
        A cell failed; the previous outputs are unchanged and the failed notebook
        is kept at ``<output_dir>.failed.ipynb`` (named in the message).
    """
    info = describe_report(name)
    values = check_parameters(name, **(parameters or {}))
    bad = RUNNER_PARAMETERS & set(values)
    if bad:
        msg = (
            f"parameter(s) {', '.join(sorted(bad))} are set by the runner; "
            "leave them out"
        )
        raise ReportParameterError(msg)
    for param in info.parameters:  # the kernel runs in the staging folder
        value = values.get(param.name)
        if param.is_path and isinstance(value, str) and value:
            if is_database_url(value):  # the kernel runs elsewhere: no relative file
                values[param.name] = absolute_url(value)
                continue
            values[param.name] = str(Path(value).expanduser().resolve())
    out = Path(output_dir) if output_dir is not None else Path("build/reports") / name
    out = out.expanduser().resolve()
    if out.exists() and not out.is_dir():
        msg = f"output folder {out} is a file. Allowed: a folder (or a new name)"
        raise ReportParameterError(msg)
    say = progress or (lambda _line: None)
    remove_stale_staging(out)
    staging = make_staging(out)
    try:
        summary = _build(
            info, values, staging, out, html, kernel_name, say, progress_bar
        )
        say(f"report {name}: replacing the outputs in {out}")
        publish(staging, out, (f"{name}.ipynb", f"{name}.html", "summary.json"))
        failed_notebook_path(out).unlink(missing_ok=True)
    finally:
        remove_staging(staging)
    html_path = out / f"{name}.html" if html else None
    return ReportResult(
        name, out / f"{name}.ipynb", html_path, out / "summary.json", summary
    )


def _build(
    info: ReportInfo,
    values: dict[str, Any],
    staging: Path,
    out: Path,
    html: bool,
    kernel_name: str | None,
    say: Callable[[str], None],
    progress_bar: bool,
) -> dict[str, Any]:
    """Execute the notebook and export the HTML in ``staging``; return the summary."""
    import papermill as pm

    name = info.name
    executed = staging / f"{name}.ipynb"
    summary_path = staging / "summary.json"
    values["output_json"] = "summary.json"  # the kernel's folder is the staging one
    cells = _code_cells(info.path)
    say(f"report {name}: starting a kernel and running {cells} code cells ...")
    try:
        pm.execute_notebook(
            str(info.path),
            str(executed),
            parameters=values,
            kernel_name=kernel_name,
            cwd=str(staging),
            progress_bar=progress_bar,
            log_output=False,
            request_save_on_cell_execute=False,
            extra_arguments=["--IPKernelApp.log_level=ERROR"],
            kernel_manager_class=quiet_kernel_manager(staging / KERNEL_LOG),
        )
    except pm.PapermillExecutionError as exc:
        where = f"cell {exc.exec_count}" if exc.exec_count else "a cell"
        kept = _keep_failed(executed, out)
        msg = (
            f"report {name!r} failed in {where}: {exc.ename}: "
            f"{_first_line(exc.evalue)} (failed notebook kept at {kept}; "
            f"previous outputs in {out} unchanged)"
        )
        raise ReportExecutionError(msg, notebook_path=str(kept)) from None
    except Exception as exc:  # the kernel died or did not start
        log = _last_line(staging / KERNEL_LOG)
        detail = f"; the kernel said: {log}" if log else ""
        msg = (
            f"report {name!r} could not run: {type(exc).__name__}: "
            f"{_first_line(str(exc))}{detail} (previous outputs in {out} unchanged)"
        )
        raise ReportExecutionError(msg) from exc
    if not summary_path.is_file():
        kept = _keep_failed(executed, out)
        msg = (
            f"report {name!r} ran but did not write summary.json; its last cell "
            "must call pmo_kit.reports.write_summary(output_json, ...) "
            f"(notebook kept at {kept}; previous outputs in {out} unchanged)"
        )
        raise ReportExecutionError(msg, notebook_path=str(kept))
    if html:
        say(f"report {name}: exporting HTML ...")
        export_html(executed, staging / f"{name}.html", title=info.title)
    summary: dict[str, Any] = json.loads(summary_path.read_text(encoding="utf-8"))
    return summary


def _keep_failed(executed: Path, out: Path) -> Path:
    """Move a failed run's notebook to ``<out>.failed.ipynb``; return that path."""
    kept = failed_notebook_path(out)
    if executed.is_file():
        executed.replace(kept)
    return kept


def quiet_kernel_manager(log: Path) -> type[Any]:
    """
    Return a kernel manager class that sends the kernel's stdout/stderr to ``log``.

    On shutdown jupyter_client interrupts the kernel (SIGINT) before asking it to
    stop; when that lands while ipykernel is handling a message, ipykernel logs
    ``[IPKernelApp] ERROR | KeyboardInterrupt caught in kernel.`` on its stderr,
    which the kernel inherits from us. Cell output is unaffected (it travels over
    the kernel's messages, not its stderr).
    """
    from jupyter_client.manager import AsyncKernelManager

    class QuietKernelManager(AsyncKernelManager):
        async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
            with log.open("ab") as sink:  # the child keeps its own copy of the fd
                kw["stdout"] = sink
                kw["stderr"] = sink
                await super()._async_launch_kernel(kernel_cmd, **kw)

    return QuietKernelManager


def _code_cells(path: Path) -> int:
    cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    return sum(1 for c in cells if c.get("cell_type") == "code")


def _last_line(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""


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
    from pmo_kit.data.tables import atomic_write_text

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
