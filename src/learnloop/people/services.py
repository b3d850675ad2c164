"""Writes for people and structure: accounts, tokens, invitations, groups, memberships."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learnloop.core import access
from learnloop.core.services import audit
from learnloop.people.models import ApiToken, Membership, Person, Role


def token_authenticate(*, raw: str) -> Person | None:
    if not raw.startswith(ApiToken.PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("person")
        .filter(key_hash=ApiToken.hash(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.person.is_active:
        return None
    now = timezone.now()
    # Write at most once a minute per token: a busy script must not turn reads into writes.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.person


@transaction.atomic
def token_create(*, person: Person, name: str) -> tuple[ApiToken, str]:
    """Return the token row and the raw token, which is shown once and never stored."""
    name = name.strip() or _("API token")
    raw = ApiToken.generate()
    token = ApiToken.objects.create(
        person=person, name=name[:100], key_hash=ApiToken.hash(raw), hint=raw[:7]
    )
    audit(person, "created an API token", token)
    return token, raw


@transaction.atomic
def token_revoke(*, viewer: Any, token: ApiToken) -> None:
    if token.person_id != viewer.pk and not access.is_steward(viewer):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])


@transaction.atomic
def person_create(
    *,
    username: str,
    email: str,
    password: str | None = None,
    display_name: str = "",
    is_steward: bool = False,
    **profile: Any,
) -> Person:
    username = username.strip()
    if Person.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is taken.")})
    if email and Person.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("Someone already uses this email address.")})
    person = Person(
        username=username,
        email=email.strip(),
        display_name=display_name.strip(),
        is_steward=is_steward,
        **profile,
    )
    if password:
        validate_password(password, person)
        person.set_password(password)
    else:
        person.set_unusable_password()
    person.full_clean(exclude=["password"])
    person.save()
    return person


@transaction.atomic
def membership_set(
    *, viewer: Any, person: Person, group: Any, role: str = Role.MEMBER
) -> Membership:
    """Add someone to a group or change their role there (stewards and the group's moderators)."""
    if not access.can_moderate_group(viewer, group.pk):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    if role not in Role.values:
        raise ValidationError({"role": _("Choose member or moderator.")})
    membership, created = Membership.objects.get_or_create(
        person=person, group=group, defaults={"role": role}
    )
    if not created and membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    access.forget_memberships(person)
    audit(
        viewer, "added to group" if created else "changed role", group, person=person.pk, role=role
    )
    return membership
