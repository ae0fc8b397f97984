from collections.abc import Callable

from django.contrib.auth.models import User
from django.test import Client

from creditcheck.core.models import Branch


def test_branch_list_for_administrator_shows_every_branch_masked(
    client_for: Callable[[User], Client],
    administrator: User,
    branch: Branch,
    other_branch: Branch,
) -> None:
    content = client_for(administrator).get("/configuracoes/filiais/").content.decode()

    assert '<td class="fw-medium">Filial São Paulo</td>' in content
    assert '<td class="fw-medium">Filial Belo Horizonte</td>' in content
    assert f'<td class="font-monospace-doc">{branch.cnpj_formatted}</td>' in content


def test_branch_screens_are_forbidden_to_attendants(
    client_for: Callable[[User], Client], attendant: User, branch: Branch
) -> None:
    client = client_for(attendant)

    assert client.get("/configuracoes/filiais/").status_code == 403
    assert client.get(f"/configuracoes/filiais/{branch.pk}/").status_code == 403
    assert client.post("/configuracoes/filiais/nova/", {"name": "X"}).status_code == 403


def test_branch_create_with_masked_cnpj_and_members(
    client_for: Callable[[User], Client], administrator: User, attendant: User
) -> None:
    response = client_for(administrator).post(
        "/configuracoes/filiais/nova/",
        {
            "name": "Filial Curitiba",
            "cnpj": "11.222.333/0001-81",
            "state": "PR",
            "city": "Curitiba",
            "active": "on",
            "members": [str(attendant.pk)],
        },
    )

    created = Branch.objects.get(name="Filial Curitiba")
    assert response["Location"] == "/configuracoes/filiais/"
    assert (created.cnpj, created.state, created.active) == ("11222333000181", "PR", True)
    assert list(created.members.all()) == [attendant]


def test_branch_form_rejects_cpf_and_keeps_input(
    client_for: Callable[[User], Client], administrator: User
) -> None:
    response = client_for(administrator).post(
        "/configuracoes/filiais/nova/",
        {"name": "Filial Errada", "cnpj": "529.982.247-25", "state": "SP", "city": "Santos"},
    )

    assert response.context["form"].errors == {"cnpj": ["Informe um CNPJ, não um CPF."]}
    assert 'name="name" value="Filial Errada"' in response.content.decode()
    assert not Branch.objects.filter(name="Filial Errada").exists()


def test_branch_edit_deactivates_branch(
    client_for: Callable[[User], Client], administrator: User, branch: Branch
) -> None:
    client_for(administrator).post(
        f"/configuracoes/filiais/{branch.pk}/",
        {"name": branch.name, "cnpj": branch.cnpj, "state": branch.state, "city": branch.city},
    )

    branch.refresh_from_db()
    assert branch.active is False
