"""Compliance tests reuse the negativação fixtures: reports and logs cover negativações too."""

from tests.negativation.conftest import make_overdue_invoice

__all__ = ["make_overdue_invoice"]
