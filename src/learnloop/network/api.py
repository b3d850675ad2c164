"""API for the network map."""

from ninja import Router

router = Router()
