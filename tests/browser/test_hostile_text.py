"""A customer named with HTML and script is text in a real browser: shown as typed, nothing runs."""

import re
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Dialog, Page, expect

from creditcheck.core.models import Branch
from tests.factories import PASSWORD, CustomerFactory
from tests.security.conftest import hostile

pytestmark = pytest.mark.browser


def test_hostile_customer_name_shows_as_text_and_runs_nothing(
    page: Page, log_in: Callable[[str, str], None], attendant: User, branch: Branch
) -> None:
    name = hostile("cn")
    customer = CustomerFactory.create(branch=branch, name=name, street=hostile("cs"))
    dialogs: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)

    # Given the customer list, then the customer's edit screen
    log_in(attendant.username, PASSWORD)
    expect(page).to_have_url(re.compile(r"/clientes/$"))
    expect(page.get_by_test_id("customer-table").locator("tbody tr").first).to_contain_text(name)
    page.goto(f"/clientes/{customer.pk}/")

    # Then the name and address are on screen as typed, no element came out of them and no
    # script ran (alert() would have opened a dialog)
    expect(page.get_by_test_id("customer-name")).to_have_text(name)
    expect(page.locator('input[name="street"]')).to_have_value(hostile("cs"))
    assert page.locator("img[src='x']").count() == 0
    assert (
        page.locator("script:not([src])").evaluate_all(
            "scripts => scripts.filter(s => s.textContent.includes('alert')).length"
        )
        == 0
    )
    assert dialogs == []
