"""API for impact groups: meetings, agendas, moderator tools."""

from ninja import Router

router = Router()
