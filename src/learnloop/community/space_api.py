"""API for creation spaces, follows, suggestions and opportunity narratives."""

from ninja import Router

router = Router()
