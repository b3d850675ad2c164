"""Placeholder: being written."""

from django.http import Http404, HttpRequest, HttpResponse


def _todo(request: HttpRequest, pk: int = 0) -> HttpResponse:
    raise Http404
version_detail = _todo
