"""The real URLs plus /bench/hello/: a bare Django view through the same middleware."""

from django.http import HttpResponse
from django.urls import path

from danvan.urls import handler404, handler500  # noqa: F401
from danvan.urls import urlpatterns as real_patterns


def hello(request):
    return HttpResponse(b"hello", content_type="text/plain")


urlpatterns = [path("bench/hello/", hello, name="bench_hello"), *real_patterns]
