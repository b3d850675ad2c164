from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def _todo(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return render(request, "core/ratelimited.html", {"message": "…"})


product_list = product_detail = _todo
