from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def _todo(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return render(request, "core/ratelimited.html", {"message": "…"})


plan_list = plan_detail = _todo
