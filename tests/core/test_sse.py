"""Server-Sent Events over real HTTP (creditcheck/core/sse.py): the embedded server of `make run`
(uvicorn, the query on its background thread, the in-process channel) pushes the result."""

from providers.sandbox.scenarios import SMALL_RESTRICTION_CPF
from providers.sandbox.server import RunningSandbox
from tests.embedded_server import EmbeddedServer, confirm_query, signed_in
from tests.sse_client import read_events


def test_event_stream_pushes_the_result_when_the_sandbox_answers(
    embedded_app: EmbeddedServer, sandbox: RunningSandbox
) -> None:
    sandbox.state.latency_ms["spcbrasil"] = 1500
    session = signed_in(embedded_app)

    result_url = confirm_query(session, embedded_app, SMALL_RESTRICTION_CPF)
    # The confirmation answered before the platform did: the result page shows the progress.
    progress = session.get(result_url, timeout=30).text
    assert "Consultando SPC Brasil…" in progress
    stream = session.get(f"{result_url}eventos/?desde=running", stream=True, timeout=30)
    received = list(read_events(stream))  # the stream ends after the change it announces
    page = session.get(result_url, timeout=30).text

    assert stream.headers["Content-Type"] == "text/event-stream"
    assert received == [("changed", "succeeded")]
    assert 'data-testid="score-value">520</text>' in page
    consults = [e for e in sandbox.state.ledger if e.document == SMALL_RESTRICTION_CPF]
    assert [e.billed for e in consults] == [True]
