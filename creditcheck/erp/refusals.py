"""Typed refusals of the ERP and payments app: a stable code and one Portuguese message each."""

from django.utils.translation import gettext_lazy as _

# code -> (HTTP status, message) of a webhook delivery refused before anything is stored.
WEBHOOK_REFUSALS = {
    "unknown_source": (404, _("Fonte de pagamentos desconhecida ou inativa.")),
    "method_not_allowed": (405, _("Este endereço aceita apenas POST.")),
    "payload_too_large": (413, _("O corpo da requisição passa do limite.")),
    "missing_token": (401, _("Token de autenticação ausente.")),
    "invalid_token": (401, _("Token de autenticação inválido.")),
    "missing_signature": (401, _("Assinatura ou carimbo de tempo ausente.")),
    "invalid_signature": (401, _("Assinatura inválida.")),
    "stale_timestamp": (401, _("Carimbo de tempo fora da janela aceita (possível reenvio).")),
    "malformed_body": (400, _("O corpo não é um JSON válido.")),
    "invalid_event": (400, _("O aviso não tem o formato esperado.")),
}

MATCH_REFUSALS = {
    "not_unmatched": _("Este aviso já tem fatura."),
    "not_payment": _("Só avisos de pagamento podem ser vinculados a uma fatura."),
}


class WebhookRefused(Exception):
    """A delivery refused as a whole (nothing stored): `status` is the HTTP answer."""

    def __init__(self, code: str, detail: str = "") -> None:
        self.code = code
        self.status, message = WEBHOOK_REFUSALS[code]
        self.message = f"{message} {detail}".strip()
        super().__init__(f"{code}: {self.message}")


class PaymentMatchRefused(Exception):
    def __init__(self, code: str) -> None:
        self.code = code
        self.message = str(MATCH_REFUSALS[code])
        super().__init__(f"{code}: {self.message}")
