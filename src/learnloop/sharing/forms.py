from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learnloop.core.models import Visibility
from learnloop.sharing.broker_selectors import audience_choices
from learnloop.sharing.models import ChannelKind, Sphere
from learnloop.sharing.selectors import channel_choices


class ChannelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        if obj.reaches_outside:
            return str(_("%(name)s (reaches beyond the network)") % {"name": obj.name})
        return obj.name


class AudienceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        label = _("%(name)s (%(sphere)s)")
        return str(label % {"name": obj.name, "sphere": obj.get_sphere_display()})


SPHERE_CHOICES = [("", _("— not said —")), *Sphere.choices]


class ShareForm(forms.Form):
    """Record a share. A broker (`author` given) may pick one of their audiences, whose
    sphere then follows; anyone may type an audience and say which sphere it lies in."""

    broker_audience = AudienceChoiceField(
        queryset=None,
        required=False,
        label=_("One of your audiences"),
        empty_label=_("— another audience —"),
        help_text=_("The audiences you reach as a broker. Or type another one below."),
    )
    audience = forms.CharField(
        label=_("Who did you share it with?"),
        max_length=200,
        help_text=_("e.g. the district's principals' meeting, or three parent leaders"),
    )
    sphere = forms.ChoiceField(
        label=_("How far beyond the group"),
        choices=SPHERE_CHOICES,
        required=False,
        help_text=_(
            "Other groups and teams in the network, partner organizations, or the wider "
            "field. Follows your audience when you pick one."
        ),
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

    def __init__(self, *args: Any, author: Any = None, product: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = channel_choices()  # type: ignore[attr-defined]
        self.fields["shared_at"].widget.attrs["max"] = timezone.localdate().isoformat()
        audiences = audience_choices(author) if author is not None else None
        if audiences is not None and audiences.exists():
            self.fields["broker_audience"].queryset = audiences  # type: ignore[attr-defined]
            self.fields["audience"].required = False
            self.fields["audience"].label = _("Or another audience")
        else:
            del self.fields["broker_audience"]
        if product is not None and product.visibility != Visibility.PUBLIC:
            self.fields["sphere"].help_text = _(
                "Other groups and teams in the network, partner organizations, or the wider "
                "field. This product is not public: partners and the field cannot open it."
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        picked = data.get("broker_audience")
        typed = " ".join((data.get("audience") or "").split())
        if picked is not None and typed and typed.casefold() != picked.name.casefold():
            self.add_error(
                "audience", _("Pick one of your audiences or type another one, not both.")
            )
        elif picked is None and not typed and "audience" not in self.errors:
            self.add_error("audience", _("Say who you shared it with."))
        return data


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
