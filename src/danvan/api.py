"""The NinjaAPI root: /api/v1/, with each app's router, token or session auth, JSON errors."""

import functools
import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer, SessionAuth

from danvan.accounts.scope import second_step
from danvan.accounts.services import authenticate_token
from danvan.core.errors import DomainError
from danvan.core.schemas import Error

log = logging.getLogger(__name__)


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = authenticate_token(token)
        if user is not None:
            request.user = user
        return user


class Session(SessionAuth):
    """The signed-in browser session; CSRF is checked only when there is a session to abuse,
    so a program with a missing or bad token gets 401, not a CSRF 403."""

    def __call__(self, request):
        if not request.user.is_authenticated or second_step(request.user) is not None:
            return None
        return super().__call__(request)


class JsonObjectParser(Parser):
    """A request body must be a JSON object: `[1]` or `null` is refused, not read as `{}`."""

    def parse_body(self, request):
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise ValueError("the body is not a JSON object")
        return data


def _json_method_not_allowed(view):
    """ninja answers a wrong method with an HTML-typed 405; the API answers JSON only."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            response = _error(
                request,
                405,
                _("Method %(method)s is not allowed here. Allowed: %(allowed)s.")
                % {"method": request.method, "allowed": allowed},
                code="method_not_allowed",
            )
            response["Allow"] = allowed
        return response

    return wrapped


# The errors any operation can answer (the handlers below), and those only writes can.
COMMON_ERRORS = {
    "400": "Bad input: a rule of the domain refused it (see `errors`)",
    "401": "Not signed in: send 'Authorization: Bearer <token>'",
    "403": "Not allowed here",
    "404": "Not found, or not visible to you",
    "422": "The request does not match the schema (see `errors`)",
}
WRITE_ERRORS = {
    "409": "Conflicts with the record's state (e.g. already decided)",
    "413": "The body is too large",
}
REPLACE_ERRORS = {"412": "Changed since the version sent as If-Match"}


class DanvanAPI(NinjaAPI):
    def _get_urls(self):
        patterns = super()._get_urls()
        for pattern in patterns:
            pattern.callback = _json_method_not_allowed(pattern.callback)
        return patterns

    def get_openapi_schema(self, *args, **kwargs):
        """Every operation documents the errors it can answer, with their one shape."""
        schema = super().get_openapi_schema(*args, **kwargs)
        components = schema["components"].setdefault("schemas", {})
        error = Error.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(error.pop("$defs", {}), Error=error)
        ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for operations in schema["paths"].values():
            for method, operation in operations.items():
                errors = dict(COMMON_ERRORS)
                if method != "get":
                    errors |= WRITE_ERRORS
                if method in ("put", "patch"):
                    errors |= REPLACE_ERRORS
                responses = operation.setdefault("responses", {})
                for status, description in errors.items():
                    if status not in responses and int(status) not in responses:
                        responses[status] = {"description": description, "content": ref}
        return schema


api = DanvanAPI(
    title="danvan API",
    version="1",
    description=(
        "Mass-mobilization work: the area and organization tree, access, and the domain apps. "
        "Changing a record (PATCH, or a PUT that replaces one): send the ETag you read (a "
        "report section's `version`) as If-Match; the answer is 412 when someone changed it "
        "meanwhile. Without If-Match a PATCH changes only the fields it sends. Errors are JSON "
        "in one shape (`Error`): a message in the user's language, a code, and the fields."
    ),
    auth=[BearerToken(), Session()],
    urls_namespace="api",
    parser=JsonObjectParser(),
)


def _error(request, status: int, message, errors=None, code: str | None = None):
    body = {"message": str(message)}
    if code:
        body["code"] = code
    if errors:
        body["errors"] = errors
    return api.create_response(request, body, status=status)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    errors = [{"field": exc.field, "message": str(exc.message)}] if exc.field else None
    return _error(request, exc.status, exc.message, errors, exc.code)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    errors = []
    for err in exc.errors:
        loc = [str(part) for part in err.get("loc", ()) if part not in ("body", "payload")]
        errors.append({"field": ".".join(loc), "message": err.get("msg", "")})
    return _error(request, 422, _("The request is not valid."), errors, "invalid")


@api.exception_handler(AuthenticationError)
def auth_error(request, exc):
    return _error(
        request,
        401,
        _("Authentication required: sign in, or send 'Authorization: Bearer <token>'."),
        code="unauthenticated",
    )


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return _error(
        request, 403, str(exc) or _("You do not have permission to do this here."), code="forbidden"
    )


@api.exception_handler(Http404)
def not_found(request, exc):
    return _error(request, 404, _("Not found."), code="not_found")


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    return _error(request, exc.status_code, str(exc))


@api.exception_handler(Exception)
def server_error(request, exc):
    log.exception("API error on %s", request.path)
    return _error(request, 500, _("Internal error. It has been logged."), code="server_error")


def _mount() -> None:
    from danvan.accounts.api import router as accounts_router
    from danvan.democracy.api import router as democracy_router
    from danvan.emulation.api import router as emulation_router
    from danvan.org.api import router as org_router
    from danvan.plans.api import router as plans_router
    from danvan.reports.api import router as reports_router
    from danvan.situation.api import router as situation_router
    from danvan.voices.api import router as voices_router

    api.add_router("/", org_router)
    api.add_router("/", accounts_router)
    api.add_router("/emulation/", emulation_router)
    api.add_router("/voices/", voices_router)
    api.add_router("/plans/", plans_router)
    api.add_router("/reports/", reports_router)
    api.add_router("/democracy/", democracy_router)
    api.add_router("/situation/", situation_router)


_mount()
