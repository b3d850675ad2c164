"""Writes for people and structure: accounts, tokens, invitations, groups, memberships."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify
from django.utils.translation import gettext as _

from learnloop.core import access
from learnloop.core.notify import email_address
from learnloop.core.services import audit
from learnloop.people.models import (
    ApiToken,
    Group,
    GroupKind,
    Invitation,
    Membership,
    Organization,
    Person,
    Role,
)
from learnloop.search.services import document_sync

PROFILE_FIELDS = (
    "display_name",
    "email",
    "job_role",
    "organization",
    "site",
    "stakeholder_type",
    "expertise",
    "bio",
)
GROUP_FIELDS = ("name", "slug", "kind", "purpose", "cadence", "organization")
ORGANIZATION_FIELDS = ("name", "slug", "description", "website")


def _clean_text(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


# Tokens --------------------------------------------------------------------------------


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
        raise PermissionDenied
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit(viewer, "revoked an API token", token)


# People --------------------------------------------------------------------------------


def _check_email_free(email: str, *, exclude_pk: int | None = None) -> None:
    if not email:
        return
    qs = Person.objects.filter(email__iexact=email)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        raise ValidationError({"email": _("Someone already uses this email address.")})


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
    email = email.strip()
    if not username:
        raise ValidationError({"username": _("Choose a username.")})
    if Person.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is taken.")})
    _check_email_free(email)
    person = Person(
        username=username,
        email=email,
        display_name=display_name.strip(),
        is_steward=is_steward,
        **{k: _clean_text(v) for k, v in profile.items()},
    )
    if password:
        try:
            validate_password(password, person)
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages}) from None
        person.set_password(password)
    else:
        person.set_unusable_password()
    person.full_clean(exclude=["password"])
    person.save()
    document_sync(item=person)
    return person


@transaction.atomic
def person_update(*, viewer: Any, person: Person, **fields: Any) -> Person:
    """Change profile fields: one's own, or anyone's for a steward."""
    if not access.is_member(viewer) or not (person.pk == viewer.pk or access.is_steward(viewer)):
        raise PermissionDenied
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    if "email" in fields:
        fields["email"] = (fields["email"] or "").strip()
        _check_email_free(fields["email"], exclude_pk=person.pk)
    changed = []
    for name, value in fields.items():
        if value is None and name != "organization":
            value = ""
        value = _clean_text(value)
        if getattr(person, name) != value:
            setattr(person, name, value)
            changed.append(name)
    if changed:
        person.full_clean(exclude=["password"])
        person.save(update_fields=changed)
        document_sync(item=person)
        audit(viewer, "updated a profile", person, fields=sorted(changed))
    return person


def _other_active_stewards(person: Person) -> bool:
    return Person.objects.filter(is_active=True, is_steward=True).exclude(pk=person.pk).exists()


@transaction.atomic
def person_set_steward(*, viewer: Any, person: Person, is_steward: bool) -> Person:
    access.require_steward(viewer)
    if not is_steward and person.is_steward and not _other_active_stewards(person):
        raise ValidationError(
            {"is_steward": _("The network needs at least one steward. Name another one first.")}
        )
    if person.is_steward != is_steward:
        person.is_steward = is_steward
        person.save(update_fields=["is_steward"])
        audit(viewer, "made steward" if is_steward else "removed steward", person)
    return person


@transaction.atomic
def person_set_active(*, viewer: Any, person: Person, active: bool) -> Person:
    """Deactivate (they can no longer log in or use tokens; their contributions stay) or
    reactivate someone. Stewards only, and never oneself."""
    access.require_steward(viewer)
    if person.pk == viewer.pk and not active:
        raise ValidationError(
            {"is_active": _("You cannot deactivate yourself. Ask another steward.")}
        )
    if person.is_active != active:
        person.is_active = active
        person.save(update_fields=["is_active"])
        document_sync(item=person)
        audit(viewer, "reactivated" if active else "deactivated", person)
    return person


def password_set_link(person: Person) -> str:
    """A one-time link to choose a password, through Django's password reset machinery."""
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    token = default_token_generator.make_token(person)
    return settings.SITE_URL + reverse(
        "password_reset_confirm", kwargs={"uidb64": uid, "token": token}
    )


@transaction.atomic
def steward_create_person(
    *,
    viewer: Any,
    username: str,
    email: str,
    display_name: str = "",
    groups: Iterable[Group] = (),
    **profile: Any,
) -> Person:
    """A steward signs someone up directly; they get an email with a link to set a password."""
    access.require_steward(viewer)
    if not email.strip():
        raise ValidationError({"email": _("We need an email address to send the welcome.")})
    person = person_create(username=username, email=email, display_name=display_name, **profile)
    for group in groups:
        _membership_put(person=person, group=group, role=Role.MEMBER)
    audit(viewer, "created a person", person, groups=[g.pk for g in groups])
    email_address(
        to=person.email,
        subject=_("Welcome to %(network)s: choose your password") % {"network": _network()},
        template="people/email/welcome.txt",
        context={
            "person": person,
            "link": password_set_link(person),
            "invited_by": viewer,
            "network": _network(),
        },
    )
    return person


def _network() -> str:
    return str(settings.NETWORK_NAME)


# Organizations -------------------------------------------------------------------------


def _unique_slug(model: Any, name: str, slug: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(slug or name)[:180]
    if not base:
        raise ValidationError({"slug": _("Give a short name made of letters or numbers.")})
    qs = model.objects.all()
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    if slug:  # a slug chosen by hand must be free, not silently changed
        if qs.filter(slug=base).exists():
            raise ValidationError({"slug": _("This short name is taken.")})
        return base
    candidate, n = base, 2
    while qs.filter(slug=candidate).exists():
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _check_name_free(model: Any, name: str, *, exclude_pk: int | None = None) -> None:
    qs = model.objects.filter(name__iexact=name)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        raise ValidationError({"name": _("This name is taken.")})


@transaction.atomic
def organization_create(
    *, viewer: Any, name: str, slug: str = "", description: str = "", website: str = ""
) -> Organization:
    access.require_steward(viewer)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the organization a name.")})
    _check_name_free(Organization, name)
    organization = Organization(
        name=name,
        slug=_unique_slug(Organization, name, slug.strip()),
        description=description.strip(),
        website=website.strip(),
    )
    organization.full_clean()
    organization.save()
    audit(viewer, "created an organization", organization)
    return organization


@transaction.atomic
def organization_update(*, viewer: Any, organization: Organization, **fields: Any) -> Organization:
    access.require_steward(viewer)
    unknown = set(fields) - set(ORGANIZATION_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    fields = {k: _clean_text(v) or "" for k, v in fields.items()}
    if "name" in fields:
        if not fields["name"]:
            raise ValidationError({"name": _("Give the organization a name.")})
        _check_name_free(Organization, fields["name"], exclude_pk=organization.pk)
    if fields.get("slug") and fields["slug"] != organization.slug:
        fields["slug"] = _unique_slug(
            Organization, organization.name, fields["slug"], exclude_pk=organization.pk
        )
    else:
        fields.pop("slug", None)
    changed = [k for k, v in fields.items() if getattr(organization, k) != v]
    for name in changed:
        setattr(organization, name, fields[name])
    if changed:
        organization.full_clean()
        organization.save(update_fields=changed)
        audit(viewer, "updated an organization", organization, fields=sorted(changed))
    return organization


# Groups --------------------------------------------------------------------------------


def _check_choice(field: str, value: str, choices: Any) -> None:
    if value not in choices.values:
        raise ValidationError({field: _("Choose one of the options.")})


@transaction.atomic
def group_create(
    *,
    viewer: Any,
    name: str,
    slug: str = "",
    kind: str = GroupKind.IMPACT,
    purpose: str = "",
    cadence: str = "fortnightly",
    organization: Organization | None = None,
    clusters: Iterable[Group] | None = None,
) -> Group:
    access.require_steward(viewer)
    from learnloop.people.models import Cadence

    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the group a name.")})
    _check_choice("kind", kind, GroupKind)
    _check_choice("cadence", cadence, Cadence)
    _check_name_free(Group, name)
    group = Group(
        name=name,
        slug=_unique_slug(Group, name, slug.strip()),
        kind=kind,
        purpose=purpose.strip(),
        cadence=cadence,
        organization=organization,
    )
    group.full_clean()
    group.save()
    audit(viewer, "created a group", group)
    if clusters:
        group_link_clusters(viewer=viewer, group=group, clusters=clusters)
    return group


@transaction.atomic
def group_update(
    *, viewer: Any, group: Group, clusters: Iterable[Group] | None = None, **fields: Any
) -> Group:
    access.require_steward(viewer)
    from learnloop.people.models import Cadence

    unknown = set(fields) - set(GROUP_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    fields = {k: _clean_text(v) for k, v in fields.items()}
    if "name" in fields:
        if not fields["name"]:
            raise ValidationError({"name": _("Give the group a name.")})
        _check_name_free(Group, fields["name"], exclude_pk=group.pk)
    if "kind" in fields:
        _check_choice("kind", fields["kind"], GroupKind)
        if (
            group.kind == GroupKind.CLUSTER
            and fields["kind"] != GroupKind.CLUSTER
            and group.linked_groups.exists()
        ):
            raise ValidationError(
                {"kind": _("Unlink the groups in this cluster before changing its kind.")}
            )
    if "cadence" in fields:
        _check_choice("cadence", fields["cadence"], Cadence)
    if fields.get("slug") and fields["slug"] != group.slug:
        fields["slug"] = _unique_slug(Group, group.name, fields["slug"], exclude_pk=group.pk)
    else:
        fields.pop("slug", None)
    for text in ("purpose",):
        if text in fields and fields[text] is None:
            fields[text] = ""
    changed = [k for k, v in fields.items() if getattr(group, k) != v]
    for name in changed:
        setattr(group, name, fields[name])
    if changed:
        group.full_clean()
        group.save(update_fields=changed)
        audit(viewer, "updated a group", group, fields=sorted(changed))
    if clusters is not None:
        group_link_clusters(viewer=viewer, group=group, clusters=clusters)
    return group


@transaction.atomic
def group_archive(*, viewer: Any, group: Group, archive: bool = True) -> Group:
    """Archived groups leave lists and pickers; their members and records stay."""
    access.require_steward(viewer)
    if archive and group.archived_at is None:
        group.archived_at = timezone.now()
    elif not archive and group.archived_at is not None:
        group.archived_at = None
    else:
        return group
    group.save(update_fields=["archived_at"])
    audit(viewer, "archived a group" if archive else "restored a group", group)
    return group


@transaction.atomic
def group_link_clusters(*, viewer: Any, group: Group, clusters: Iterable[Group]) -> Group:
    """Set the clusters a group belongs to (replacing the earlier set)."""
    access.require_steward(viewer)
    clusters = list(clusters)
    for cluster in clusters:
        if cluster.kind != GroupKind.CLUSTER:
            raise ValidationError(
                {"clusters": _("“%(name)s” is not a cluster.") % {"name": cluster.name}}
            )
        if cluster.pk == group.pk:
            raise ValidationError({"clusters": _("A cluster cannot contain itself.")})
    before = set(group.clusters.values_list("pk", flat=True))
    after = {c.pk for c in clusters}
    if before != after:
        group.clusters.set(clusters)
        audit(viewer, "linked clusters", group, clusters=sorted(after))
    return group


# Memberships ---------------------------------------------------------------------------


def _membership_put(*, person: Person, group: Group, role: str) -> tuple[Membership, bool]:
    membership, created = Membership.objects.get_or_create(
        person=person, group=group, defaults={"role": role}
    )
    if not created and membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    access.forget_memberships(person)
    return membership, created


@transaction.atomic
def membership_set(
    *, viewer: Any, person: Person, group: Any, role: str = Role.MEMBER
) -> Membership:
    """Add someone to a group or change their role there (stewards and the group's moderators)."""
    if not access.can_moderate_group(viewer, group.pk):
        raise PermissionDenied
    if role not in Role.values:
        raise ValidationError({"role": _("Choose member or moderator.")})
    if not person.is_active:
        raise ValidationError({"person": _("This person's account is deactivated.")})
    membership, created = _membership_put(person=person, group=group, role=role)
    audit(
        viewer, "added to group" if created else "changed role", group, person=person.pk, role=role
    )
    return membership


@transaction.atomic
def membership_remove(*, viewer: Any, person: Person, group: Group) -> None:
    """Remove someone from a group: stewards and its moderators may; anyone may leave."""
    if not access.is_member(viewer):
        raise PermissionDenied
    leaving = person.pk == viewer.pk
    if not leaving and not access.can_moderate_group(viewer, group.pk):
        raise PermissionDenied
    membership = Membership.objects.filter(person=person, group=group).first()
    if membership is None:
        raise ValidationError({"person": _("This person is not in the group.")})
    membership.delete()
    access.forget_memberships(person)
    if leaving:
        access.forget_memberships(viewer)
    audit(viewer, "left group" if leaving else "removed from group", group, person=person.pk)


# Invitations ---------------------------------------------------------------------------


@transaction.atomic
def invitation_create(
    *,
    viewer: Any,
    email: str,
    group: Group | None = None,
    role: str = Role.MEMBER,
    message: str = "",
) -> Invitation:
    """Invite someone by email. Stewards may invite into any group (or none); a moderator
    may invite into the groups they moderate."""
    if not access.is_member(viewer):
        raise PermissionDenied
    if group is None:
        access.require_steward(viewer)
    elif not access.can_moderate_group(viewer, group.pk):
        raise PermissionDenied
    if group is not None and group.archived_at is not None:
        raise ValidationError({"group": _("This group is archived.")})
    if role not in Role.values:
        raise ValidationError({"role": _("Choose member or moderator.")})
    email = email.strip()
    if Person.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            {"email": _("Someone with this email is already a member. Add them to the group.")}
        )
    invitation = Invitation(
        email=email, group=group, role=role, message=message.strip(), invited_by=viewer
    )
    invitation.full_clean()
    invitation.save()
    audit(viewer, "invited", invitation, email=email, group=group.pk if group else None)
    email_address(
        to=email,
        subject=_("%(name)s invites you to %(network)s")
        % {"name": viewer.name, "network": _network()},
        template="people/email/invitation.txt",
        context={
            "invitation": invitation,
            "link": invitation_link(invitation),
            "invited_by": viewer,
            "network": _network(),
        },
    )
    return invitation


def invitation_link(invitation: Invitation) -> str:
    return settings.SITE_URL + invitation.get_absolute_url()


@transaction.atomic
def invitation_revoke(*, viewer: Any, invitation: Invitation) -> Invitation:
    if not (access.is_steward(viewer) or invitation.invited_by_id == getattr(viewer, "pk", None)):
        raise PermissionDenied
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation was already used."))
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit(viewer, "revoked an invitation", invitation)
    return invitation


@transaction.atomic
def invitation_accept(
    *,
    invitation: Invitation,
    username: str,
    password: str,
    display_name: str = "",
    **profile: Any,
) -> Person:
    """Create the account an invitation allows, add the membership it names, use it up."""
    # Lock the row: two tabs submitting the same link must not make two accounts.
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("group")
        .get(pk=invitation.pk)
    )
    if not invitation.is_usable:
        raise ValidationError(_("This invitation can no longer be used."))
    if not password:
        raise ValidationError({"password": _("Choose a password.")})
    person = person_create(
        username=username,
        email=invitation.email,
        password=password,
        display_name=display_name,
        **profile,
    )
    if invitation.group is not None and invitation.group.archived_at is None:
        _membership_put(person=person, group=invitation.group, role=invitation.role)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = person
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit(person, "accepted an invitation", invitation)
    return person
