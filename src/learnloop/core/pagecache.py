"""A short-lived, per-viewer cache of rendered pages and API answers.

Reads far outnumber writes in a learning network, and the busiest pages (the home feed, an
idea with its evidence, filtered lists) are costly to build. A page is cached under a key
made of everything that can change what it shows to *this* viewer — the path and query, the
session and CSRF cookies, the API token, htmx — and the network's *content version*.

Any change bumps the content version, so no viewer ever sees a page older than the last
write: every unsafe request that succeeds bumps it (this middleware), and so does every
service write (through `core.services.audit`) and the command line (demo, import). Pages
are also kept for at most PAGE_CACHE_SECONDS, so that relative times stay fresh.

What is never cached: anything but GET, answers other than 200, streamed files, answers
that set a new cookie (such as a first CSRF cookie, which must never be shared), and
requests with a flash message waiting. The cache never reaches the browser: pages keep their
ordinary no-cache headers.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

VERSION_KEY = "learnloop:content-version"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def content_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        # A fresh (or evicted) counter starts from the clock, so it never repeats a value
        # that keys still in the cache were built with.
        version = time.time_ns()
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY, version)
    return int(version)


def bump_content_version() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, time.time_ns(), timeout=None)


def _key(request: HttpRequest) -> str | None:
    if request.method != "GET" or not settings.PAGE_CACHE_SECONDS:
        return None
    parts = [
        request.get_full_path(),
        request.COOKIES.get(settings.SESSION_COOKIE_NAME, ""),
        request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
        request.headers.get("Authorization", ""),
        request.headers.get("HX-Request", ""),
        request.headers.get("HX-Target", ""),
        request.headers.get("Accept", "")[:40],
        str(content_version()),
    ]
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return f"learnloop:page:{digest}"


def _sets_new_cookie(request: HttpRequest, response: HttpResponse) -> bool:
    """Django re-sends the CSRF cookie with every page that uses it; that is harmless when
    the value is the one the browser already has. Any other cookie is a reason not to cache."""
    for name, morsel in response.cookies.items():
        if name != settings.CSRF_COOKIE_NAME or morsel.value != request.COOKIES.get(name):
            return True
    return False


def _cacheable(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or _sets_new_cookie(request, response):
        return False
    if "no-store" in response.get("Cache-Control", "") or getattr(
        response, "_page_cache_skip", False
    ):
        return False
    # A page that showed a flash message (or has one waiting) must not be replayed.
    messages = getattr(request, "_messages", None)
    return not (messages is not None and (messages.used or messages._queued_messages))


class PageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in SAFE_METHODS:
            response = self.get_response(request)
            if response.status_code < 400:
                bump_content_version()
            return response
        key = _key(request)
        if key is not None:
            hit = cache.get(key)
            if hit is not None:
                content, status, headers = hit
                response = HttpResponse(content, status=status)
                for name, value in headers:
                    response[name] = value
                return response
        response = self.get_response(request)
        if key is not None and _cacheable(request, response):
            cache.set(
                key,
                (response.content, response.status_code, list(response.items())),
                settings.PAGE_CACHE_SECONDS,
            )
        return response


def skip_page_cache(response: Any) -> Any:
    """Mark a response that must be rebuilt on every request."""
    response._page_cache_skip = True
    return response
