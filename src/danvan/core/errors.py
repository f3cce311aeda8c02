"""The error type services raise. Views and the API turn it into a clear, translated message."""


class DomainError(Exception):
    """A rule of the domain was broken by the input; nothing was written."""

    status = 400

    def __init__(self, message, *, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code

    def as_dict(self) -> dict:
        detail = {"message": str(self.message), "code": self.code}
        if self.field:
            detail["field"] = self.field
        return detail


class NotFound(DomainError):
    """Unknown, or outside what the user may see: the two are never told apart."""

    status = 404

    def __init__(self, message, *, field: str | None = None):
        super().__init__(message, field=field, code="not_found")


class Conflict(DomainError):
    status = 409

    def __init__(self, message, *, field: str | None = None):
        super().__init__(message, field=field, code="conflict")
