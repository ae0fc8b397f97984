"""Why a notice action is refused: one typed error with stable codes and one Portuguese message
each (the API answers the code, the screens show the message)."""

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeRefusalCode(models.TextChoices):
    FUTURE_DATE = "future_date", _("Data no futuro")
    INVOICE_NOT_OPEN = "invoice_not_open", _("Fatura não está em aberto")
    CREDITOR_INCOMPLETE = "creditor_incomplete", _("Dados do credor incompletos")
    CONSENT_REVOKED = "consent_revoked", _("Consentimento já revogado")
    REVOKE_BEFORE_CONSENT = "revoke_before_consent", _("Revogação antes do consentimento")
    INVALID_RULE = "invalid_rule", _("Regra de comunicado inválida")
    PLAN_ENDS_BEFORE_START = "plan_ends_before_start", _("Término antes do início")
    PLAN_REMOVAL_OUTSIDE = "plan_removal_outside", _("Exclusão fora da vigência do plano")
    PLAN_WITHOUT_DEBTS = "plan_without_debts", _("Plano sem dívidas")
    PLAN_FOREIGN_DEBT = "plan_foreign_debt", _("Dívida de outro cliente")
    TEMPLATE_INVALID = "template_invalid", _("Texto com chaves inválidas")
    TEMPLATE_UNKNOWN_FIELD = "template_unknown_field", _("Campo desconhecido no texto")
    TEMPLATE_MISSING_CONTENT = "template_missing_content", _("Falta conteúdo exigido pela UF")
    SUBJECT_REQUIRED = "subject_required", _("E-mail sem assunto")


MESSAGES: dict[str, Any] = {
    NoticeRefusalCode.FUTURE_DATE: _("A data não pode estar no futuro."),
    NoticeRefusalCode.INVOICE_NOT_OPEN: _("A fatura não está em aberto."),
    NoticeRefusalCode.CREDITOR_INCOMPLETE: _(
        "Cadastre os dados do credor da %(branch)s (razão social, endereço e telefone) em "
        "Configurações > Comunicados antes de emitir comunicados."
    ),
    NoticeRefusalCode.CONSENT_REVOKED: _("Este consentimento já foi revogado."),
    NoticeRefusalCode.REVOKE_BEFORE_CONSENT: _(
        "A revogação não pode ser anterior à data do consentimento."
    ),
    NoticeRefusalCode.INVALID_RULE: _("%(detail)s"),
    NoticeRefusalCode.PLAN_ENDS_BEFORE_START: _("O término do plano não pode ser antes do início."),
    NoticeRefusalCode.PLAN_REMOVAL_OUTSIDE: _(
        "A exclusão dos cadastros deve estar dentro da vigência do plano."
    ),
    NoticeRefusalCode.PLAN_WITHOUT_DEBTS: _("Escolha ao menos uma dívida do plano."),
    NoticeRefusalCode.PLAN_FOREIGN_DEBT: _("A fatura %(invoice)s não é deste cliente."),
    NoticeRefusalCode.TEMPLATE_INVALID: _(
        "Chaves { } sem par no texto: escreva os campos como {valor}, {vencimento}."
    ),
    NoticeRefusalCode.TEMPLATE_UNKNOWN_FIELD: _(
        "Campo desconhecido no texto: %(fields)s. Campos aceitos: %(known)s."
    ),
    NoticeRefusalCode.TEMPLATE_MISSING_CONTENT: _(
        "A regra de comunicado de %(state)s exige no texto: %(fields)s."
    ),
    NoticeRefusalCode.SUBJECT_REQUIRED: _("Informe o assunto do e-mail."),
}


class NoticeRefused(Exception):
    """A notice action refused before anything changed: stable `code`, pt-BR `message`;
    `field` names the form field the message belongs to, when there is one."""

    def __init__(self, code: str, *, field: str = "", **params: Any) -> None:
        self.code = code
        self.field = field
        text = str(MESSAGES[code])
        self.message = text % params if params else text
        super().__init__(self.message)
