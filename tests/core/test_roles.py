"""The roles table (creditcheck/core/roles.py) and its sync to the auth groups."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from creditcheck.core.enums import Role
from creditcheck.core.roles import ROLE_PERMISSIONS, role_permissions, roles_sync

pytestmark = pytest.mark.django_db


def permissions_of(role: str) -> set[str]:
    group = Group.objects.get(name=role)
    return {
        f"{app_label}.{codename}"
        for app_label, codename in group.permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


def test_table_has_one_row_per_role() -> None:
    assert set(ROLE_PERMISSIONS) == set(Role)


@pytest.mark.parametrize("role", list(Role))
def test_migrated_group_holds_exactly_its_row_of_the_table(role: Role) -> None:
    assert permissions_of(role.value) == set(role_permissions(role))


def test_every_permission_of_the_table_exists() -> None:
    existing = {
        f"{app_label}.{codename}"
        for app_label, codename in Permission.objects.values_list(
            "content_type__app_label", "codename"
        )
    }

    named = {perm for perms in ROLE_PERMISSIONS.values() for perm in perms}

    assert named - existing == set()


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


def test_administrator_manages_branches_and_unlocks_users() -> None:
    assert {
        "core.add_branch",
        "core.change_branch",
        "core.delete_branch",
        "core.unlock_user",
    } <= permissions_of("Administrador")
    assert "core.unlock_user" not in permissions_of("Financeiro")


def test_sync_is_idempotent() -> None:
    first = roles_sync()

    second = roles_sync()

    assert first == second == {role.value: len(perms) for role, perms in ROLE_PERMISSIONS.items()}
    assert Group.objects.filter(name__in=[role.value for role in Role]).count() == 4


def test_sync_repairs_a_group_edited_by_hand() -> None:
    # Given a role group that lost a permission of the table and gained one outside it
    group = Group.objects.get(name="Vendedor")
    group.permissions.remove(Permission.objects.get(codename="add_lead"))
    group.permissions.add(Permission.objects.get(codename="delete_customer"))

    roles_sync()

    assert permissions_of("Vendedor") == set(role_permissions(Role.SELLER))


def test_sync_recreates_a_deleted_group() -> None:
    Group.objects.filter(name="Financeiro").delete()

    roles_sync()

    assert permissions_of("Financeiro") == set(role_permissions(Role.FINANCIAL))


def test_sync_runs_after_migrate() -> None:
    # Given a role group left without its permissions
    Group.objects.get(name="Atendente").permissions.clear()

    # When migrate runs (nothing left to apply: only its post_migrate does anything)
    call_command("migrate", verbosity=0)

    assert permissions_of("Atendente") == set(role_permissions(Role.ATTENDANT))
