"""Channels, contents and states of the notices sent to a debtor before a negativação."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeChannel(models.TextChoices):
    LETTER = "letter", _("Carta (correio)")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


ELECTRONIC = (NoticeChannel.EMAIL, NoticeChannel.SMS)


class NoticeContent(models.TextChoices):
    """What a notice may be required to state (per UF, `contents` of its rule)."""

    CREDITOR_NAME = "creditor_name", _("razão social do credor")
    CREDITOR_CNPJ = "creditor_cnpj", _("CNPJ do credor")
    CREDITOR_ADDRESS = "creditor_address", _("endereço do credor")
    CREDITOR_PHONE = "creditor_phone", _("telefone do credor")
    DEBT_NATURE = "debt_nature", _("natureza da dívida")
    AMOUNT = "amount", _("valor da dívida")
    DUE_DATE = "due_date", _("vencimento")
    REGISTRABLE_FROM = "registrable_from", _("data a partir da qual pode ser registrada")
    PAYMENT = "payment", _("como pagar (linha digitável ou Pix)")


class NoticeStatus(models.TextChoices):
    QUEUED = "queued", _("Na fila")
    SENT = "sent", _("Enviado")
    POSTED = "posted", _("Postado")
    DELIVERED = "delivered", _("Entregue")
    BOUNCED = "bounced", _("Devolvido")
    FAILED = "failed", _("Falhou")


class NoticeEventKind(models.TextChoices):
    SENT = "sent", _("enviada")
    POSTED = "posted", _("postada")
    DELIVERED = "delivered", _("entregue")
    BOUNCED = "bounced", _("devolvida")
    FAILED = "failed", _("falhou")


# The states a notice reaches from each event (an event never takes it back to "sent").
EVENT_STATUS = {
    NoticeEventKind.SENT: NoticeStatus.SENT,
    NoticeEventKind.POSTED: NoticeStatus.POSTED,
    NoticeEventKind.DELIVERED: NoticeStatus.DELIVERED,
    NoticeEventKind.BOUNCED: NoticeStatus.BOUNCED,
    NoticeEventKind.FAILED: NoticeStatus.FAILED,
}
# Undelivered: proof that the notice did not reach the debtor.
UNDELIVERED = (NoticeStatus.BOUNCED, NoticeStatus.FAILED)


class PlanKind(models.TextChoices):
    """Where a repayment plan (plano de repactuação, CDC art. 104-A/104-B) was agreed."""

    COURT = "court", _("Judicial (homologado)")
    CONCILIATION = "conciliation", _("Conciliação (audiência)")


# The placeholder of each content in a dunning template ("{razao_social}"), and the others a
# template may use.
PLACEHOLDERS: dict[str, str] = {
    NoticeContent.CREDITOR_NAME: "razao_social",
    NoticeContent.CREDITOR_CNPJ: "cnpj",
    NoticeContent.CREDITOR_ADDRESS: "endereco_credor",
    NoticeContent.CREDITOR_PHONE: "telefone_credor",
    NoticeContent.DEBT_NATURE: "natureza",
    NoticeContent.AMOUNT: "valor",
    NoticeContent.DUE_DATE: "vencimento",
    NoticeContent.REGISTRABLE_FROM: "negativacao_a_partir_de",
    NoticeContent.PAYMENT: "pagamento",
}
OTHER_PLACEHOLDERS = ("cliente", "fatura")
