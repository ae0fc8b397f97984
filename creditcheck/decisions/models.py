"""Credit policies (one per branch, and the company default), their versions, and the decision
taken on each succeeded credit query."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from creditcheck.analysis.models import CreditQuery
from creditcheck.core.models import Branch
from creditcheck.decisions.enums import EXPIRED, EXPIRED_LABEL, Outcome, ReviewOrigin, ReviewOutcome
from creditcheck.decisions.rules import Conditions, Rule, rule_from_stored


class CreditPolicy(models.Model):
    """The policy of one branch, or (branch empty) the company default that every branch
    without a policy of its own follows. Its rules live in its versions; `current` is the one
    in force (a version is never changed: editing makes the next one)."""

    branch = models.ForeignKey(
        Branch,
        verbose_name=_("filial"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="credit_policies",
    )
    current = models.ForeignKey(
        "CreditPolicyVersion",
        verbose_name=_("versão em vigor"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("criada em"), auto_now_add=True)

    class Meta:
        verbose_name = _("política de crédito")
        verbose_name_plural = _("políticas de crédito")
        constraints = [
            # One per branch and one company default (branch empty counts as branch 0).
            models.UniqueConstraint(
                Coalesce("branch", models.Value(0)), name="one_credit_policy_per_scope"
            )
        ]

    def __str__(self) -> str:
        return str(self.scope_name)

    @property
    def scope_name(self) -> str:
        return self.branch.name if self.branch is not None else str(_("Padrão da empresa"))


class CreditPolicyVersion(models.Model):
    policy = models.ForeignKey(
        CreditPolicy, verbose_name=_("política"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("versão"))
    enabled = models.BooleanField(_("ativa"), default=True)
    validity_days = models.PositiveIntegerField(_("validade da decisão (dias)"), default=30)
    # The approval's base conditions (rules "condicionar" restrict them).
    max_plan_value = models.DecimalField(
        _("valor mensal máximo do plano"), max_digits=11, decimal_places=2, null=True, blank=True
    )
    comodato = models.BooleanField(_("comodato de equipamento"), default=True)
    deposit = models.DecimalField(
        _("caução"), max_digits=11, decimal_places=2, null=True, blank=True
    )
    # The ordered rules, as creditcheck.decisions.rules.rule_to_dict writes them.
    rules = models.JSONField(_("regras"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("criada por"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("criada em"), auto_now_add=True)

    class Meta:
        verbose_name = _("versão da política de crédito")
        verbose_name_plural = _("versões da política de crédito")
        ordering = ["policy", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "number"], name="one_policy_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.policy} v{self.number}"

    @property
    def base_conditions(self) -> Conditions:
        return Conditions(self.max_plan_value, self.comodato, self.deposit)

    @property
    def parsed_rules(self) -> list[Rule]:
        return [rule_from_stored(r) for r in self.rules if isinstance(r, dict)]


class CreditDecision(models.Model):
    """What the policy in force decided on one succeeded query, with what it read."""

    query = models.OneToOneField(
        CreditQuery, verbose_name=_("consulta"), on_delete=models.CASCADE, related_name="decision"
    )
    version = models.ForeignKey(
        CreditPolicyVersion,
        verbose_name=_("versão da política"),
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    outcome = models.CharField(_("decisão"), max_length=20, choices=Outcome.choices)
    # Every rule that fired ({position, kind, action, reason, fact, values}) and every rule the
    # result lacked data for ({position, kind, reason, lacking}).
    reasons = models.JSONField(_("motivos"), default=list)
    missing = models.JSONField(_("dados ausentes"), default=list)
    conditions = models.JSONField(_("condições"), default=dict)
    decided_at = models.DateTimeField(_("decidida em"), default=timezone.now)
    expires_at = models.DateTimeField(_("válida até"))
    # The decision in force: the automated `outcome` until a reviewer decides (CreditReview),
    # then the reviewer's, with its author; the automated one is kept beside it.
    final_outcome = models.CharField(
        _("decisão final"), max_length=20, choices=Outcome.choices, blank=True
    )
    final_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decidida por"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    final_at = models.DateTimeField(_("revisada em"), null=True, blank=True)
    final_reason = models.TextField(_("motivo do revisor"), blank=True)

    class Meta:
        verbose_name = _("decisão de crédito")
        verbose_name_plural = _("decisões de crédito")
        indexes = [models.Index(fields=["outcome"], name="decision_outcome_idx")]
        permissions = [
            ("review_creditdecision", _("Pode revisar decisões de crédito")),
            (
                "override_credit_gate",
                _("Pode ativar contrato sem decisão de crédito aprovada (com justificativa)"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} (consulta #{self.query_id})"

    @property
    def expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def final(self) -> str:
        """The decision in force: the reviewer's, else the automated one."""
        return self.final_outcome or str(self.outcome)

    @property
    def reviewed(self) -> bool:
        return self.final_by_id is not None

    @property
    def state(self) -> str:
        """The decision in force, or `expirada` once its expiry has passed."""
        return EXPIRED if self.expired else self.final

    @property
    def state_display(self) -> Any:
        return EXPIRED_LABEL if self.expired else Outcome(self.final).label

    @property
    def granted(self) -> Conditions:
        return Conditions.from_dict(self.conditions)


class CreditReview(models.Model):
    """A human review of a decision: asked by the policy (outcome `revisao`) or by the data
    subject (LGPD art. 20, recorded by staff), decided by a user with the permission."""

    decision = models.ForeignKey(
        CreditDecision, verbose_name=_("decisão"), on_delete=models.CASCADE, related_name="reviews"
    )
    origin = models.CharField(_("origem"), max_length=10, choices=ReviewOrigin.choices)
    requested_at = models.DateTimeField(_("pedida em"), default=timezone.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrada por"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    request_note = models.TextField(_("pedido do titular"), blank=True)
    due_at = models.DateTimeField(_("prazo"))
    outcome = models.CharField(
        _("decisão do revisor"), max_length=10, choices=ReviewOutcome.choices, blank=True
    )
    reason = models.TextField(_("motivo do revisor"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revisor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("revisada em"), null=True, blank=True)

    class Meta:
        verbose_name = _("revisão de decisão de crédito")
        verbose_name_plural = _("revisões de decisões de crédito")
        ordering = ["due_at", "id"]
        constraints = [
            # At most one open review per decision: a second request joins the open one.
            models.UniqueConstraint(
                fields=["decision"], condition=models.Q(outcome=""), name="one_open_review"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_origin_display()} (decisão #{self.decision_id})"

    @property
    def open(self) -> bool:
        return not self.outcome

    @property
    def overdue(self) -> bool:
        return self.open and timezone.now() >= self.due_at
