from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def _todo(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return render(request, "core/ratelimited.html", {"message": "…"})


public_index = atom_feed = _todo
