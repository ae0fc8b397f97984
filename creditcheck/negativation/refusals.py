"""Why a negativação action is refused: the one typed refusal, its stable codes and, in one
table, the one Portuguese message of each code.

Services raise NegativationRefused; the API maps its code to a status (negativation/api.py,
REFUSAL_STATUS) and the screens show its message. The codes of the eligibility rules
(negativation/eligibility.py) are the `reasons` of a `not_eligible` refusal and share the table.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class RefusalCode(models.TextChoices):
    """Why an action was refused; also the API's stable error codes."""

    INTEGRATION_DISABLED = "integration_disabled", _("Integração de análise de crédito desativada")
    NOT_ELIGIBLE = "not_eligible", _("Fatura não elegível para negativação")
    INVALID_TRANSITION = "invalid_transition", _("A situação da negativação não permite a ação")
    INVALID_REQUEST = "invalid_request", _("Dados da inclusão inválidos")


class InclusionFieldCode(models.TextChoices):
    """What is wrong with a field of an inclusion request: the `errors` of `invalid_request`."""

    AMOUNT_NOT_POSITIVE = "amount_not_positive", _("Valor não positivo")
    AMOUNT_ABOVE_OPEN = "amount_above_open", _("Valor acima do valor em aberto")
    INTEGRATION_NOT_ALLOWED = "integration_not_allowed", _("Integração não permitida")
    REASON_UNKNOWN = "reason_unknown", _("Motivo desconhecido")


class IneligibilityCode(models.TextChoices):
    """Why an invoice cannot be negativated now: the `reasons` of a `not_eligible` refusal."""

    INTEGRATION_DISABLED = "integration_disabled", _("Integração desativada")
    NOT_OPEN = "not_open", _("Fatura não está em aberto")
    DISPUTED = "disputed", _("Fatura contestada")
    NOT_OVERDUE_ENOUGH = "not_overdue_enough", _("Vencida há poucos dias")
    TOO_OLD = "too_old", _("Vencimento antigo demais")
    BELOW_MINIMUM = "below_minimum", _("Valor abaixo do mínimo")
    CONTRACT_CANCELLED = "contract_cancelled", _("Contrato cancelado antes da fatura")
    INVALID_DOCUMENT = "invalid_document", _("CPF/CNPJ inválido")
    INCOMPLETE_ADDRESS = "incomplete_address", _("Endereço incompleto")
    ALREADY_NEGATIVATED = "already_negativated", _("Já negativada")
    REPAYMENT_PLAN = "repayment_plan", _("Dívida em plano de repactuação")
    BRANCH_WITHOUT_INTEGRATION = "branch_without_integration", _("Filial sem integração ativa")


# The one message of every code; %(...)s are filled in by whoever raises it.
MESSAGES: dict[str, Any] = {
    RefusalCode.INTEGRATION_DISABLED: _(
        "A integração com análise de crédito está desativada (Configurações > Integrações): "
        "as ações de negativação estão indisponíveis."
    ),
    RefusalCode.NOT_ELIGIBLE: _("A fatura não pode ser negativada."),
    RefusalCode.INVALID_TRANSITION: _("Negativação %(status)s: %(action)s."),
    RefusalCode.INVALID_REQUEST: _("Revise os dados da negativação."),
    InclusionFieldCode.AMOUNT_NOT_POSITIVE: _("Informe um valor maior que zero."),
    InclusionFieldCode.AMOUNT_ABOVE_OPEN: _(
        "O valor não pode passar do valor em aberto da fatura (%(open)s)."
    ),
    InclusionFieldCode.INTEGRATION_NOT_ALLOWED: _(
        "Escolha uma integração ativa desta filial que faça negativações."
    ),
    InclusionFieldCode.REASON_UNKNOWN: _("Escolha um dos motivos da lista."),
    IneligibilityCode.NOT_OPEN: _("A fatura não está em aberto (%(status)s)."),
    IneligibilityCode.DISPUTED: _("A fatura está contestada pelo cliente."),
    IneligibilityCode.NOT_OVERDUE_ENOUGH: _(
        "Vencida há %(days)d dia(s); a regra da filial exige %(min)d."
    ),
    IneligibilityCode.TOO_OLD: _(
        "Vencimento há mais de 4 anos e 11 meses: a dívida não pode mais ser registrada."
    ),
    IneligibilityCode.BELOW_MINIMUM: _("Valor abaixo do mínimo da filial (R$ %(min)s)."),
    IneligibilityCode.CONTRACT_CANCELLED: _("O contrato foi cancelado antes do período da fatura."),
    IneligibilityCode.INVALID_DOCUMENT: _("O CPF/CNPJ do cliente é inválido."),
    IneligibilityCode.INCOMPLETE_ADDRESS: _(
        "Endereço incompleto para a carta de comunicado: %(fields)s."
    ),
    IneligibilityCode.ALREADY_NEGATIVATED: _("A fatura já tem uma negativação em andamento."),
    IneligibilityCode.REPAYMENT_PLAN: _(
        "A dívida está no plano de repactuação %(plan)s (superendividamento, CDC art. 104-A), "
        "em vigor até %(end)s."
    ),
    IneligibilityCode.BRANCH_WITHOUT_INTEGRATION: _(
        "A %(branch)s não tem integração ativa (Configurações > Integrações)."
    ),
}


def message(code: str, **params: Any) -> str:
    """The Portuguese message of `code`, filled in with `params`."""
    text = str(MESSAGES[code])
    return text % params if params else text


@dataclass(frozen=True)
class Ineligibility:
    code: str
    message: str  # pt-BR


class NegativationRefused(Exception):
    """An action refused before anything changed: `code` is stable, `message` is pt-BR.

    A `not_eligible` refusal lists every reason in `reasons`, for the screens that show them all;
    an `invalid_request` one has, in `errors`, what is wrong with each field of the request.
    """

    def __init__(
        self,
        code: str,
        text: str | None = None,
        *,
        reasons: Sequence[Ineligibility] = (),
        errors: Mapping[str, Ineligibility] | None = None,
    ) -> None:
        self.code = code
        self.message = text if text is not None else message(code)
        self.reasons = list(reasons)
        self.errors = dict(errors or {})
        super().__init__(self.message)
