from danvan.core.errors import DomainError


class ReportsError(DomainError):
    """Bad input to a reports service or page; nothing was written."""
