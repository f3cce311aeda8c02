from .context import request_context


class RequestContextMiddleware:
    """Gives every request an id that its audit events carry."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if incoming.isalnum() and len(incoming) <= 64 else None
        with request_context(request_id):
            response = self.get_response(request)
        return response
