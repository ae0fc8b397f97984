"""Log hygiene: CPF/CNPJ reach the logs masked, platform credentials never."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User

from creditcheck.analysis.services import credit_query_request
from creditcheck.analysis.subjects import subject_from_document
from creditcheck.core.logging import MaskDocumentsFilter, mask_documents
from creditcheck.core.models import Branch
from creditcheck.negativation.services import negativation_include
from providers.registry import all_keys
from providers.sandbox.server import RunningSandbox, load_platforms
from tests.credit_setup import integration_on
from tests.negativation.conftest import MakeInvoice

SECRET_FIELDS = ("senha", "password", "secret", "apikey")
PLATFORMS = all_keys()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("doc 52998224725", "doc 529********"),
        ("doc 529.982.247-25.", "doc 529.***.***-**."),
        ("cnpj 11222333000181", "cnpj 11************"),
        ("cnpj 11.222.333/0001-81", "cnpj 11.***.***/****-**"),
        ("cnpj 12.ABC.345/01DE-35 e 12ABC34501DE35", "cnpj 12.***.***/****-** e 12************"),
        ("path /consulta/12345678909?x=1", "path /consulta/123********?x=1"),
        # Not documents: longer digit runs, ten digits, a word of capitals, a time.
        (
            "protocolo 123456789012345678 id 1234567890",
            "protocolo 123456789012345678 id 1234567890",
        ),
        ("ABCDEFGHIJKLMN 10:32:05", "ABCDEFGHIJKLMN 10:32:05"),
    ],
)
def test_mask_documents_keeps_first_group_only(text: str, expected: str) -> None:
    assert mask_documents(text) == expected


@pytest.fixture
def console_output(caplog: pytest.LogCaptureFixture) -> Iterator[io.StringIO]:
    """What the console handler configured in settings.LOGGING writes, formatted."""
    caplog.set_level(logging.INFO)
    handlers = [
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(f, MaskDocumentsFilter) for f in handler.filters)
    ]
    assert len(handlers) == 1 and isinstance(handlers[0], logging.StreamHandler)
    console = handlers[0]
    buffer = io.StringIO()
    previous = console.setStream(buffer)
    yield buffer
    console.setStream(previous)


def test_deliberate_document_logs_are_masked(console_output: io.StringIO) -> None:
    logger = logging.getLogger("creditcheck.tests")
    logger.info("doc %s", "52998224725")
    try:
        raise ValueError("CNPJ 11.222.333/0001-81 recusado")
    except ValueError:
        logger.exception("falhou para %s", "529.982.247-25")
    output = console_output.getvalue()
    assert output.splitlines()[:2] == ["doc 529********", "falhou para 529.***.***-**"]
    assert "ValueError: CNPJ 11.***.***/****-** recusado" in output
    for full in ("52998224725", "529.982.247-25", "11222333000181", "11.222.333/0001-81"):
        assert full not in output


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("platform", PLATFORMS)
def test_query_and_negativation_logs_hold_no_secret_or_full_document(
    platform: str,
    console_output: io.StringIO,
    financial: User,
    branch: Branch,
    sandbox: RunningSandbox,
    make_overdue_invoice: MakeInvoice,
) -> None:
    integration_on(branch, sandbox, platform)
    credit_query_request(
        subject=subject_from_document("12345678909"), branch=branch, user=financial
    )
    invoice = make_overdue_invoice(document="52998224725")
    negativation_include(invoice=invoice, user=financial)
    logging.getLogger("creditcheck.tests").info("doc %s", "52998224725")

    output = console_output.getvalue()
    assert "platform call: " in output  # the flows did log through this handler
    assert "doc 529********" in output
    secrets = [
        value
        for key, value in load_platforms()[platform].credentials.items()
        if any(field in key for field in SECRET_FIELDS)
    ]
    assert secrets != []
    leaked = [s for s in [*secrets, "12345678909", "52998224725"] if s in output]
    assert leaked == []
