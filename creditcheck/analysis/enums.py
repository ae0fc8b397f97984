"""States and codes of credit queries."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class QueryStatus(models.TextChoices):
    PENDING = "pending", _("Aguardando")
    RUNNING = "running", _("Consultando")
    SUCCEEDED = "succeeded", _("Concluída")
    FAILED = "failed", _("Falhou")
    REFUSED = "refused", _("Recusada")
    # A query of a branch whose user cannot open the query of the same CPF/CNPJ in flight in
    # another branch: it makes no platform call and receives that query's outcome.
    WAITING = "waiting", _("Aguardando outra filial")


S = QueryStatus

# The lifecycle of a stored query: it is created pending, waiting or refused, and every change of
# status afterwards goes through credit_query_set_status, which applies only these.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.PENDING: frozenset({S.RUNNING, S.FAILED}),  # claimed by a run; or expired, never sent
    S.RUNNING: frozenset({S.SUCCEEDED, S.FAILED}),
    S.WAITING: frozenset({S.SUCCEEDED, S.FAILED}),  # the outcome of the query it waited for
    S.SUCCEEDED: frozenset(),
    S.FAILED: frozenset(),
    S.REFUSED: frozenset(),
}

# The statuses of a query whose platform call is still to come: at most one per document.
IN_FLIGHT = (QueryStatus.PENDING, QueryStatus.RUNNING)
# Not finished yet: shown with progress, answered 202 by the API.
UNFINISHED = (*IN_FLIGHT, QueryStatus.WAITING)


class SubjectType(models.TextChoices):
    CUSTOMER = "customer", _("Cliente")
    LEAD = "lead", _("Lead")
    PROSPECT = "prospect", _("Prospecção")
    DOCUMENT = "document", _("CPF/CNPJ avulso")


class RefusalCode(models.TextChoices):
    """Why a query was refused before any platform call; also the API's stable error codes."""

    INTEGRATION_DISABLED = "integration_disabled", _("Integração de análise de crédito desativada")
    BRANCH_WITHOUT_INTEGRATION = "branch_without_integration", _("Filial sem integração ativa")
    INVALID_DOCUMENT = "invalid_document", _("CPF/CNPJ inválido")
    REQUERY_INTERVAL = "requery_interval", _("Dentro do intervalo para consultar o mesmo CPF/CNPJ")
    BRANCH_FORBIDDEN = "branch_forbidden", _("Filial não permitida ao usuário")
    # No longer given (a user of another branch now waits for the query in flight, WAITING);
    # kept for the refused attempts stored before.
    QUERY_IN_PROGRESS = "query_in_progress", _("Consulta do mesmo CPF/CNPJ em andamento")
    BUDGET_EXCEEDED = "budget_exceeded", _("Orçamento mensal da filial atingido")


class Billed(models.TextChoices):
    YES = "yes", _("Sim")
    NO = "no", _("Não")
    UNKNOWN = "unknown", _("Indeterminado")
