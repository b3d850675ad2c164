"""Forms for notification settings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from learnloop.notifications.models import DigestRhythm, NotificationKind, NotificationSettings


class SettingsForm(forms.Form):
    email_enabled = forms.BooleanField(
        label=_("Send me email"),
        required=False,
        help_text=_("Off stops every email from us except password resets."),
    )
    emailed_kinds = forms.MultipleChoiceField(
        label=_("Email me about"),
        choices=NotificationKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Whatever you leave unticked still shows in your notifications here."),
    )
    digest_rhythm = forms.ChoiceField(
        label=_("Digest by email"),
        choices=DigestRhythm.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "One email with what is new in your groups, what matured, and what waits for "
            "your vote or review."
        ),
    )

    @classmethod
    def for_settings(cls, found: NotificationSettings, data: Any = None) -> SettingsForm:
        initial = {
            "email_enabled": found.email_enabled,
            "emailed_kinds": [k for k in NotificationKind.values if k not in found.muted_kinds],
            "digest_rhythm": found.digest_rhythm,
        }
        return cls(data, initial=initial)

    def muted_kinds(self) -> list[str]:
        chosen = set(self.cleaned_data["emailed_kinds"])
        return [k for k in NotificationKind.values if k not in chosen]
