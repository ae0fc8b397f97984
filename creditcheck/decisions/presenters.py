"""A credit decision as staff and the data subject read it, in plain Portuguese."""

from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format

from creditcheck.core.formatting import money
from creditcheck.decisions.enums import EXPIRED, Outcome, RuleAction, RuleKind
from creditcheck.decisions.models import CreditDecision, CreditReview
from creditcheck.decisions.rules import Conditions, Rule
from providers.base import RESTRICTION_KIND_LABELS, RestrictionKind

# The Bootstrap colour of each state's banner and badge.
TONE = {
    Outcome.APPROVED: "success",
    Outcome.REVIEW: "warning",
    Outcome.DENIED: "danger",
    Outcome.INSUFFICIENT: "secondary",
    EXPIRED: "secondary",
}


def _facts(reasons: list[dict[str, Any]], action: str | None = None) -> list[str]:
    return [
        str(r.get("fact", ""))
        for r in reasons
        if isinstance(r, dict) and (action is None or r.get("action") == action)
    ]


def outcome_sentence(
    outcome: str,
    reasons: list[dict[str, Any]],
    missing: list[dict[str, Any]],
    conditions: Conditions,
) -> str:
    """ "Aprovado para planos até R$ 129,90, sem comodato: score 540 abaixo de 600" """
    if outcome == Outcome.APPROVED:
        head = f"Aprovado para {conditions.text()}"
        facts = _facts(reasons, "condicionar")
    elif outcome == Outcome.REVIEW:
        head, facts = "Revisão manual", _facts(reasons, "revisao")
    elif outcome == Outcome.DENIED:
        head, facts = "Negado", _facts(reasons, "negar")
    else:
        head = "Dados insuficientes para decidir"
        facts = [f"falta {m.get('lacking', '')}" for m in missing if isinstance(m, dict)]
    return f"{head}: {'; '.join(facts)}" if facts else head


# The kinds without parameters, as the data subject reads them.
CRITERIA: dict[str, str] = {
    RuleKind.DOCUMENT_ALERT: "alerta de documento (perda, roubo) ou CPF/CNPJ irregular na Receita",
    RuleKind.IDENTITY_DIVERGENCE: (
        "identidade informada pela plataforma (nome, nascimento, nome da mãe) diferente do cadastro"
    ),
    RuleKind.PAST_NEGATIVATION: "negativação anterior feita pelo provedor",
}


def _condition_text(rule: Rule) -> str:
    """What a rule reads, as the data subject would: "score entre 300 e 599"."""
    kind = rule.kind
    if kind == RuleKind.SCORE_BELOW:
        return f"score abaixo de {rule.score}"
    if kind == RuleKind.SCORE_BETWEEN:
        return f"score entre {rule.score_min} e {rule.score_max}"
    if kind == RuleKind.RESTRICTION_KIND:
        labels = [
            RESTRICTION_KIND_LABELS[RestrictionKind(k)]
            for k in rule.kinds
            if k in RestrictionKind.__members__.values()
        ]
        return f"restrição do tipo {' ou '.join(labels)}"
    if kind == RuleKind.RESTRICTION_TOTAL_ABOVE:
        return f"total das restrições acima de {money(rule.amount)}"
    if kind == RuleKind.RESTRICTION_COUNT_ABOVE:
        return f"mais de {rule.count} restrição(ões)"
    if kind == RuleKind.OPEN_INVOICES:
        return f"{rule.count} ou mais faturas vencidas em aberto com o provedor"
    return CRITERIA.get(kind, kind)


def rule_sentence(rule: Rule) -> str:
    """One criterion of a policy in plain Portuguese, for the data subject (LGPD art. 20 §1):
    "Score abaixo de 300: negado (Score muito baixo)"."""
    if rule.action == RuleAction.DENY:
        effect = "negado"
    elif rule.action == RuleAction.REVIEW:
        effect = "revisão manual por uma pessoa"
    else:
        effect = (
            "aprovação restrita a "
            + Conditions(rule.max_plan_value, not rule.no_comodato, rule.deposit).text()
        )
    text = _condition_text(rule)
    return f"{text[:1].upper()}{text[1:]}: {effect} ({rule.reason})"


def decision_sentence(decision: CreditDecision) -> str:
    return outcome_sentence(decision.outcome, decision.reasons, decision.missing, decision.granted)


def final_sentence(decision: CreditDecision) -> str:
    """The reviewer's decision: "Aprovado pelo revisor Ana Lima em 03/12/2026 16:02: ..." """
    if not decision.reviewed or decision.final_by is None or decision.final_at is None:
        return ""
    who = decision.final_by.get_full_name() or decision.final_by.get_username()
    when = date_format(timezone.localtime(decision.final_at), "d/m/Y H:i")
    head = "Aprovado" if decision.final == Outcome.APPROVED else "Negado"
    sentence = f"{head} pelo revisor {who} em {when}: {decision.final_reason}"
    if decision.final == Outcome.APPROVED:
        sentence += f" (para {decision.granted.text()})"
    return sentence


@dataclass(frozen=True)
class DecisionView:
    decision: CreditDecision
    state: str  # an Outcome value or "expirada"
    state_display: str
    tone: str
    sentence: str
    expires_text: str  # "válida até 02/01/2027 15:04" / "expirou em ..."
    version_text: str  # "Padrão da empresa, versão 3"
    automated_display: str  # the policy's own outcome, kept beside a reviewer's
    final_sentence: str  # the reviewer's decision; "" until there is one
    open_review: CreditReview | None = None

    @property
    def reasons(self) -> list[dict[str, Any]]:
        return list(self.decision.reasons)

    @property
    def missing(self) -> list[dict[str, Any]]:
        return list(self.decision.missing)


def decision_view(
    decision: CreditDecision, open_review: CreditReview | None = None
) -> DecisionView:
    expired = decision.expired
    expires = date_format(timezone.localtime(decision.expires_at), "d/m/Y H:i")
    version = decision.version
    return DecisionView(
        decision=decision,
        state=decision.state,
        state_display=str(decision.state_display),
        tone=TONE[EXPIRED if expired else Outcome(decision.outcome)],
        sentence=decision_sentence(decision),
        expires_text=f"expirou em {expires}" if expired else f"válida até {expires}",
        version_text=f"{version.policy.scope_name}, versão {version.number}",
        automated_display=str(decision.get_outcome_display()),
        final_sentence=final_sentence(decision),
        open_review=open_review,
    )
