"""The query page of issue 16: the user's own filial preselected, a choice of each active
integration of the filial with its price, and the re-query interval alert before any cost."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import lxml.html
import pytest
from django.contrib.auth.models import User
from django.test import Client

from creditcheck.core.enums import Role
from creditcheck.core.models import Branch
from providers.sandbox.server import RunningSandbox
from tests.credit_setup import connect_branch, enable_credit_analysis

NEW_URL = "/analise-credito/nova/"
CLEAN_CPF = "52998224725"


def _selected(content: bytes, name: str) -> list[str]:
    doc: Any = lxml.html.fromstring(content.decode())
    return doc.xpath(f'//select[@name="{name}"]/option[@selected]/@value')


@pytest.mark.django_db
def test_bare_document_preselects_the_users_own_branch(
    make_user: Callable[..., User],
    client: Client,
    branch: Branch,
    other_branch: Branch,
    sandbox: RunningSandbox,
) -> None:
    enable_credit_analysis()
    connect_branch(branch, sandbox, cost="12.50")
    connect_branch(other_branch, sandbox, cost="30.00")
    # Filial São Paulo is the user's first filial; Filial Belo Horizonte comes first by name
    user = make_user(Role.SELLER, [branch], username="vendedor2")
    user.branches.add(other_branch)
    client.force_login(user)

    response = client.get(NEW_URL, {"document": CLEAN_CPF})

    assert _selected(response.content, "branch") == [str(branch.pk)]
