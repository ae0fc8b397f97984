"""A platform answer that cannot be stored still ends the query, failed and billed as answered."""

import pytest
import requests
from django.contrib.auth.models import User

from creditcheck.analysis.enums import QueryStatus
from creditcheck.analysis.models import CreditQuery
from creditcheck.analysis.services import credit_query_request
from creditcheck.analysis.subjects import subject_from_document
from creditcheck.core.models import Branch
from providers.sandbox.scenarios import UNLISTED_CPF
from providers.sandbox.server import RunningSandbox
from tests.credit_setup import integration_on
from tests.sandbox_client import billed_calls


@pytest.mark.django_db(transaction=True)
def test_totals_too_large_for_the_columns_end_in_a_failed_billed_query(
    sandbox: RunningSandbox, branch: Branch, attendant: User
) -> None:
    # Each amount, and each kind's total, is plausible on its own (below R$ 10^12, what the
    # parsers accept); their sum overflows the R$ column of the stored query.
    restrictions = [
        {"kind": kind, "creditor": f"Credor {kind}", "amount": "900000000000.00"}
        for kind in ("spc", "protesto")
    ]
    registered = requests.post(
        f"{sandbox.url}/sandbox/scenarios",
        json={"document": UNLISTED_CPF, "base": "small_restriction", "restrictions": restrictions},
        timeout=5,
    )
    assert registered.status_code == 201, registered.text
    integration_on(branch, sandbox)

    outcome = credit_query_request(
        subject=subject_from_document(UNLISTED_CPF), branch=branch, user=attendant
    )

    query = CreditQuery.objects.get(pk=outcome.query.pk)
    assert (query.status, query.error_code, query.billed) == (
        QueryStatus.FAILED,
        "unstorable_result",
        "yes",
    )
    assert "não pôde ser guardado" in query.error_message
    assert billed_calls(sandbox, platform="spcbrasil") == 1
