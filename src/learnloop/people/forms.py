from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.utils.translation import gettext_lazy as _

from learnloop.people.models import (
    Cadence,
    Group,
    GroupKind,
    Organization,
    Person,
    Role,
    StakeholderType,
)


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Username or email"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )


def _organization_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=Organization.objects.order_by("name"),
        required=False,
        label=_("Organization"),
        empty_label=_("— none —"),
    )


class ProfileFieldsMixin(forms.Form):
    """The profile fields every person has, in the order people think of them."""

    job_role = forms.CharField(
        label=_("Job role"),
        max_length=150,
        required=False,
        help_text=_("e.g. ninth-grade teacher, family liaison, program lead"),
    )
    organization = _organization_field()
    site = forms.CharField(
        label=_("Site"),
        max_length=150,
        required=False,
        help_text=_("Where you work: a school, clinic, office."),
    )
    stakeholder_type = forms.ChoiceField(
        label=_("Stakeholder type"), choices=StakeholderType.choices, initial=StakeholderType.STAFF
    )
    expertise = forms.CharField(
        label=_("Areas of expertise"),
        max_length=500,
        required=False,
        help_text=_("Comma-separated, e.g. family engagement, attendance data"),
    )


class ProfileForm(ProfileFieldsMixin):
    display_name = forms.CharField(label=_("Display name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    bio = forms.CharField(
        label=_("About"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you work on and what you would like to learn. Markdown works."),
    )
    field_order = [
        "display_name",
        "email",
        "job_role",
        "organization",
        "site",
        "stakeholder_type",
        "expertise",
        "bio",
    ]

    @classmethod
    def initial_for(cls, person: Person) -> dict[str, Any]:
        return {name: getattr(person, name) for name in cls.field_order}


class JoinForm(ProfileFieldsMixin):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("Letters, digits and @ . + - _ only. You log in with it or your email."),
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    display_name = forms.CharField(
        label=_("Your name as others see it"), max_length=150, required=False
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html,
    )
    password_again = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    field_order = [
        "username",
        "display_name",
        "password",
        "password_again",
        "job_role",
        "organization",
        "site",
        "stakeholder_type",
        "expertise",
    ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("password")
            and data.get("password_again")
            and data["password"] != data["password_again"]
        ):
            self.add_error("password_again", _("The two passwords differ."))
        return data


class StewardPersonForm(ProfileFieldsMixin):
    username = forms.CharField(label=_("Username"), max_length=150)
    email = forms.EmailField(
        label=_("Email"), help_text=_("We send a link to choose a password here.")
    )
    display_name = forms.CharField(label=_("Display name"), max_length=150, required=False)
    groups = forms.ModelMultipleChoiceField(
        queryset=Group.objects.filter(archived_at__isnull=True).order_by("name"),
        required=False,
        label=_("Groups"),
        widget=forms.CheckboxSelectMultiple,
    )
    field_order = [
        "username",
        "email",
        "display_name",
        "job_role",
        "organization",
        "site",
        "stakeholder_type",
        "expertise",
        "groups",
    ]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("What is the token for?"),
        max_length=100,
        required=False,
        help_text=_("e.g. weekly attendance import"),
    )


class OrganizationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    slug = forms.SlugField(
        label=_("Short name"),
        max_length=200,
        required=False,
        help_text=_("Used in the web address. Leave empty to make one from the name."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    slug = forms.SlugField(
        label=_("Short name"),
        max_length=200,
        required=False,
        help_text=_("Used in the web address. Leave empty to make one from the name."),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=GroupKind.choices,
        help_text=_(
            "Impact group: 5 to 15 people working on one aim. Team: people who work together. "
            "Cluster: a space that links groups."
        ),
    )
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the group is trying to learn or improve. Markdown works."),
    )
    cadence = forms.ChoiceField(
        label=_("Meeting cadence"), choices=Cadence.choices, initial=Cadence.FORTNIGHTLY
    )
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.order_by("name"),
        required=False,
        label=_("Lead organization"),
        empty_label=_("— none —"),
    )
    clusters = forms.ModelMultipleChoiceField(
        queryset=Group.objects.none(),
        required=False,
        label=_("Clusters it belongs to"),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, clusters: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clusters"].queryset = clusters  # type: ignore[attr-defined]


class MemberAddForm(forms.Form):
    person = forms.ModelChoiceField(
        queryset=Person.objects.none(), label=_("Person"), empty_label=_("— choose a person —")
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.MEMBER)

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Their email"))
    group = forms.ModelChoiceField(
        queryset=Group.objects.none(),
        required=False,
        label=_("Group to join"),
        empty_label=_("— the network only —"),
    )
    role = forms.ChoiceField(
        label=_("Role in the group"), choices=Role.choices, initial=Role.MEMBER
    )
    message = forms.CharField(
        label=_("Personal message"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A line or two about why you are inviting them."),
    )

    def __init__(self, *args: Any, groups: Any, steward: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["group"]
        field.queryset = groups  # type: ignore[attr-defined]
        if not steward:
            # Moderators invite into a group they moderate; only stewards invite network-wide.
            field.required = True
            field.empty_label = None  # type: ignore[attr-defined]
