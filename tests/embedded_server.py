"""The embedded mode as `make run` serves it, for tests over real HTTP: uvicorn (ASGI) in a
subprocess on a SQLite file of its own, no broker (queries on the server's background thread,
events through its in-process channel), its one branch pointed at the test's sandbox.

A subprocess, not the test's live_server: the test database is in memory and served under WSGI,
where the event stream cannot stay open. `prepare()` runs inside that database (manage.py shell).
"""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lxml.html
import requests

REPO_ROOT = Path(__file__).resolve().parent.parent
USERNAME = "atendente.aovivo"
PASSWORD = "senha-de-teste-123"  # tests/factories.py UserFactory
BRANCH_NAME = "Filial Ao Vivo"


@dataclass(frozen=True)
class EmbeddedServer:
    url: str
    username: str = USERNAME
    password: str = PASSWORD


def prepare() -> None:
    """One branch with one attendant (run by `manage.py shell` in the server's database)."""
    from creditcheck.core.enums import Role, State
    from tests.factories import BranchFactory, UserFactory

    branch = BranchFactory.create(name=BRANCH_NAME, state=State.SP)
    UserFactory.create(username=USERNAME, role=Role.ATTENDANT, branches=[branch])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


@contextmanager
def embedded_server(workdir: Path, sandbox_url: str) -> Iterator[EmbeddedServer]:
    """Migrate, prepare and serve; stops the server when the block ends."""
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"CELERY_BROKER_URL", "CACHE_URL"}},
        "DATABASE_URL": f"sqlite:///{workdir}/db.sqlite3",
        "MEDIA_ROOT": str(workdir / "media"),
        "PROVIDER_SANDBOX_URL": sandbox_url,
        "PYTHONPATH": str(REPO_ROOT),
        "EMBEDDED_BACKGROUND_TASKS": "true",
        "EVENTS_REDIS_URL": "",
        "LOG_LEVEL": "WARNING",
    }
    _manage(env, "migrate", "--noinput", "-v", "0")
    _manage(env, "shell", "-c", "from tests.embedded_server import prepare; prepare()")
    _manage(env, "configure_sandbox_integrations", "--enable", "--url", sandbox_url)
    port = _free_port()
    log = (workdir / "uvicorn.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "creditcheck.asgi:application",
            "--port",
            str(port),
            "--lifespan",
            "off",
            "--log-level",
            "warning",
        ],
        cwd=REPO_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{url}/healthz", timeout=5).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((workdir / "uvicorn.log").read_text()[-3000:])
            time.sleep(0.2)
        yield EmbeddedServer(url)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _submit(
    session: requests.Session, page_url: str, button_text: str, **fields: str
) -> requests.Response:
    """Fill `fields` and press the form's button, keeping every other field as the page set it."""
    page = session.get(page_url, timeout=30)
    page.raise_for_status()
    document: Any = lxml.html.document_fromstring(page.text)  # the stubs omit `forms`
    form = next(f for f in document.forms if button_text in f.text_content())
    return session.post(
        page_url if not form.action else requests.compat.urljoin(page_url, form.action),
        data={**dict(form.form_values()), **fields},
        headers={"Referer": page_url},
        allow_redirects=False,
        timeout=30,
    )


def signed_in(server: EmbeddedServer) -> requests.Session:
    session = requests.Session()
    response = _submit(
        session,
        f"{server.url}/entrar/",
        "Entrar",
        username=server.username,
        password=server.password,
    )
    assert response.status_code == 302, response.text[:500]
    return session


def confirm_query(session: requests.Session, server: EmbeddedServer, document: str) -> str:
    """Confirm a query of `document` on its page; the URL of the result page it answers with."""
    response = _submit(
        session, f"{server.url}/analise-credito/nova/?document={document}", "Consultar"
    )
    assert response.status_code == 302, response.text[:500]
    return requests.compat.urljoin(server.url, response.headers["Location"])
