from django.contrib.auth.models import User
from django.test import Client

from creditcheck.core.enums import Role
from tests.factories import PASSWORD


def test_login_page_is_in_portuguese(client: Client, db: None) -> None:
    response = client.get("/entrar/")

    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="pt-BR">' in content
    assert "<title>Entrar · CreditCheck</title>" in content
    assert ">Usuário</label>" in content
    assert ">Senha</label>" in content


def test_login_with_wrong_password_shows_portuguese_error(client: Client, attendant: User) -> None:
    response = client.post("/entrar/", {"username": "atendente", "password": "errada"})

    assert response.status_code == 200
    assert (
        "Por favor, entre com um usuário  e senha corretos. Note que ambos os campos diferenciam "
        "maiúsculas e minúsculas." in response.content.decode()
    )
    assert "_auth_user_id" not in client.session


def test_login_with_right_password_opens_customer_list(client: Client, attendant: User) -> None:
    response = client.post("/entrar/", {"username": "atendente", "password": PASSWORD}, follow=True)

    assert response.redirect_chain == [("/", 302), ("/clientes/", 302)]
    assert client.session["_auth_user_id"] == str(attendant.pk)


def test_anonymous_user_is_sent_to_login(client: Client, db: None) -> None:
    response = client.get("/clientes/")

    assert response.status_code == 302
    assert response["Location"] == "/entrar/?next=/clientes/"


def test_logout_by_post_ends_session(client: Client, attendant: User) -> None:
    client.force_login(attendant)

    response = client.post("/sair/")

    assert response.status_code == 302
    assert response["Location"] == "/entrar/"
    assert "_auth_user_id" not in client.session


def test_navbar_shows_only_permitted_menus_and_user_branches(
    client: Client, attendant: User
) -> None:
    client.force_login(attendant)

    content = client.get("/clientes/").content.decode()

    assert 'href="/clientes/"' in content
    assert 'href="/financeiro/faturas/"' in content
    assert 'href="/crm/leads/"' in content
    assert 'href="/configuracoes/filiais/"' not in content
    assert '<i class="bi bi-building me-1"></i>Filial São Paulo</span>' in content


def test_navbar_of_administrator_offers_branch_settings(
    client: Client, administrator: User
) -> None:
    client.force_login(administrator)

    content = client.get("/clientes/").content.decode()

    assert 'href="/configuracoes/filiais/"' in content
    assert "Todas as filiais" in content


def test_user_without_role_sees_welcome_page(client: Client, db: None) -> None:
    user = User.objects.create_user("semperfil", password="x")
    client.force_login(user)

    response = client.get("/")

    assert response.status_code == 200
    assert "Seu usuário ainda não tem acesso a nenhuma tela." in response.content.decode()
    assert Role.ATTENDANT.value in response.content.decode()
