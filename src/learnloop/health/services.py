"""Writes for the health app: stewards set the thresholds behind the gaps list."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learnloop.core import access
from learnloop.core.services import audit
from learnloop.health.models import HealthSettings


@transaction.atomic
def health_settings_update(*, viewer: Any, **thresholds: int) -> HealthSettings:
    """Change any of the thresholds (steward only). Unknown names are a field error."""
    access.require_steward(viewer)
    unknown = sorted(set(thresholds) - set(HealthSettings.THRESHOLD_FIELDS))
    if unknown:
        raise ValidationError({name: _("There is no such threshold.") for name in unknown})
    cfg = HealthSettings.objects.select_for_update().filter(pk=1).first() or HealthSettings(pk=1)
    before = {name: getattr(cfg, name) for name in HealthSettings.THRESHOLD_FIELDS}
    for name, value in thresholds.items():
        setattr(cfg, name, value)
    cfg.updated_at = timezone.now()
    cfg.updated_by = viewer
    cfg.full_clean()
    cfg.save()
    changed = {
        name: [before[name], getattr(cfg, name)]
        for name in HealthSettings.THRESHOLD_FIELDS
        if before[name] != getattr(cfg, name)
    }
    audit(viewer, "health.settings_update", cfg, changed=changed)
    return cfg
