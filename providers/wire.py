"""Request pieces that several platforms' JSON APIs spell alike."""

from __future__ import annotations

from providers.base import Address

# How SOAWebService and Crédito na Medida name the parts of an address, in their order.
ADDRESS_PARTS = {
    "cep": "cep",
    "logradouro": "street",
    "numero": "number",
    "complemento": "complement",
    "bairro": "district",
    "cidade": "city",
    "uf": "state",
}


def address_object(address: Address) -> dict[str, str]:
    return {name: getattr(address, part) for name, part in ADDRESS_PARTS.items()}
