import pytest

from creditcheck.core import documents

WRONG_SHAPE = "CPF/CNPJ inválido: informe um CPF com 11 dígitos ou um CNPJ com 14 caracteres."


@pytest.mark.parametrize(
    ("typed", "normalized"),
    [
        ("529.982.247-25", "52998224725"),
        ("52998224725", "52998224725"),
        (" 529 982 247 25 ", "52998224725"),
        ("11.222.333/0001-81", "11222333000181"),
        ("11222333000181", "11222333000181"),
        ("12.ABC.345/01DE-35", "12ABC34501DE35"),
        ("12abc34501de35", "12ABC34501DE35"),
        ("12.abc.345/01de-35", "12ABC34501DE35"),
    ],
)
def test_validate_returns_normalized_document_for_masked_or_bare_input(
    typed: str, normalized: str
) -> None:
    assert documents.validate(typed) == normalized


def test_normalize_strips_mask_and_uppercases_without_validating() -> None:
    assert documents.normalize("12.abc.345/01de-99") == "12ABC34501DE99"
    assert documents.normalize("") == ""


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Informe o CPF ou o CNPJ."),
        ("529.982.247-24", "CPF inválido: os dígitos verificadores não conferem."),
        ("52998224752", "CPF inválido: os dígitos verificadores não conferem."),
        ("111.111.111-11", "CPF inválido: todos os dígitos são iguais."),
        ("00000000000", "CPF inválido: todos os dígitos são iguais."),
        ("11.222.333/0001-82", "CNPJ inválido: os dígitos verificadores não conferem."),
        ("12.ABC.345/01DE-36", "CNPJ inválido: os dígitos verificadores não conferem."),
        ("11111111111111", "CNPJ inválido: todos os dígitos são iguais."),
        ("AAAAAAAAAAAAAA", WRONG_SHAPE),
        ("12ABC34501DEAB", WRONG_SHAPE),
        ("5299822472", WRONG_SHAPE),
        ("529.982.247-2X", WRONG_SHAPE),
        ("12#ABC34501DE35", WRONG_SHAPE),
    ],
)
def test_validate_rejects_invalid_document_with_portuguese_message(
    typed: str, message: str
) -> None:
    with pytest.raises(documents.InvalidDocumentError) as excinfo:
        documents.validate(typed)

    assert excinfo.value.message == message
    assert excinfo.value.code == "invalid_document"


@pytest.mark.parametrize(
    ("document", "formatted"),
    [
        ("52998224725", "529.982.247-25"),
        ("11222333000181", "11.222.333/0001-81"),
        ("12ABC34501DE35", "12.ABC.345/01DE-35"),
        ("529.982.247-25", "529.982.247-25"),
        ("123", "123"),
    ],
)
def test_format_masks_cpf_and_cnpj(document: str, formatted: str) -> None:
    assert documents.format(document) == formatted


@pytest.mark.parametrize(
    ("document", "expected_kind", "person_type"),
    [
        ("52998224725", "cpf", "F"),
        ("11222333000181", "cnpj", "J"),
        ("12ABC34501DE35", "cnpj", "J"),
    ],
)
def test_kind_and_person_type_follow_the_document_shape(
    document: str, expected_kind: str, person_type: str
) -> None:
    assert documents.kind(document) == expected_kind
    assert documents.person_type_for(document) == person_type


def test_kind_is_none_for_other_shapes() -> None:
    assert documents.kind("1234") is None
    assert documents.kind("12ABC34501DEAB") is None


def test_person_type_for_unknown_shape_raises() -> None:
    with pytest.raises(documents.InvalidDocumentError):
        documents.person_type_for("1234")


@pytest.mark.parametrize(
    ("base", "document"),
    [
        ("529982247", "52998224725"),
        ("112223330001", "11222333000181"),
        ("12ABC34501DE", "12ABC34501DE35"),
    ],
)
def test_with_check_digits_completes_known_documents(base: str, document: str) -> None:
    assert documents.with_check_digits(base) == document


def test_with_check_digits_rejects_other_lengths() -> None:
    with pytest.raises(documents.InvalidDocumentError):
        documents.with_check_digits("1234")
