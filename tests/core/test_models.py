import pytest
from django.core.exceptions import ValidationError

from tests.factories import BranchFactory

pytestmark = pytest.mark.django_db


def test_branch_clean_rejects_cpf_as_cnpj() -> None:
    branch = BranchFactory.build(cnpj="52998224725")

    with pytest.raises(ValidationError) as excinfo:
        branch.full_clean()

    assert excinfo.value.message_dict == {"cnpj": ["Informe um CNPJ, não um CPF."]}


def test_branch_full_clean_normalizes_masked_cnpj() -> None:
    branch = BranchFactory.build(cnpj="12.abc.345/01de-35")

    branch.full_clean()

    assert branch.cnpj == "12ABC34501DE35"
    assert branch.cnpj_formatted == "12.ABC.345/01DE-35"
