"""Start `make prod-local` for a bench and stop it afterwards (not a bench itself)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]


class TopologyError(RuntimeError):
    pass


def _tail(path: Path, lines: int = 40) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def wait_healthy(url: str, process: subprocess.Popen[bytes], timeout: float) -> None:
    """Until `url` reports every part healthy, with deploy/wait_healthy.py (what CI and operators
    use); fails if `process` ends first."""
    waited = subprocess.run(  # noqa: S603 - our own script, our own arguments
        [
            sys.executable,
            str(ROOT / "deploy" / "wait_healthy.py"),
            url,
            "--timeout",
            str(timeout),
            "--pid",
            str(process.pid),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if waited.returncode != 0:
        raise TopologyError((waited.stdout + waited.stderr).strip()[-600:])


def stop(process: subprocess.Popen[bytes], grace: float = 30) -> None:
    """SIGTERM to the whole process group (gunicorn, workers, beat, sandbox), then SIGKILL."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def listening(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "", parts.port or 80), timeout=2):
            return True
    except OSError:
        return False


@contextmanager
def prod_local(
    env: Mapping[str, str], health_url: str, timeout: float, *, ports_of: tuple[str, ...] = ()
) -> Iterator[None]:
    """`make prod-local` in its own process group with `env`, healthy, for the with-block.

    Refuses to start when something already listens at one of `ports_of` (the URLs it will
    serve): the bench would otherwise measure that server. Its output goes to a temporary log
    whose tail is shown when it does not come up.
    """
    busy = [url for url in (health_url, *ports_of) if listening(url)]
    if busy:
        raise TopologyError(f"something already listens at {', '.join(busy)}")
    make = shutil.which("make")
    if make is None:
        raise TopologyError("`make` is not installed")
    log = Path(tempfile.mkstemp(prefix="prod-local-", suffix=".log")[1])
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [make, "--no-print-directory", "prod-local"],
            cwd=ROOT,
            env=dict(env),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        try:
            wait_healthy(health_url, process, timeout)
        except TopologyError as exc:
            raise TopologyError(f"{exc}\n--- {log} ---\n{_tail(log)}") from None
        print(f"make prod-local healthy at {health_url} (log: {log})", flush=True)
        yield
    finally:
        stop(process)
