"""
Warm kernels: run many report notebooks in one long-lived Jupyter kernel each.

Most of a report run is the kernel's start-up: starting Python, importing pandas,
altair and the kit, starting the SVG renderer. A :class:`WarmKernel` pays that once
and then runs notebook after notebook, resetting the kernel between runs:

- the user namespace is emptied (``get_ipython().reset()``), so no variable of one
  report is seen by the next; imported modules stay (that is the point);
- the working folder is the run's own temporary folder;
- pandas display options go back to their defaults (each report calls
  ``pmo_kit.setup_notebook()`` itself);
- ``load_portfolio`` keeps the datasets it read in memory while their files do not
  change (:mod:`pmo_kit.data.load_cache`), and hands each report a copy;
- execution counts in the saved notebook are renumbered from 1, as in a fresh kernel.

A kernel that dies is replaced by a fresh one and the report retried once; after
:data:`RECYCLE_AFTER` reports a kernel is replaced anyway, so that memory a report
leaves behind (caches, fragmentation) cannot grow without bound.

Each thread has its own kernel (:class:`KernelPool`), with its own asyncio loop: the
batch runner's worker threads and the threads of a Dask worker both work this way.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import signal
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nbformat import NotebookNode

__all__ = [
    "RECYCLE_AFTER",
    "KernelDiedError",
    "KernelPool",
    "WarmKernel",
    "worker_pool",
]

#: A kernel is replaced by a fresh one after this many reports.
RECYCLE_AFTER = 100
#: Seconds a kernel may take to start (importing the kit included).
STARTUP_TIMEOUT = 120

_WARM_UP = """\
import pandas, altair, pmo_kit
from pmo_kit.data.load_cache import enable_load_cache
enable_load_cache()
try:  # the SVG renderer starts its JavaScript engine on first use
    import vl_convert
    vl_convert.vegalite_to_svg({
        "mark": "point",
        "data": {"values": [{"x": 1}]},
        "encoding": {"x": {"field": "x", "type": "quantitative"}},
    })
except Exception:
    pass
"""

_RESET = """\
import os as _pmo_os
_pmo_os.chdir({cwd!r})  # first: the last run's folder is gone
get_ipython().reset(new_session=False)
import sys as _pmo_sys
if "pandas" in _pmo_sys.modules:
    _pmo_sys.modules["pandas"].reset_option("^display")
del _pmo_sys
"""


class KernelDiedError(RuntimeError):
    """The kernel died while running a notebook (it has been replaced)."""


class WarmKernel:
    """
    One Jupyter kernel that runs notebook after notebook.

    Use it from one thread only (the one that created it).
    """

    def __init__(self, kernel_name: str = "python3", log: Path | None = None) -> None:
        self.kernel_name = kernel_name
        self.log = log
        self.runs = 0
        self.stopped = False  # set by kill(): no restart, no retry
        self._loop = asyncio.new_event_loop()
        self._km: Any = None
        self._kc: Any = None

    @property
    def pid(self) -> int | None:
        """Process id of the running kernel, if any."""
        provisioner = getattr(self._km, "provisioner", None)
        pid = getattr(provisioner, "pid", None)
        return int(pid) if pid else None

    def _run(self, coro: Any) -> Any:
        return self._loop.run_until_complete(coro)

    def start(self) -> None:
        """Start the kernel and import the kit in it (no-op when running)."""
        if self._km is not None:
            return
        self._run(self._start())

    async def _start(self) -> None:
        from pmo_kit.reports._runner import quiet_kernel_manager

        manager_class = quiet_kernel_manager(self.log) if self.log is not None else None
        if manager_class is None:
            from jupyter_client.manager import AsyncKernelManager

            manager_class = AsyncKernelManager
        km = manager_class(kernel_name=self.kernel_name)
        await km.start_kernel(extra_arguments=["--IPKernelApp.log_level=ERROR"])
        kc = km.client()
        kc.start_channels()
        self._km, self._kc = km, kc  # from now on kill() can find the process
        try:
            await kc.wait_for_ready(timeout=STARTUP_TIMEOUT)
            await self._execute(_WARM_UP)
        except BaseException:
            self.shutdown_now()
            with contextlib.suppress(Exception):
                await km.shutdown_kernel(now=True)
            raise

    async def _execute(self, code: str) -> None:
        """Run ``code`` silently; a dead or killed kernel stops the wait at once."""
        task = asyncio.ensure_future(
            self._kc.execute_interactive(
                code,
                silent=True,
                store_history=False,
                timeout=STARTUP_TIMEOUT,
                output_hook=lambda _msg: None,
            )
        )
        while not task.done():
            await asyncio.wait({task}, timeout=0.5)
            if not task.done() and (self.stopped or not await self._km.is_alive()):
                task.cancel()
                with contextlib.suppress(BaseException):
                    await task
                msg = "the kernel died (or was stopped) while getting ready"
                raise KernelDiedError(msg)
        reply = task.result()
        content = reply.get("content", {})
        if content.get("status") != "ok":
            msg = f"{content.get('ename', 'error')}: {content.get('evalue', '')}"
            raise RuntimeError(msg)

    def run(
        self,
        nb: NotebookNode,
        cwd: Path,
        *,
        cell_timeout: int | None = None,
    ) -> NotebookNode:
        """
        Run ``nb`` (already parameterised) in ``cwd``; return it with its outputs.

        Raises
        ------
        nbclient.exceptions.CellExecutionError
            A cell raised; ``nb`` holds the outputs up to that cell.
        KernelDiedError
            The kernel died (twice: once on the warm kernel, once on a fresh one).
        """
        if self.runs >= RECYCLE_AFTER:
            self.shutdown()
        for attempt in (1, 2):
            try:
                self._check_stopped()
                self.start()
                self._check_stopped()
                return self._run(self._run_notebook(nb, cwd, cell_timeout))
            except Exception as exc:
                if not self._died(exc):
                    raise
                self.shutdown()
                if self.stopped:
                    raise
                if attempt == 2:
                    msg = "the kernel died while running the report (twice)"
                    raise KernelDiedError(msg) from exc
        msg = "unreachable"
        raise AssertionError(msg)  # pragma: no cover

    def _check_stopped(self) -> None:
        if self.stopped:
            msg = "stopped: the batch was interrupted"
            raise KernelDiedError(msg)

    def _died(self, exc: Exception) -> bool:
        from nbclient.exceptions import DeadKernelError

        if isinstance(exc, (DeadKernelError, KernelDiedError)):
            return True
        if self._km is None:
            return False
        try:
            return not self._run(self._km.is_alive())
        except Exception:
            return True

    async def _run_notebook(
        self, nb: NotebookNode, cwd: Path, cell_timeout: int | None
    ) -> NotebookNode:
        from nbclient import NotebookClient

        self.runs += 1
        await self._execute(_RESET.format(cwd=str(cwd)))
        client = NotebookClient(
            nb,
            km=self._km,
            timeout=cell_timeout,
            kernel_name=self.kernel_name,
            allow_errors=False,
            resources={"metadata": {"path": str(cwd)}},
        )
        client.kc = (
            self._kc
        )  # keep our channels: nbclient then neither opens nor closes
        try:
            await client.async_execute(cleanup_kc=False)
        finally:
            _renumber(nb)
        return nb

    def shutdown(self) -> None:
        """Stop the kernel (a new one starts on the next run)."""
        km = self._km
        self.shutdown_now()
        if km is None:
            return
        with contextlib.suppress(Exception):
            self._run(km.shutdown_kernel(now=True))
        with contextlib.suppress(Exception):
            self._run(km.cleanup_resources())

    def shutdown_now(self) -> None:
        """Close the channels and forget the kernel (inside the loop: no waiting)."""
        kc = self._kc
        self._km = self._kc = None
        self.runs = 0
        if kc is not None:
            with contextlib.suppress(Exception):
                kc.stop_channels()

    def kill(self) -> None:
        """Kill the kernel process at once, for good; safe from another thread."""
        self.stopped = True
        pid = self.pid
        if pid:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)

    def close(self) -> None:
        """Stop the kernel and close the event loop."""
        self.shutdown()
        with contextlib.suppress(Exception):
            self._loop.close()


def _renumber(nb: NotebookNode) -> None:
    """Renumber executed code cells 1, 2, ... as a fresh kernel would."""
    count = 0
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        if cell.get("execution_count") is None:
            continue
        count += 1
        cell["execution_count"] = count
        for output in cell.get("outputs", []):
            if "execution_count" in output:
                output["execution_count"] = count


class KernelPool:
    """
    One :class:`WarmKernel` per thread, created on first use.

    :meth:`close` stops every kernel the pool made; :meth:`kill_all` kills their
    processes at once (for an interrupted batch, from the main thread).
    """

    def __init__(
        self, kernel_name: str = "python3", log_folder: Path | None = None
    ) -> None:
        self.kernel_name = kernel_name
        self.log_folder = log_folder
        self._local = threading.local()
        self._kernels: list[WarmKernel] = []
        self._lock = threading.Lock()

    def get(self) -> WarmKernel:
        """Return this thread's kernel (made, not yet started, on first use)."""
        kernel: WarmKernel | None = getattr(self._local, "kernel", None)
        if kernel is None:
            with self._lock:
                number = len(self._kernels) + 1
                log = None
                if self.log_folder is not None:
                    log = self.log_folder / f"kernel-{os.getpid()}-{number}.log"
                kernel = WarmKernel(self.kernel_name, log)
                self._kernels.append(kernel)
            self._local.kernel = kernel
        return kernel

    def kill_all(self) -> None:
        """Kill every kernel process now (any thread)."""
        with self._lock:
            kernels = list(self._kernels)
        for kernel in kernels:
            kernel.kill()

    def close(self) -> None:
        """Stop every kernel of this pool."""
        with self._lock:
            kernels, self._kernels = list(self._kernels), []
        for kernel in kernels:
            kernel.close()


_worker_pools: dict[str, KernelPool] = {}
_worker_lock = threading.Lock()


def worker_pool(kernel_name: str) -> KernelPool:
    """Return the process-wide pool of a Dask worker (killed when it exits)."""
    with _worker_lock:
        pool = _worker_pools.get(kernel_name)
        if pool is None:
            import tempfile

            folder = Path(tempfile.gettempdir()) / "pmo-kit-kernels"
            folder.mkdir(parents=True, exist_ok=True)
            pool = KernelPool(kernel_name, folder)
            _worker_pools[kernel_name] = pool
            if len(_worker_pools) == 1:
                atexit.register(_close_worker_pools)
        return pool


def _close_worker_pools() -> None:
    for pool in list(_worker_pools.values()):
        pool.kill_all()
