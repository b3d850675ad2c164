from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def _todo(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return render(request, "core/ratelimited.html", {"message": "…"})


person_list = person_detail = group_list = group_detail = organization_detail = _todo
accept_invitation = steward = _todo
