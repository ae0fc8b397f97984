"""Outcomes of a credit decision, the kinds of rule a policy holds and what a rule does."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    APPROVED = "aprovado", _("Aprovado")
    REVIEW = "revisao", _("Revisão manual")
    DENIED = "negado", _("Negado")
    INSUFFICIENT = "dados_insuficientes", _("Dados insuficientes")


# What a decision reads on screens once its expiry has passed (not stored: computed on read).
EXPIRED = "expirada"
EXPIRED_LABEL = _("Expirada")


class RuleKind(models.TextChoices):
    SCORE_BELOW = "score_below", _("Score abaixo de")
    SCORE_BETWEEN = "score_between", _("Score entre")
    RESTRICTION_KIND = "restriction_kind", _("Restrição de um tipo")
    RESTRICTION_TOTAL_ABOVE = "restriction_total_above", _("Total das restrições acima de")
    RESTRICTION_COUNT_ABOVE = "restriction_count_above", _("Mais restrições que")
    DOCUMENT_ALERT = "document_alert", _("Alerta de documento ou CPF/CNPJ irregular na Receita")
    IDENTITY_DIVERGENCE = (
        "identity_divergence",
        _("Identidade na plataforma diferente do cadastro (nome, nascimento, nome da mãe)"),
    )
    OPEN_INVOICES = "open_invoices", _("Faturas vencidas em aberto no provedor")
    PAST_NEGATIVATION = "past_negativation", _("Negativação anterior pelo provedor")


class RuleAction(models.TextChoices):
    DENY = "negar", _("Negar")
    REVIEW = "revisao", _("Revisão manual")
    CONDITION = "condicionar", _("Aprovar com condições")


class ReviewOrigin(models.TextChoices):
    POLICY = "politica", _("Revisão pedida pela política")
    SUBJECT = "titular", _("Pedido do titular (LGPD art. 20)")


class ReviewOutcome(models.TextChoices):
    APPROVED = "aprovado", _("Aprovado")
    DENIED = "negado", _("Negado")


# What a decision reads as (the API's `state`): its outcome in force, or expired.
DECISION_STATES = [*Outcome.choices, (EXPIRED, EXPIRED_LABEL)]
