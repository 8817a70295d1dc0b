"""Connect to a Dask cluster and run one function per part on it, results in order."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pmo_kit._errors import MissingDependencyError, PMOError, ValidationError

if TYPE_CHECKING:
    from collections.abc import Callable

    import pandas as pd

    from pmo_kit.data.portfolio import Portfolio

__all__ = ["CONNECT_TIMEOUT", "NEEDS_DASK", "connect", "run_on_dask"]

#: Seconds to wait for a Dask scheduler to answer.
CONNECT_TIMEOUT = 20
#: The end of the message when dask.distributed is missing.
NEEDS_DASK = "needs dask.distributed: pip install 'pmo-kit[dask]'"


def connect(client: Any, what: str = "client") -> tuple[Any, bool]:
    """
    Return a ``distributed.Client`` for ``client``; True when this call opened it.

    ``what`` names the argument in messages (``client``, ``--scheduler``).
    """
    try:
        from distributed import Client
    except ImportError:
        msg = f"running on a Dask cluster {NEEDS_DASK}"
        raise MissingDependencyError(msg) from None
    if isinstance(client, Client):
        return client, False
    if not isinstance(client, str) or not client.strip():
        msg = (
            f"{what}: {client!r} is not a Dask client. Allowed: None (run here), "
            "a distributed.Client, or a scheduler address such as tcp://10.0.0.5:8786"
        )
        raise ValidationError(msg)
    try:
        return Client(client, timeout=f"{CONNECT_TIMEOUT}s"), True
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        msg = (
            f"{what}: no Dask scheduler answered at {client!r} ({reason}). "
            "Allowed: the address a running `dask scheduler` prints, "
            "such as tcp://10.0.0.5:8786"
        )
        raise ValidationError(msg) from None


def run_on_dask(
    client: Any,
    function: Callable[..., pd.DataFrame],
    parts: list[Portfolio],
    options: dict[str, Any],
    name: str,
) -> list[pd.DataFrame]:
    """Run ``function(part, **options)`` for each part on the cluster, in order."""
    import secrets

    connected, opened = connect(client)
    run = secrets.token_hex(4)
    try:
        futures = [
            connected.submit(
                function, part, **options, key=f"{name}-{run}-{number}", pure=False
            )
            for number, part in enumerate(parts)
        ]
        try:
            results: list[pd.DataFrame] = connected.gather(futures)
        except Exception as exc:
            if type(exc).__name__ != "KilledWorker":
                raise
            msg = (
                f"{name}: the workers running one part died, each time "
                f"({str(exc).splitlines()[0][:200]}); see the workers' logs"
            )
            raise PMOError(msg) from None
        finally:
            for future in futures:
                future.release()
    finally:
        if opened:
            connected.close()
    return results
