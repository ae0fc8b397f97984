"""Notice tests reuse the negativação fixtures (an overdue invoice, a connected branch) and the
screens' logged-in client."""

from tests.negativation.conftest import connect, make_overdue_invoice
from tests.ui.conftest import client_for

__all__ = ["client_for", "connect", "make_overdue_invoice"]
