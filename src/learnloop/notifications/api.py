"""API for notifications and their settings."""

from ninja import Router

router = Router()
