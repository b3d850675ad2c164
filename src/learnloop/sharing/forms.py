from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learnloop.sharing.models import ChannelKind
from learnloop.sharing.selectors import channel_choices


class ChannelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        if obj.reaches_outside:
            return str(_("%(name)s (reaches beyond the network)") % {"name": obj.name})
        return obj.name


class ShareForm(forms.Form):
    audience = forms.CharField(
        label=_("Who did you share it with?"),
        max_length=200,
        help_text=_("e.g. the district's principals' meeting, or three parent leaders"),
    )
    channel = ChannelChoiceField(
        queryset=None,
        required=False,
        label=_("Channel"),
        empty_label=_("— none in particular —"),
    )
    shared_at = forms.DateField(
        label=_("Date shared"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Today if left empty."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("How you presented it, what you asked of them."),
    )
    response = forms.CharField(
        label=_("Response so far"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("You can add or change this later."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = channel_choices()  # type: ignore[attr-defined]
        self.fields["shared_at"].widget.attrs["max"] = timezone.localdate().isoformat()


class ResponseForm(forms.Form):
    response = forms.CharField(
        label=_("What came back"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Questions, objections, who wants to try it."),
    )


class ChannelForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=ChannelKind.choices, initial=ChannelKind.OTHER
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Who it reaches, how often, who looks after it."),
    )
    reaches_outside = forms.BooleanField(
        label=_("Reaches beyond the network"),
        required=False,
        help_text=_("Tick it for newsletters, public websites and meetings with outsiders."),
    )
