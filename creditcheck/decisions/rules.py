"""The rules of a credit policy and their evaluation over a query's normalized result.

Pure functions over plain data (no database): a policy version stores its rules as the dicts
`rule_to_dict` writes; `rule_from_data` is the one validation of a rule (screens and API call it
through the policy service); `evaluate` reads the stored report (providers.codec.report_to_dict)
and the ISP's own history of the document, and answers the outcome, every rule that fired with
the values it read, what a rule could not read, and the conditions granted. The identity
rule reads the divergences creditcheck.analysis.identity found (its one home), given by the
caller.

A value a rule needs that the result lacks is never guessed: the rule is "missing", and any
missing rule makes the outcome `dados_insuficientes`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from creditcheck.core.formatting import money
from creditcheck.decisions.enums import Outcome, RuleAction, RuleKind
from providers.base import RESTRICTION_KIND_LABELS, RestrictionKind

if TYPE_CHECKING:
    from creditcheck.analysis.identity import IdentityDivergence

# Every platform's score reaches the normalized report on one scale (providers.base.Score).
SCORE_SCALE = (0, 1000)
# What the Receita Federal says of a regular CPF (REGULAR) or an active CNPJ (ATIVA).
REGULAR_SITUATIONS = frozenset({"REGULAR", "ATIVA"})
# The kinds of rule that read the ISP's own records rather than the bureau's answer.
HISTORY_KINDS = frozenset({RuleKind.OPEN_INVOICES, RuleKind.PAST_NEGATIVATION})
REASON_MAX_LENGTH = 300


@dataclass(frozen=True)
class Conditions:
    """What an approval allows: plans up to a monthly value, equipment on loan, a deposit."""

    max_plan_value: Decimal | None = None  # None: any plan
    comodato: bool = True  # equipment (router) on loan
    deposit: Decimal | None = None  # caução; None: none

    def restricted_by(self, other: Conditions) -> Conditions:
        """The stricter of both on each condition."""
        plans = [v for v in (self.max_plan_value, other.max_plan_value) if v is not None]
        deposits = [v for v in (self.deposit, other.deposit) if v is not None]
        return Conditions(
            max_plan_value=min(plans) if plans else None,
            comodato=self.comodato and other.comodato,
            deposit=max(deposits) if deposits else None,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "max_plan_value": _str(self.max_plan_value),
            "comodato": self.comodato,
            "deposit": _str(self.deposit),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Conditions:
        data = data or {}
        return cls(
            max_plan_value=_decimal_or_none(data.get("max_plan_value")),
            comodato=bool(data.get("comodato", True)),
            deposit=_decimal_or_none(data.get("deposit")),
        )

    def text(self) -> str:
        """ "planos até R$ 129,90, sem comodato, caução de R$ 100,00" """
        parts = [
            _("planos até %(value)s") % {"value": money(self.max_plan_value)}
            if self.max_plan_value is not None
            else _("qualquer plano"),
            _("com comodato") if self.comodato else _("sem comodato"),
        ]
        if self.deposit is not None:
            parts.append(_("caução de %(value)s") % {"value": money(self.deposit)})
        return ", ".join(parts)


@dataclass(frozen=True)
class Rule:
    kind: str
    action: str
    reason: str
    score: int | None = None  # score_below
    score_min: int | None = None  # score_between
    score_max: int | None = None
    kinds: tuple[str, ...] = ()  # restriction_kind
    amount: Decimal | None = None  # restriction_total_above
    count: int | None = None  # restriction_count_above, open_invoices (at least), negativations
    # action "condicionar": what the approval is restricted to
    max_plan_value: Decimal | None = None
    no_comodato: bool = False
    deposit: Decimal | None = None

    @property
    def conditions(self) -> Conditions:
        return Conditions(self.max_plan_value, not self.no_comodato, self.deposit)


def _str(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _decimal_or_none(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def rule_to_dict(rule: Rule) -> dict[str, Any]:
    data = dataclasses.asdict(rule)
    data["kinds"] = list(rule.kinds)
    for name in ("amount", "max_plan_value", "deposit"):
        data[name] = _str(getattr(rule, name))
    return data


def rule_from_stored(data: Mapping[str, Any]) -> Rule:
    """A rule as a policy version stored it (validated when it was saved)."""
    return Rule(
        kind=str(data.get("kind", "")),
        action=str(data.get("action", "")),
        reason=str(data.get("reason", "")),
        score=data.get("score"),
        score_min=data.get("score_min"),
        score_max=data.get("score_max"),
        kinds=tuple(data.get("kinds") or ()),
        amount=_decimal_or_none(data.get("amount")),
        count=data.get("count"),
        max_plan_value=_decimal_or_none(data.get("max_plan_value")),
        no_comodato=bool(data.get("no_comodato", False)),
        deposit=_decimal_or_none(data.get("deposit")),
    )


# --- Validation -------------------------------------------------------------------------------

# The parameters each kind needs; the others are dropped when a rule is saved.
PARAMETERS: Mapping[str, tuple[str, ...]] = {
    RuleKind.SCORE_BELOW: ("score",),
    RuleKind.SCORE_BETWEEN: ("score_min", "score_max"),
    RuleKind.RESTRICTION_KIND: ("kinds",),
    RuleKind.RESTRICTION_TOTAL_ABOVE: ("amount",),
    RuleKind.RESTRICTION_COUNT_ABOVE: ("count",),
    RuleKind.DOCUMENT_ALERT: (),
    RuleKind.IDENTITY_DIVERGENCE: (),
    RuleKind.OPEN_INVOICES: ("count",),
    RuleKind.PAST_NEGATIVATION: (),
}
CONDITION_FIELDS = ("max_plan_value", "no_comodato", "deposit")


class _Errors:
    def __init__(self) -> None:
        self.by_field: dict[str, list[ValidationError]] = {}

    def add(self, name: str, message: str, code: str) -> None:
        self.by_field.setdefault(name, []).append(ValidationError(message, code=code))

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def _in_scale(errors: _Errors, name: str, value: Any) -> int | None:
    low, high = SCORE_SCALE
    if value is None or value == "":
        errors.add(name, _("Informe o score."), "required")
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        errors.add(name, _("Informe o score como número inteiro."), "invalid")
        return None
    if not low <= value <= high:
        errors.add(
            name,
            _("O score vai de %(low)s a %(high)s nas plataformas.") % {"low": low, "high": high},
            "score_out_of_scale",
        )
        return None
    return value


def _positive_money(errors: _Errors, name: str, value: Any, *, required: bool) -> Decimal | None:
    if value is None or value == "":
        if required:
            errors.add(name, _("Informe o valor em reais."), "required")
        return None
    amount = _decimal_or_none(value)
    if amount is None or not amount.is_finite():
        errors.add(name, _("Informe o valor em reais."), "invalid")
        return None
    if amount < 0 or amount >= Decimal("1000000000"):
        errors.add(name, _("Informe um valor entre R$ 0,00 e R$ 999.999.999,99."), "out_of_range")
        return None
    return amount.quantize(Decimal("0.01"))


def _count(errors: _Errors, name: str, value: Any, *, minimum: int) -> int | None:
    if value is None or value == "":
        errors.add(name, _("Informe a quantidade."), "required")
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        errors.add(name, _("Informe a quantidade como número inteiro."), "invalid")
        return None
    if not minimum <= value <= 100000:
        errors.add(
            name,
            _("Informe uma quantidade entre %(low)s e 100.000.") % {"low": minimum},
            "out_of_range",
        )
        return None
    return value


def rule_from_data(data: Mapping[str, Any]) -> Rule:
    """A rule from typed input (a form's or a serializer's cleaned data): the one validation.

    Raises ValidationError keyed by field with stable codes: `unknown_rule_kind`,
    `unknown_action`, `reason_required`, `score_out_of_scale`, `impossible_range`,
    `unknown_restriction_kind`, `kinds_required`, `conditions_required`, and `required` /
    `invalid` / `out_of_range` for a missing or unusable number.
    """
    errors = _Errors()
    kind = str(data.get("kind") or "")
    action = str(data.get("action") or "")
    reason = str(data.get("reason") or "").strip()
    if kind not in RuleKind.values:
        errors.add(
            "kind", _("Tipo de regra desconhecido: %(kind)s.") % {"kind": kind}, "unknown_rule_kind"
        )
    if action not in RuleAction.values:
        errors.add(
            "action",
            _("Resultado da regra desconhecido: %(action)s.") % {"action": action},
            "unknown_action",
        )
    if not reason:
        errors.add(
            "reason",
            _("Escreva o motivo, em português, que a decisão mostrará."),
            "reason_required",
        )
    elif len(reason) > REASON_MAX_LENGTH:
        errors.add(
            "reason",
            _("O motivo tem no máximo %(n)s caracteres.") % {"n": REASON_MAX_LENGTH},
            "too_long",
        )
    values: dict[str, Any] = {}
    if kind == RuleKind.SCORE_BELOW:
        values["score"] = _in_scale(errors, "score", data.get("score"))
    elif kind == RuleKind.SCORE_BETWEEN:
        low = _in_scale(errors, "score_min", data.get("score_min"))
        high = _in_scale(errors, "score_max", data.get("score_max"))
        if low is not None and high is not None and low > high:
            errors.add(
                "score_max",
                _("Faixa impossível: o score final (%(high)s) é menor que o inicial (%(low)s).")
                % {"low": low, "high": high},
                "impossible_range",
            )
        values.update(score_min=low, score_max=high)
    elif kind == RuleKind.RESTRICTION_KIND:
        kinds = [str(k) for k in (data.get("kinds") or [])]
        unknown = [k for k in kinds if k not in RestrictionKind.__members__.values()]
        if unknown:
            errors.add(
                "kinds",
                _("Tipo de restrição desconhecido: %(kinds)s.") % {"kinds": ", ".join(unknown)},
                "unknown_restriction_kind",
            )
        elif not kinds:
            errors.add("kinds", _("Escolha ao menos um tipo de restrição."), "kinds_required")
        values["kinds"] = tuple(dict.fromkeys(kinds))
    elif kind == RuleKind.RESTRICTION_TOTAL_ABOVE:
        values["amount"] = _positive_money(errors, "amount", data.get("amount"), required=True)
    elif kind == RuleKind.RESTRICTION_COUNT_ABOVE:
        values["count"] = _count(errors, "count", data.get("count"), minimum=0)
    elif kind == RuleKind.OPEN_INVOICES:
        values["count"] = _count(errors, "count", data.get("count"), minimum=1)
    if action == RuleAction.CONDITION:
        values["max_plan_value"] = _positive_money(
            errors, "max_plan_value", data.get("max_plan_value"), required=False
        )
        values["deposit"] = _positive_money(errors, "deposit", data.get("deposit"), required=False)
        values["no_comodato"] = bool(data.get("no_comodato"))
        if (
            "max_plan_value" not in errors.by_field
            and "deposit" not in errors.by_field
            and values["max_plan_value"] is None
            and values["deposit"] is None
            and not values["no_comodato"]
        ):
            errors.add(
                "max_plan_value",
                _(
                    "Diga o que a aprovação passa a exigir: valor máximo do plano, sem comodato "
                    "ou caução."
                ),
                "conditions_required",
            )
    errors.raise_if_any()
    return Rule(kind=kind, action=action, reason=reason, **values)


def conditions_from_data(data: Mapping[str, Any]) -> Conditions:
    """The approval's base conditions from typed input; ValidationError like rule_from_data."""
    errors = _Errors()
    plan = _positive_money(errors, "max_plan_value", data.get("max_plan_value"), required=False)
    deposit = _positive_money(errors, "deposit", data.get("deposit"), required=False)
    errors.raise_if_any()
    return Conditions(plan, bool(data.get("comodato", True)), deposit)


# --- Evaluation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class OwnHistory:
    """What the ISP's own records say of the document."""

    overdue_invoices: int = 0
    overdue_amount: Decimal = Decimal("0.00")
    negativations: int = 0


@dataclass(frozen=True)
class Firing:
    """A rule that fired: its place in the policy, what it does, its reason and what it read."""

    position: int
    kind: str
    action: str
    reason: str
    fact: str  # pt-BR, with the values read: "score 540 abaixo de 600"
    values: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class Missing:
    """A rule that could not be evaluated: the result lacks what it reads."""

    position: int
    kind: str
    reason: str
    lacking: str  # pt-BR: "score", "valor de 1 restrição"

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class Evaluation:
    outcome: Outcome
    fired: tuple[Firing, ...]
    missing: tuple[Missing, ...]
    conditions: Conditions


class _Lacking(Exception):
    def __init__(self, what: str) -> None:
        self.what = what


def _score(report: Mapping[str, Any]) -> int:
    score = report.get("score")
    value = score.get("value") if isinstance(score, Mapping) else None
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Lacking(_("score"))
    return value


def _totals(report: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    totals = report.get("totals")
    if not isinstance(totals, list) or not all(isinstance(t, Mapping) for t in totals):
        raise _Lacking(_("totais de restrições"))
    return totals


def _kind_counts(report: Mapping[str, Any]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for total in _totals(report):
        count = total.get("count")
        if not isinstance(count, int):
            raise _Lacking(_("quantidade de restrições"))
        if count > 0:
            counts[str(total.get("kind"))] = counts.get(str(total.get("kind")), 0) + count
    return counts


def _restriction_total(report: Mapping[str, Any]) -> tuple[Decimal, int]:
    """The informed total and how many restrictions came without an amount."""
    amount, unvalued = Decimal("0"), 0
    for total in _totals(report):
        value = _decimal_or_none(total.get("amount"))
        if value is None:
            raise _Lacking(_("valor das restrições"))
        amount += value
        unvalued += int(total.get("unvalued") or 0)
    return amount, unvalued


def _kind_label(kind: str) -> str:
    try:
        return RESTRICTION_KIND_LABELS[RestrictionKind(kind)]
    except ValueError:
        return kind


def _document_alerts(report: Mapping[str, Any]) -> list[str]:
    identity = report.get("identity")
    situation = identity.get("receita_situation") if isinstance(identity, Mapping) else None
    if not isinstance(situation, str) or not situation.strip():
        raise _Lacking(_("situação na Receita Federal"))
    alerts = []
    if situation.strip().upper() not in REGULAR_SITUATIONS:
        alerts.append(_("situação na Receita: %(situation)s") % {"situation": situation.strip()})
    # The platforms relay document alerts (lost or stolen documents) as messages.
    messages = report.get("messages")
    for message in messages if isinstance(messages, list) else []:
        if isinstance(message, str) and "alerta" in message.lower():
            alerts.append(message)
    return alerts


def _check(
    rule: Rule,
    report: Mapping[str, Any],
    history: OwnHistory | None,
    identity: Sequence[IdentityDivergence] | None,
) -> Firing | None:
    """The firing of `rule`, or None; raises _Lacking when the result lacks what it reads."""
    kind = rule.kind
    fact = ""
    values: dict[str, Any] = {}
    if kind == RuleKind.SCORE_BELOW:
        score = _score(report)
        if rule.score is not None and score < rule.score:
            fact = _("score %(score)s abaixo de %(limit)s") % {"score": score, "limit": rule.score}
            values = {"score": score}
    elif kind == RuleKind.SCORE_BETWEEN:
        score = _score(report)
        low, high = rule.score_min, rule.score_max
        if low is not None and high is not None and low <= score <= high:
            fact = _("score %(score)s entre %(low)s e %(high)s") % {
                "score": score, "low": low, "high": high,
            }  # fmt: skip
            values = {"score": score}
    elif kind == RuleKind.RESTRICTION_KIND:
        counts = _kind_counts(report)
        found = {k: counts[k] for k in rule.kinds if counts.get(k)}
        if found:
            fact = ", ".join(f"{_kind_label(k)}: {n}" for k, n in found.items())
            values = {"kinds": found}
    elif kind == RuleKind.RESTRICTION_TOTAL_ABOVE:
        amount, unvalued = _restriction_total(report)
        if rule.amount is not None and amount > rule.amount:
            fact = _("total das restrições %(total)s acima de %(limit)s") % {
                "total": money(amount), "limit": money(rule.amount),
            }  # fmt: skip
            values = {"total": str(amount)}
        elif unvalued:
            # The informed part does not pass the limit, but the rest of it is unknown.
            raise _Lacking(_("valor de %(n)s restrição(ões)") % {"n": unvalued})
    elif kind == RuleKind.RESTRICTION_COUNT_ABOVE:
        count = sum(_kind_counts(report).values())
        if rule.count is not None and count > rule.count:
            fact = _("%(count)s restrições, mais que %(limit)s") % {
                "count": count, "limit": rule.count,
            }  # fmt: skip
            values = {"count": count}
    elif kind == RuleKind.DOCUMENT_ALERT:
        alerts = _document_alerts(report)
        if alerts:
            fact = "; ".join(alerts)
            values = {"alerts": alerts}
    elif kind == RuleKind.IDENTITY_DIVERGENCE:
        if identity is None:
            raise _Lacking(_("identidade na plataforma"))
        if identity:
            fact = "; ".join(d.message for d in identity)
            values = {
                "divergences": [
                    {"field": d.field, "ours": d.ours, "bureau": d.bureau} for d in identity
                ]
            }
    elif kind in HISTORY_KINDS:
        if history is None:
            raise _Lacking(_("histórico do provedor"))
        if kind == RuleKind.OPEN_INVOICES and history.overdue_invoices >= (rule.count or 1):
            fact = _("%(n)s fatura(s) vencida(s) em aberto no provedor (%(amount)s)") % {
                "n": history.overdue_invoices, "amount": money(history.overdue_amount),
            }  # fmt: skip
            values = {
                "overdue_invoices": history.overdue_invoices,
                "overdue_amount": str(history.overdue_amount),
            }
        elif kind == RuleKind.PAST_NEGATIVATION and history.negativations:
            fact = _("%(n)s negativação(ões) pelo provedor") % {"n": history.negativations}
            values = {"negativations": history.negativations}
    else:
        raise _Lacking(_("regra desconhecida: %(kind)s") % {"kind": kind})
    if not fact:
        return None
    return Firing(0, kind, rule.action, rule.reason, fact, values)


def evaluate(
    rules: Sequence[Rule],
    report: Mapping[str, Any] | None,
    *,
    base: Conditions,
    history: OwnHistory | None = None,
    identity: Sequence[IdentityDivergence] | None = None,
) -> Evaluation:
    """The outcome of `rules`, in order, over the stored `report`.

    `history` is the ISP's own record of the document and `identity` where the bureau's
    identity disagrees with the record consulted ([] when it agrees or there is no record to
    compare); either None: the rules reading it lack their data.

    Any rule missing its data: `dados_insuficientes` (the rules that did fire are kept as
    reasons). Otherwise any "negar": `negado`; any "revisão": `revisao`; else `aprovado` with
    `base` restricted by every "condicionar" rule that fired.
    """
    report = report if isinstance(report, Mapping) else {}
    fired: list[Firing] = []
    missing: list[Missing] = []
    conditions = base
    for position, rule in enumerate(rules, start=1):
        try:
            firing = _check(rule, report, history, identity)
        except _Lacking as lack:
            missing.append(Missing(position, rule.kind, rule.reason, lack.what))
            continue
        if firing is None:
            continue
        fired.append(dataclasses.replace(firing, position=position))
        if rule.action == RuleAction.CONDITION:
            conditions = conditions.restricted_by(rule.conditions)
    return Evaluation(_outcome(fired, missing), tuple(fired), tuple(missing), conditions)


def _outcome(fired: Iterable[Firing], missing: Sequence[Missing]) -> Outcome:
    actions = {f.action for f in fired}
    if missing:
        return Outcome.INSUFFICIENT
    if RuleAction.DENY in actions:
        return Outcome.DENIED
    if RuleAction.REVIEW in actions:
        return Outcome.REVIEW
    return Outcome.APPROVED


def needs_history(rules: Iterable[Rule]) -> bool:
    return any(rule.kind in HISTORY_KINDS for rule in rules)


def needs_identity(rules: Iterable[Rule]) -> bool:
    return any(rule.kind == RuleKind.IDENTITY_DIVERGENCE for rule in rules)
