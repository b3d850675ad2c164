"""Form pieces every phase uses: the group a viewer may post to, tags, files, links."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from learnloop.core import access
from learnloop.core.models import Visibility


def postable_groups(viewer: Any) -> Any:
    from learnloop.people.models import Group

    qs = Group.objects.filter(archived_at__isnull=True)
    if not access.is_steward(viewer):
        qs = qs.filter(pk__in=sorted(access.group_ids(viewer)))
    return qs.order_by("name")


class ItemForm(forms.Form):
    """Base for forms that place an item in a group at a visibility level."""

    group: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Group"), empty_label=_("— the whole network —")
    )
    visibility = forms.ChoiceField(
        choices=Visibility.choices,
        initial=Visibility.NETWORK,
        label=_("Who can see it"),
        help_text=_(
            "Private draft: only you. Group: its members. Network: every member. "
            "Public: anyone, without logging in."
        ),
    )

    def __init__(self, *args: Any, viewer: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        self.fields["group"].queryset = postable_groups(viewer)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("visibility") == Visibility.GROUP and not data.get("group"):
            self.add_error("group", _("Choose the group that may see this."))
        return data


class TagsField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Tags"))
        kwargs.setdefault("help_text", _("Comma-separated, e.g. attendance, family engagement"))
        kwargs.setdefault("max_length", 500)
        super().__init__(**kwargs)


class LinksField(forms.CharField):
    """One URL per line."""

    widget = forms.Textarea(attrs={"rows": 2})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Links to evidence"))
        kwargs.setdefault("help_text", _("One web address per line."))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> list[str]:
        text = super().clean(value) or ""
        urls = [line.strip() for line in text.splitlines() if line.strip()]
        validate = URLValidator(schemes=["http", "https"])
        for url in urls:
            try:
                validate(url)
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("“%(url)s” is not a web address (it should start with https://)."),
                    params={"url": url},
                ) from None
        return urls


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Files"))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Add a comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=20000
    )
