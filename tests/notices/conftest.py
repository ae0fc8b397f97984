"""Notice tests reuse the negativação fixtures (an overdue invoice, a connected branch)."""

from tests.negativation.conftest import connect, make_overdue_invoice

__all__ = ["connect", "make_overdue_invoice"]
