"""Notice tests reuse the negativação tests' overdue invoice (client_for and connect come from
tests/conftest.py)."""

from tests.negativation.conftest import make_overdue_invoice

__all__ = ["make_overdue_invoice"]
