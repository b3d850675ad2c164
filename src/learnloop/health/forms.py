from __future__ import annotations

from django import forms

from learnloop.health.models import HealthSettings


class HealthSettingsForm(forms.ModelForm):
    class Meta:
        model = HealthSettings
        fields = list(HealthSettings.THRESHOLD_FIELDS)
        widgets = {name: forms.NumberInput(attrs={"min": 1}) for name in fields}
