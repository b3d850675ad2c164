"""LearnLoop's URLs plus `/bench/bare`: the floor every other page is compared with.

The bare view is what a minimal Django page costs on this machine with LearnLoop's
middleware, session and database: it reads the signed-in person (as every member page
does) and lists 20 rows of one table with a plain template, no base layout, no joins.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import include, path

from learnloop.core.pagecache import skip_page_cache
from learnloop.generation.models import Learning


def bare(request: HttpRequest) -> HttpResponse:
    # Newest by primary key: an index walk, so the floor is Django's cost, not a sort.
    rows = Learning.objects.only("id", "title", "created_at").order_by("-id")[:20]
    # The floor is plain Django: LearnLoop's page cache is not allowed to serve it.
    return skip_page_cache(render(request, "bench/bare.html", {"rows": rows, "who": request.user}))


urlpatterns = [
    path("bench/bare", bare, name="bench_bare"),
    path("", include("learnloop.urls")),
]
