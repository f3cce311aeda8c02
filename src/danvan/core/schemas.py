"""API schemas every app's API shares. Each schema name is unique across the whole API
(tests/api/test_openapi.py): two apps defining a "ReportIn" would collide in the
OpenAPI document and one would document the other's body."""

from ninja import Field, Schema


class OrgRef(Schema):
    id: int
    code: str
    name: str


class AreaRef(Schema):
    id: int
    code: str
    name: str
    level: str


class FieldError(Schema):
    field: str
    message: str


class Error(Schema):
    """Every error answer (danvan/api.py documents it on every operation). `code` and
    `errors` are left out when there is nothing to say, never null."""

    message: str = Field(description="What went wrong, in the user's language")
    code: str = Field("", description="e.g. invalid, not_found, edit_conflict")
    errors: list[FieldError] = Field([], description="The fields at fault, each with its message")
