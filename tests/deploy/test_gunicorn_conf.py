"""deploy/gunicorn_conf.py: gunicorn serves the app and its logs never show a CPF or CNPJ."""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from providers.sandbox.scenarios import CLEAN_CNPJ

REPO_ROOT = Path(__file__).resolve().parents[2]
CPF = "529.982.247-25"
CNPJ = CLEAN_CNPJ


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def wait_listening(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited:\n{log.read_text()}", pytrace=False)
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    pytest.fail(f"gunicorn did not listen on {port}:\n{log.read_text()}", pytrace=False)


def test_gunicorn_access_log_masks_documents(tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "gunicorn.log"
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    env = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
    }
    with log.open("wb") as out:
        process = subprocess.Popen(
            [gunicorn, "-c", "deploy/gunicorn_conf.py", "creditcheck.asgi:application"],
            cwd=REPO_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_listening(port, process, log)
        response = requests.get(
            f"http://127.0.0.1:{port}/consulta/{CPF}/",
            params={"documento": CNPJ},
            headers={"Referer": f"http://127.0.0.1:{port}/?cpf={CPF}"},
            timeout=30,
        )
    finally:
        process.terminate()
        process.wait(timeout=30)

    assert response.status_code == 404
    text = log.read_text()
    assert '"GET /consulta/529.***.***-**/ HTTP/1.1" 404' in text
    assert CPF not in text
    assert CPF.replace(".", "").replace("-", "") not in text
    assert CNPJ not in text
