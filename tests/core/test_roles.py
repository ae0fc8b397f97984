import pytest
from django.contrib.auth.models import Group

pytestmark = pytest.mark.django_db


def permissions_of(role: str) -> set[str]:
    group = Group.objects.get(name=role)
    return {
        f"{app_label}.{codename}"
        for app_label, codename in group.permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


def test_roles_migration_creates_the_four_groups() -> None:
    names = set(Group.objects.values_list("name", flat=True))

    assert {"Atendente", "Vendedor", "Financeiro", "Administrador"} <= names


def test_attendant_edits_customers_and_reads_the_rest() -> None:
    assert permissions_of("Atendente") >= {
        "customers.add_customer",
        "customers.change_customer",
        "customers.view_customer",
        "contracts.view_invoice",
        "crm.view_lead",
    }
    assert "contracts.change_invoice" not in permissions_of("Atendente")
    assert "customers.delete_customer" not in permissions_of("Atendente")


def test_seller_edits_leads_and_prospects_but_not_invoices() -> None:
    perms = permissions_of("Vendedor")

    assert {"crm.add_lead", "crm.change_prospect", "customers.add_customer"} <= perms
    assert "contracts.view_invoice" not in perms


def test_financial_edits_invoices_but_not_leads() -> None:
    perms = permissions_of("Financeiro")

    assert {"contracts.add_invoice", "contracts.change_invoice", "contracts.view_contract"} <= perms
    assert "crm.view_lead" not in perms


def test_administrator_manages_branches() -> None:
    assert {"core.add_branch", "core.change_branch", "core.delete_branch"} <= permissions_of(
        "Administrador"
    )
