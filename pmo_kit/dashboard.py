"""
Serve the live portfolio dashboard with Voila (``pmo-kit dashboard``).

The dashboard is a notebook (``notebooks/dashboard/portfolio-dashboard.ipynb``,
shipped in the wheel as ``pmo_kit/_bundled/dashboard``) that displays
:func:`pmo_kit.widgets.portfolio_dashboard`. :func:`serve_dashboard` checks the
dataset and that Voila is installed, then runs Voila on that notebook until Ctrl-C.

Nothing is fetched from the network. Voila 0.5 serves its own JavaScript (the
page, the widget manager, the ipywidgets controls) from the local server; its
``lab`` template links Font Awesome from cdn.jsdelivr.net and nbconvert's loads
mermaid from cdnjs when a page holds a diagram, so the dashboard uses the kit's
``pmo_dashboard`` template (``pmo_kit/_voila``, found through ``JUPYTER_PATH``),
which is the lab template without those links. MathJax is not configured, so Voila
does not load it, and charts are SVG drawn in the kernel.

Only the standard library is imported here: the command starts fast and a missing
Voila is reported in one line.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from pmo_kit._errors import MissingDependencyError, PMOError, ValidationError

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

__all__ = [
    "DATASET_VARIABLE",
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "INSTALL_HINT",
    "NOTEBOOK_NAME",
    "TEMPLATE_NAME",
    "dashboard_notebook_path",
    "dashboard_url",
    "serve_dashboard",
    "voila_command",
    "voila_environment",
]

#: Where ``pmo-kit dashboard`` listens unless told otherwise.
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8866
#: Environment variable that tells the dashboard notebook which dataset to load.
DATASET_VARIABLE = "PMO_KIT_DATASET"
NOTEBOOK_NAME = "portfolio-dashboard.ipynb"
#: The Voila template (``pmo_kit/_voila/voila/templates/pmo_dashboard``).
TEMPLATE_NAME = "pmo_dashboard"
INSTALL_HINT = "the dashboard needs Voila: pip install 'pmo-kit[dashboard]'"
_STOP_TIMEOUT = 15.0  # seconds Voila gets to shut its kernels down


def dashboard_notebook_path() -> Path:
    """
    Return the dashboard notebook, from an installed wheel or a source checkout.

    The wheel ships it as ``pmo_kit/_bundled/dashboard/portfolio-dashboard.ipynb``;
    a source checkout has ``notebooks/dashboard/portfolio-dashboard.ipynb``.

    Raises
    ------
    PMOError
        Neither exists (a broken installation).

    Examples
    --------
    >>> dashboard_notebook_path().name
    'portfolio-dashboard.ipynb'
    """
    here = Path(__file__).resolve().parent
    candidates = (
        here / "_bundled" / "dashboard" / NOTEBOOK_NAME,
        here.parent / "notebooks" / "dashboard" / NOTEBOOK_NAME,
    )
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    msg = (
        f"the dashboard notebook {NOTEBOOK_NAME} was not found next to the pmo_kit "
        f"package (looked in {candidates[0].parent} and {candidates[1].parent}); "
        "reinstall pmo-kit"
    )
    raise PMOError(msg)


def _template_root() -> Path:
    """Return the folder to put on ``JUPYTER_PATH`` for ``pmo_dashboard``."""
    return Path(__file__).resolve().parent / "_voila"


def dashboard_url(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> str:
    """
    Return the address to open in a browser.

    Examples
    --------
    >>> dashboard_url("127.0.0.1", 8866)
    'http://127.0.0.1:8866/'
    >>> dashboard_url("::1", 9000)
    'http://[::1]:9000/'
    """
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def voila_command(
    notebook: str | os.PathLike[str],
    *,
    port: int = DEFAULT_PORT,
    host: str = DEFAULT_HOST,
    open_browser: bool = True,
) -> list[str]:
    """
    Build the command line that serves ``notebook`` with Voila.

    The kit's offline template, the given address and no port hopping (a busy
    port is an error, so the address printed is the one served).

    Examples
    --------
    >>> command = voila_command("dash.ipynb", port=9000, open_browser=False)
    >>> command[1:4], command[-1]
    (['-m', 'voila', 'dash.ipynb'], '--no-browser')
    >>> "--template=pmo_dashboard" in command, "--port=9000" in command
    (True, True)
    """
    command = [
        sys.executable,
        "-m",
        "voila",
        os.fspath(notebook),
        f"--port={port}",
        f"--Voila.ip={host}",
        "--Voila.port_retries=0",
        f"--template={TEMPLATE_NAME}",
        "--theme=light",
    ]
    if not open_browser:
        command.append("--no-browser")
    return command


def voila_environment(
    dataset: str | os.PathLike[str] | None,
    base: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """
    Return the environment for the Voila process: the dataset and the template.

    ``PMO_KIT_DATASET`` is the dataset folder made absolute (empty: the bundled
    sample organisation); the kit's template folder goes first on ``JUPYTER_PATH``.

    Examples
    --------
    >>> env = voila_environment(None, base={"JUPYTER_PATH": "/opt/jupyter"})
    >>> (
    ...     env["PMO_KIT_DATASET"],
    ...     env["JUPYTER_PATH"].endswith(os.pathsep + "/opt/jupyter"),
    ... )
    ('', True)
    """
    env = dict(os.environ if base is None else base)
    env[DATASET_VARIABLE] = "" if dataset is None else str(Path(dataset).resolve())
    paths = [str(_template_root())]
    if env.get("JUPYTER_PATH"):
        paths.append(env["JUPYTER_PATH"])
    env["JUPYTER_PATH"] = os.pathsep.join(paths)
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def _check_dataset(dataset: str | os.PathLike[str] | None) -> None:
    """Load the dataset as the dashboard will; a problem is one line naming it."""
    from pmo_kit.data.portfolio import load_portfolio

    load_portfolio(dataset)


def _check_voila() -> None:
    if importlib.util.find_spec("voila") is None:
        raise MissingDependencyError(INSTALL_HINT)


def _check_address(host: str, port: int) -> None:
    if not 1 <= port <= 65535:
        msg = f"{port!r} is an invalid value for `port`. Valid values: 1-65535."
        raise ValidationError(msg)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            msg = (
                f"cannot serve the dashboard on {host} port {port}: {exc.strerror}. "
                "Pick another port with --port, or another address with --host"
            )
            raise PMOError(msg) from exc


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Ask Voila to stop (it shuts its kernels down); kill it if it hangs."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=_STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
    process.wait()


def serve_dashboard(
    dataset: str | os.PathLike[str] | None = None,
    *,
    port: int = DEFAULT_PORT,
    host: str = DEFAULT_HOST,
    open_browser: bool = True,
    no_run: bool = False,
    on_start: Callable[[str], None] | None = None,
) -> int:
    """
    Serve the portfolio dashboard with Voila until Ctrl-C.

    Parameters
    ----------
    dataset
        The dataset folder; None serves the bundled sample organisation.
    port, host
        Where to listen. The default ``127.0.0.1`` is this machine only;
        ``0.0.0.0`` lets anyone who can reach it on the network see the data.
    open_browser
        Open the dashboard in the default browser.
    no_run
        Check everything (dataset, Voila, notebook, free port) and return 0
        without starting the server.
    on_start
        Called with the dashboard's address once every check has passed, just
        before Voila starts (the CLI prints it).

    Returns
    -------
    int
        Voila's exit status; 0 after Ctrl-C.

    Raises
    ------
    ValidationError
        The dataset is not a valid dataset folder (the first problem, named).
    MissingDependencyError
        Voila is not installed (the message names the pip install).
    PMOError
        The port is taken, or the dashboard notebook is missing.
    """
    _check_dataset(dataset)
    _check_voila()
    notebook = dashboard_notebook_path()
    _check_address(host, port)
    command = voila_command(notebook, port=port, host=host, open_browser=open_browser)
    if no_run:
        return 0
    if on_start is not None:
        on_start(dashboard_url(host, port))
    process = subprocess.Popen(
        command,
        env=voila_environment(dataset),
        cwd=notebook.parent,
        stdin=subprocess.DEVNULL,
    )
    try:
        return process.wait()
    except KeyboardInterrupt:
        # the terminal sent SIGINT to Voila too; make sure it is gone
        _stop(process)
        return 0
    finally:
        _stop(process)
