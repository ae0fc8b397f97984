"""Browser tests: Playwright driving Debian's chromium against pytest-django's live_server.

Run with `pytest -m browser tests/browser`. Without /usr/bin/chromium they skip, except under
CI=true where they fail (tests/conftest.py: require_service).
"""

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connections
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright

from tests.conftest import CHROMIUM, require_service

# Playwright's sync API runs an event loop in the test thread, and the test thread also uses
# the ORM (factories, assertions): Django refuses that unless told it is safe, which it is here
# because nothing else runs in that loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    require_service(CHROMIUM.exists(), f"needs Debian's chromium at {CHROMIUM}")
    # While Playwright's loop runs, Django's connection handler (an asgiref Local) hands out
    # new connection objects, without the snapshot of the migrated data that the test database
    # setup took if it ran before (other tests first): carry it over, or the serialized rollback
    # below would restore nothing.
    # (_test_serialized_contents is set by Django's test database setup; the stubs omit it.)
    snapshots = {
        alias: getattr(connections[alias], "_test_serialized_contents")  # noqa: B009
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    with sync_playwright() as playwright:
        for alias, snapshot in snapshots.items():
            setattr(connections[alias], "_test_serialized_contents", snapshot)  # noqa: B010
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    browser = playwright_instance.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


# Reports each Content-Security-Policy violation of the page to the console, where the
# `page` fixture collects it (Playwright adds this script outside the page's policy).
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI} ` +
    `${event.sourceFile}:${event.lineNumber}`);
});
"""


def csp_violations(page: Page) -> list[str]:
    """The Content-Security-Policy violations the page reported so far."""
    found: list[str] = page.context.csp_violations  # type: ignore[attr-defined]
    return found


@contextmanager
def browser_page(browser: Browser, base_url: str) -> Iterator[Page]:
    """A fresh pt-BR browser tab whose relative URLs go to `base_url`; on leaving, fails the
    test if the screens it went through broke a rule of the Content-Security-Policy (no inline
    script or style)."""
    context = browser.new_context(
        base_url=base_url,
        locale="pt-BR",
        timezone_id="America/Sao_Paulo",
        viewport={"width": 1366, "height": 900},
    )
    context.set_default_timeout(10_000)
    violations: list[str] = []
    context.csp_violations = violations  # type: ignore[attr-defined]
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    page = context.new_page()
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text or "CSP violation" in message.text
            else None
        ),
    )
    yield page
    context.close()
    if violations:
        pytest.fail("the pages broke their Content-Security-Policy:\n" + "\n".join(violations))


@pytest.fixture
def page(
    browser: Browser,
    live_server: object,
    transactional_db: None,
    django_db_serialized_rollback: None,
) -> Iterator[Page]:
    """A browser tab on the live server (browser_page).

    The live server needs a transactional database; the serialized rollback restores the data
    migrations (negativação's notice periods) that flushing the database between tests would
    otherwise erase.
    """
    with browser_page(browser, str(live_server)) as tab:
        yield tab


def consult_customer(page: Page, customer_id: int) -> None:
    """Consult a customer from its screen, confirming the cost, and wait for the result."""
    page.goto(f"/clientes/{customer_id}/")
    page.get_by_role("link", name="Consultar análise de crédito").click()
    page.get_by_role("button", name="Consultar").click()
    expect(page.get_by_test_id("result-summary")).to_be_visible(timeout=15_000)


def sign_in(page: Page, username: str, password: str) -> None:
    """Sign in through the login form, as a person would."""
    page.goto("/entrar/")
    page.get_by_label("Usuário").fill(username)
    page.get_by_label("Senha").fill(password)
    page.get_by_role("button", name="Entrar").click()


@pytest.fixture
def log_in(page: Page) -> Callable[[str, str], None]:
    """Sign in the test's page through the login form."""

    def log_in(username: str, password: str) -> None:
        sign_in(page, username, password)

    return log_in


@pytest.fixture
def screenshot(page: Page, tmp_path: Path) -> Callable[[str], Path]:
    """Save a full-page PNG to $SCREENS_DIR (to look at the screens) or the test's tmp dir."""
    screens_dir = Path(os.environ.get("SCREENS_DIR") or tmp_path)

    def take(name: str) -> Path:
        screens_dir.mkdir(parents=True, exist_ok=True)
        path = screens_dir / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
