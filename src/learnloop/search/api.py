"""The JSON API for search: /api/v1/search, related items, similar drafts, themes."""

from ninja import Router

router = Router()
