"""Text from the network in one Unicode form, and no control characters.

Every GET and POST value and every string of a JSON body is turned into NFC before any view
sees it. A control character in a query string or a JSON body (the API) is answered with a
400 that names the parameter; in a form post, the form's fields refuse it with an error at
the field (core.text.reject_bad_characters on every CharField, clean_text in the services).
"""

import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, JsonResponse, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _

from .text import bad_characters, nfc, nfc_all


def _nfc_query(query: QueryDict) -> QueryDict:
    fresh = QueryDict(mutable=True, encoding=query.encoding)
    for key, values in query.lists():
        fresh.setlist(nfc(key), [nfc(v) for v in values])
    fresh._mutable = False
    return fresh


def _bad_paths(value, path: str = "") -> list[str]:
    if isinstance(value, str):
        return [path or "body"] if bad_characters(value) else []
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _bad_paths(v, f"{path}.{i}")]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _bad_paths(v, f"{path}.{k}".strip("."))]
    return []


def _refused(request, field: str):
    message = _("The parameter %(field)s holds invisible control characters.") % {"field": field}
    if request.path.startswith("/api/"):
        return JsonResponse({"message": message, "code": "invalid", "field": field}, status=400)
    from django.http import HttpResponseBadRequest

    return HttpResponseBadRequest(message)


class TextInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            # A body that is not a file upload and is over the limit is refused before
            # anything reads it (files stream to disk and have their own limits).
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            length = request.META.get("CONTENT_LENGTH") or "0"
            multipart = (request.content_type or "").startswith("multipart/")
            if limit and not multipart and length.isdigit() and int(length) > limit:
                raise RequestDataTooBig
            return self._checked(request)
        except RequestDataTooBig:
            message = _("The request is too large.")
            if request.path.startswith("/api/"):
                return JsonResponse({"message": message, "code": "too_large"}, status=413)
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")

    def _checked(self, request):
        for key, values in request.GET.lists():
            if any(bad_characters(v) for v in [key, *values]):
                return _refused(request, key)
        request.GET = _nfc_query(request.GET)
        if request.method in ("POST", "PUT", "PATCH"):
            content_type = request.content_type or ""
            if content_type == "application/json" and request.body:
                try:
                    data = json.loads(request.body)
                except (ValueError, UnicodeDecodeError):
                    data = None  # the API answers a malformed body itself
                if data is not None:
                    bad = _bad_paths(data)
                    if bad:
                        return _refused(request, bad[0])
                    request._body = json.dumps(nfc_all(data), ensure_ascii=False).encode()
            elif content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
                try:
                    request.POST = _nfc_query(request.POST)
                except MultiPartParserError:
                    if not request.path.startswith("/api/"):
                        raise  # Django's own 400 page
                    message = _("The request body could not be read.")
                    return JsonResponse({"message": message, "code": "invalid"}, status=400)
        return self.get_response(request)


class NoStoreMiddleware:
    """Nothing a signed-in user or the API is shown is kept by a browser or proxy cache:
    such pages may carry personal data (a complainant, a denouncer's identity). Public
    pages (the portal, tracking) and static files keep their own caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        private = request.path.startswith("/api/") or (user is not None and user.is_authenticated)
        if private and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-store"
        return response
