import io

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_drf_create_token_creates_a_token_for_the_user() -> None:
    user = UserFactory.create(username="integrador")
    out = io.StringIO()

    call_command("drf_create_token", "integrador", stdout=out)

    token = Token.objects.get(user=user)
    assert token.key in out.getvalue()
