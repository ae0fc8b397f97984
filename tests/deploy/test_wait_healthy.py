"""deploy/wait_healthy.py, the wait CI and `make prod-local` use before talking to the app."""

import subprocess
import sys
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]


def wait_healthy(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "deploy/wait_healthy.py", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_wait_healthy_returns_once_healthz_is_ok(live_server: Any, settings: Any) -> None:
    settings.CELERY_BROKER_URL = ""

    result = wait_healthy(f"{live_server.url}/healthz", "--timeout", "60")

    assert result.returncode == 0, result.stderr
    assert '"status": "ok"' in result.stdout


def test_wait_healthy_gives_up_when_the_topology_process_ended() -> None:
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()

    # Nothing listens on port 9 (discard) of loopback: only the ended process stops the wait.
    result = wait_healthy("http://127.0.0.1:9/healthz", "--timeout", "60", "--pid", str(ended.pid))

    assert result.returncode == 1
    assert f"process {ended.pid} ended" in result.stderr
