"""The one credit-query service. Every screen, the API and tasks come through here.

It is the single place that enforces the enabled flag, branch access, document validity, the
re-query interval (with its recorded override), single flight per document, and cost. By job:
- request.py: admission, `credit_query_request` (every check, then a pending query or a refusal);
- run.py: the platform call of a pending query and its outcome, `credit_query_run`;
- sharing.py: queries of another branch that take the outcome of the query in flight;
- maintenance.py: what crashed workers and lost broker messages left behind;
- outcome.py: what storing a finished query writes (its fields, usage row and audit entry);
- status.py: the one status setter; billing.py: settling a billing the platform left unknown.

Callers import from here. Inside, imports go one way: outcome <- sharing <- run <- maintenance,
and request uses outcome and sharing.
"""

from creditcheck.analysis.services.billing import (
    SETTLED_AS,
    BillingSettlementRefused,
    credit_query_settle_billing,
)
from creditcheck.analysis.services.maintenance import (
    PENDING_EXPIRES_AFTER,
    REQUEUE_PENDING_AFTER,
    credit_query_close_stale,
    credit_query_requeue_pending,
    credit_query_resolve_waiting,
)
from creditcheck.analysis.services.request import (
    CreditQueryRefused,
    IntervalBlock,
    QueryOutcome,
    credit_query_interval,
    credit_query_request,
    last_successful_query,
    requery_blocker,
)
from creditcheck.analysis.services.run import (
    STALE_RUNNING_AFTER,
    UnstorableResult,
    credit_query_run,
)

__all__ = [
    "PENDING_EXPIRES_AFTER",
    "REQUEUE_PENDING_AFTER",
    "SETTLED_AS",
    "STALE_RUNNING_AFTER",
    "BillingSettlementRefused",
    "CreditQueryRefused",
    "IntervalBlock",
    "QueryOutcome",
    "UnstorableResult",
    "credit_query_close_stale",
    "credit_query_interval",
    "credit_query_request",
    "credit_query_requeue_pending",
    "credit_query_resolve_waiting",
    "credit_query_run",
    "credit_query_settle_billing",
    "last_successful_query",
    "requery_blocker",
]
