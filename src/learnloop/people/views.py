"""Pages for people and structure. Thin: parse, authorize, call one service or selector,
render. Every page here is for members only; anonymous visitors are sent to log in (except
the join page, which is how someone becomes a member)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from learnloop.core import access
from learnloop.core.http import Request
from learnloop.core.viewtools import apply_errors, int_param, paginate
from learnloop.people import selectors, services
from learnloop.people.forms import (
    GroupForm,
    InvitationForm,
    JoinForm,
    MemberAddForm,
    OrganizationForm,
    ProfileForm,
    RoleForm,
    StewardPersonForm,
    TokenForm,
)
from learnloop.people.models import GroupKind, Person, Role, StakeholderType


def _members_only(request: Request) -> None:
    # login_required lets deactivated sessions through in theory; this closes the gap.
    access.require_member(request.user)


def _back_to(request: Request, person: Person) -> HttpResponse:
    if request.POST.get("next") == "stewardship":
        return redirect("people:steward")
    return redirect(person)


def _error_message(request: Request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


# People --------------------------------------------------------------------------------


@login_required
def person_list(request: Request) -> HttpResponse:
    _members_only(request)
    people = selectors.person_list(
        viewer=request.user,
        q=request.GET.get("q", "").strip() or None,
        organization=int_param(request, "organization"),
        stakeholder_type=request.GET.get("stakeholder_type") or None,
        group=int_param(request, "group"),
    )
    context = {
        "page": paginate(request, people, per_page=30),
        "organizations": selectors.organization_list(viewer=request.user),
        "groups": selectors.group_list(viewer=request.user),
        "stakeholder_types": StakeholderType.choices,
        "can_invite": selectors.moderated_groups(request.user).exists(),
    }
    template = "people/_person_rows.html" if request.htmx else "people/person_list.html"
    return render(request, template, context)


def _profile_context(request: Request, person: Person, **extra: Any) -> dict[str, Any]:
    from learnloop.generation.selectors import learning_list

    is_self = person.pk == request.user.pk
    return {
        "person": person,
        "is_self": is_self,
        "memberships": list(person.memberships.all()),
        "learnings": learning_list(viewer=request.user, author=person.pk)[:10],
        "tokens": selectors.token_list(person) if is_self else [],
        "token_form": TokenForm() if is_self else None,
        **extra,
    }


@login_required
def person_detail(request: Request, username: str) -> HttpResponse:
    person = selectors.get_person_for(request.user, username)
    return render(request, "people/person_detail.html", _profile_context(request, person))


@login_required
def person_edit(request: Request, username: str) -> HttpResponse:
    person = selectors.get_person_for(request.user, username, write=True)
    form = ProfileForm(request.POST or None, initial=ProfileForm.initial_for(person))
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(viewer=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Profile saved."))
            return redirect(person)
    return render(request, "people/person_form.html", {"form": form, "person": person})


@login_required
@require_POST
def person_set_steward(request: Request, username: str) -> HttpResponse:
    access.require_steward(request.user)
    person = selectors.get_person_for(request.user, username)
    make = request.POST.get("steward") == "1"
    try:
        services.person_set_steward(viewer=request.user, person=person, is_steward=make)
    except ValidationError as exc:
        _error_message(request, exc)
    else:
        messages.success(
            request,
            (_("%(name)s is now a steward.") if make else _("%(name)s is no longer a steward."))
            % {"name": person.name},
        )
    return _back_to(request, person)


@login_required
@require_POST
def person_set_active(request: Request, username: str) -> HttpResponse:
    access.require_steward(request.user)
    person = selectors.get_person_for(request.user, username)
    active = request.POST.get("active") == "1"
    try:
        services.person_set_active(viewer=request.user, person=person, active=active)
    except ValidationError as exc:
        _error_message(request, exc)
    else:
        messages.success(
            request,
            (
                _("%(name)s can log in again.")
                if active
                else _("%(name)s is deactivated. Everything they contributed stays.")
            )
            % {"name": person.name},
        )
    return _back_to(request, person)


@login_required
def person_create(request: Request) -> HttpResponse:
    access.require_steward(request.user)
    form = StewardPersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            person = services.steward_create_person(viewer=request.user, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s is signed up. We emailed them a link to choose a password.")
                % {"name": person.name},
            )
            return redirect(person)
    return render(request, "people/person_create.html", {"form": form})


# Tokens --------------------------------------------------------------------------------


@login_required
@require_POST
def token_create(request: Request) -> HttpResponse:
    _members_only(request)
    form = TokenForm(request.POST)
    form.is_valid()
    token, raw = services.token_create(person=request.user, name=form.cleaned_data.get("name", ""))
    # Not a redirect: the raw token exists only in this response and is never shown again.
    return render(request, "people/token_created.html", {"token": token, "raw": raw})


@login_required
@require_POST
def token_revoke(request: Request, pk: int) -> HttpResponse:
    token = selectors.get_token_for(request.user, pk)
    services.token_revoke(viewer=request.user, token=token)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect(reverse("people:person", args=[request.user.username]) + "#tokens")


# Organizations -------------------------------------------------------------------------


@login_required
def organization_list(request: Request) -> HttpResponse:
    _members_only(request)
    return render(
        request,
        "people/organization_list.html",
        {"organizations": selectors.organization_list(viewer=request.user)},
    )


@login_required
def organization_detail(request: Request, slug: str) -> HttpResponse:
    organization = selectors.get_organization_for(request.user, slug)
    return render(
        request,
        "people/organization_detail.html",
        {
            "organization": organization,
            "people": selectors.organization_people(organization),
            "groups": selectors.organization_groups(organization),
        },
    )


@login_required
def organization_create(request: Request) -> HttpResponse:
    access.require_steward(request.user)
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organization = services.organization_create(viewer=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Organization added."))
            return redirect(organization)
    return render(request, "people/organization_form.html", {"form": form})


@login_required
def organization_edit(request: Request, slug: str) -> HttpResponse:
    organization = selectors.get_organization_for(request.user, slug)
    access.require_steward(request.user)
    fields = ("name", "slug", "description", "website")
    form = OrganizationForm(
        request.POST or None, initial={f: getattr(organization, f) for f in fields}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.organization_update(
                viewer=request.user, organization=organization, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Organization saved."))
            return redirect(organization)
    return render(
        request, "people/organization_form.html", {"form": form, "organization": organization}
    )


# Groups --------------------------------------------------------------------------------


@login_required
def group_list(request: Request) -> HttpResponse:
    _members_only(request)
    kind = request.GET.get("kind") or None
    archived = request.GET.get("archived") == "1" and access.is_steward(request.user)
    groups = selectors.group_list(
        viewer=request.user,
        kind=kind,
        include_archived=archived,
        q=request.GET.get("q", "").strip() or None,
    )
    return render(
        request,
        "people/group_list.html",
        {
            "groups": groups,
            "kinds": GroupKind.choices,
            "my_group_ids": access.group_ids(request.user),
        },
    )


@login_required
def group_detail(request: Request, slug: str) -> HttpResponse:
    from learnloop.generation.selectors import learning_list, question_list
    from learnloop.sharing.selectors import activity_feed, public_group_exists

    group = selectors.get_group_for(request.user, slug)
    members = selectors.group_members(group)
    can_manage = access.can_moderate_group(request.user, group.pk)
    return render(
        request,
        "people/group_detail.html",
        {
            "group": group,
            "members": members,
            "moderators": [m for m in members if m.role == Role.MODERATOR],
            # A real membership: taking part in a cluster through one's group is not one.
            "is_in_group": any(m.person_id == request.user.pk for m in members),
            "has_public_work": public_group_exists(group.slug),
            "can_manage": can_manage,
            "add_form": MemberAddForm(people=selectors.addable_people(group))
            if can_manage
            else None,
            "roles": Role.choices,
            "clusters": selectors.group_clusters(group),
            "linked_groups": selectors.cluster_groups(group),
            "feed": activity_feed(viewer=request.user, group=group.pk, limit=20),
            "questions": question_list(viewer=request.user, group=group.pk, open_only=True)[:5],
            "learnings": learning_list(viewer=request.user, group=group.pk)[:5],
        },
    )


def _group_form(request: Request, group: Any = None) -> GroupForm:
    initial: dict[str, Any] = {}
    if group is not None:
        initial = {f: getattr(group, f) for f in ("name", "slug", "kind", "purpose", "cadence")}
        initial["organization"] = group.organization_id
        initial["clusters"] = list(group.clusters.values_list("pk", flat=True))
    return GroupForm(
        request.POST or None,
        initial=initial,
        clusters=selectors.cluster_choices(exclude=group),
    )


@login_required
def group_create(request: Request) -> HttpResponse:
    access.require_steward(request.user)
    form = _group_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.group_create(viewer=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Group created. Add its first members below."))
            return redirect(group)
    return render(request, "people/group_form.html", {"form": form})


@login_required
def group_edit(request: Request, slug: str) -> HttpResponse:
    group = selectors.get_group_for(request.user, slug)
    access.require_steward(request.user)
    form = _group_form(request, group)
    if request.method == "POST" and form.is_valid():
        try:
            services.group_update(viewer=request.user, group=group, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Group saved."))
            return redirect(group)
    return render(request, "people/group_form.html", {"form": form, "group": group})


@login_required
@require_POST
def group_archive(request: Request, slug: str) -> HttpResponse:
    group = selectors.get_group_for(request.user, slug)
    archive = request.POST.get("archive", "1") == "1"
    services.group_archive(viewer=request.user, group=group, archive=archive)
    messages.success(
        request,
        _("Group archived. Its members and records stay.") if archive else _("Group restored."),
    )
    return redirect(group)


@login_required
@require_POST
def group_member_add(request: Request, slug: str) -> HttpResponse:
    group = selectors.get_group_for(request.user, slug, manage=True)
    form = MemberAddForm(request.POST, people=selectors.addable_people(group))
    if form.is_valid():
        person = form.cleaned_data["person"]
        try:
            services.membership_set(
                viewer=request.user, person=person, group=group, role=form.cleaned_data["role"]
            )
        except ValidationError as exc:
            _error_message(request, exc)
        else:
            messages.success(request, _("%(name)s joined the group.") % {"name": person.name})
    else:
        messages.error(request, _("Choose a person who is not yet in the group, and a role."))
    return redirect(reverse("people:group", args=[group.slug]) + "#members")


@login_required
@require_POST
def group_member_role(request: Request, slug: str, username: str) -> HttpResponse:
    group = selectors.get_group_for(request.user, slug, manage=True)
    person = selectors.get_group_member(group, username)
    form = RoleForm(request.POST)
    if form.is_valid():
        services.membership_set(
            viewer=request.user, person=person, group=group, role=form.cleaned_data["role"]
        )
        messages.success(request, _("Role changed for %(name)s.") % {"name": person.name})
    else:
        messages.error(request, _("Choose member or moderator."))
    return redirect(reverse("people:group", args=[group.slug]) + "#members")


@login_required
@require_POST
def group_member_remove(request: Request, slug: str, username: str) -> HttpResponse:
    group = selectors.get_group_for(request.user, slug, manage=True)
    person = selectors.get_group_member(group, username)
    services.membership_remove(viewer=request.user, person=person, group=group)
    messages.success(request, _("%(name)s left the group.") % {"name": person.name})
    return redirect(reverse("people:group", args=[group.slug]) + "#members")


@login_required
@require_POST
def group_leave(request: Request, slug: str) -> HttpResponse:
    group = selectors.get_group_for(request.user, slug)
    try:
        services.membership_remove(viewer=request.user, person=request.user, group=group)
    except ValidationError as exc:
        _error_message(request, exc)
    else:
        messages.success(request, _("You left %(group)s.") % {"group": group.name})
    return redirect(group)


# Invitations ---------------------------------------------------------------------------


@login_required
def invitation_create(request: Request) -> HttpResponse:
    _members_only(request)
    groups = selectors.moderated_groups(request.user)
    steward = access.is_steward(request.user)
    if not steward and not groups.exists():
        access.require_steward(request.user)  # 403: nothing this person may invite into
    form = InvitationForm(
        request.POST or None,
        groups=groups,
        steward=steward,
        initial={"group": request.GET.get("group")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(viewer=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return render(
                request,
                "people/invitation_created.html",
                {"invitation": invitation, "link": services.invitation_link(invitation)},
            )
    return render(request, "people/invitation_form.html", {"form": form})


@login_required
def invitation_list(request: Request) -> HttpResponse:
    access.require_steward(request.user)
    invitations = selectors.invitation_list(
        viewer=request.user, pending_only=request.GET.get("pending") == "1"
    )
    return render(request, "people/invitation_list.html", {"page": paginate(request, invitations)})


@login_required
@require_POST
def invitation_revoke(request: Request, pk: int) -> HttpResponse:
    invitation = selectors.get_invitation_for(request.user, pk)
    try:
        services.invitation_revoke(viewer=request.user, invitation=invitation)
    except ValidationError as exc:
        _error_message(request, exc)
    else:
        messages.success(
            request,
            _("The invitation for %(email)s no longer works.") % {"email": invitation.email},
        )
    if access.is_steward(request.user):
        return redirect("people:invitations")
    return redirect("home")


@ratelimit(key="ip", rate="10/m", method="POST", block=True)
def accept_invitation(request: Request, token: str) -> HttpResponse:
    invitation = selectors.invitation_by_token(token)
    if invitation is None:
        return render(request, "people/join_unusable.html", {"invitation": None}, status=404)
    if not invitation.is_usable:
        return render(request, "people/join_unusable.html", {"invitation": invitation}, status=410)
    if request.user.is_authenticated:
        messages.info(request, _("You are already logged in, so this invitation is not needed."))
        return redirect("home")
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("password_again")
        try:
            person = services.invitation_accept(invitation=invitation, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            login(request, person, backend=settings.AUTHENTICATION_BACKENDS[0])
            messages.success(
                request,
                _(
                    "Welcome, %(name)s! You are part of the network now. A good first step: "
                    "share one thing you noticed in your work this week."
                )
                % {"name": person.name},
            )
            return redirect("home")
    return render(request, "people/join.html", {"form": form, "invitation": invitation})


# Stewardship ---------------------------------------------------------------------------


def _channels_url() -> str:
    try:
        return reverse("sharing:channels")
    except NoReverseMatch:
        return "/channels/"


@login_required
def steward(request: Request) -> HttpResponse:
    access.require_steward(request.user)
    people = selectors.person_list(
        viewer=request.user,
        q=request.GET.get("q", "").strip() or None,
        include_inactive=True,
    )
    return render(
        request,
        "people/steward.html",
        {
            "counts": selectors.network_counts(),
            "page": paginate(request, people, per_page=50),
            "invitations": selectors.invitation_list(viewer=request.user, pending_only=True)[:20],
            "channels_url": _channels_url(),
        },
    )
