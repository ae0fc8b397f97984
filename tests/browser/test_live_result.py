"""The result pushed to the screen (issue 16 item 3), in chromium against the embedded server of
`make run` (uvicorn, the query on its background thread, events through the in-process channel)."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from providers.sandbox.scenarios import CLEAN_CPF
from providers.sandbox.server import RunningSandbox
from tests.browser.conftest import browser_page, sign_in
from tests.embedded_server import EmbeddedServer

pytestmark = pytest.mark.browser


@pytest.fixture
def embedded_page(browser: Browser, embedded_app: EmbeddedServer) -> Iterator[Page]:
    with browser_page(browser, embedded_app.url) as tab:
        yield tab


def test_score_appears_on_the_progress_screen_without_a_reload(
    embedded_page: Page, embedded_app: EmbeddedServer, sandbox: RunningSandbox
) -> None:
    page = embedded_page
    sandbox.state.latency_ms["spcbrasil"] = 2000
    sign_in(page, embedded_app.username, embedded_app.password)
    page.goto(f"/analise-credito/nova/?document={CLEAN_CPF}")

    page.get_by_role("button", name="Consultar").click()

    # The confirmation answers at once with the progress screen, the platform still working.
    expect(page.get_by_test_id("progress-title")).to_have_text("Consultando SPC Brasil…")
    expect(page.get_by_test_id("elapsed")).to_contain_text(" s")
    page.evaluate("() => { window.stillTheSamePage = true; }")
    # The result is swapped into that same page (a reload would lose the mark).
    expect(page.get_by_test_id("score-value")).to_have_text("820", timeout=20_000)
    expect(page.get_by_test_id("query-progress")).to_have_count(0)
    assert page.evaluate("() => window.stillTheSamePage === true")
