"""The one permission-checked way to fetch anything.

A user sees only the organisations they hold a role in: a branch role (secretary, committee, member)
covers that organisation and what lies below it (its 党小组); a district admin or auditor role covers
the whole subtree. Every view and export fetches through `get_org`, `get_object` or `scoped`.

Levels, from least to most:
    member   - self-service: the branch home (names, no sensitive data) and their own records
    auditor  - reads everything in the subtree, writes nothing
    admin    - district admin: reads everything below, manages organisations
    manager  - secretary/committee of the branch: manages its records
Reveal of sensitive values (ID numbers, phones) is for the branch secretary and 组织委员 only.
Appointing committee posts, granting the 书记/支委 roles and resetting passwords (APPOINT) is for the
branch secretary and the district admin above. "Who is the secretary" has one answer: the secretary
role, which `zhibu.orgs.services` grants and withdraws together with the 书记 post.

Per object kind: `access_person`, `access_position`, `access_group` (and `can_override` for the
development step override) — every rule of who may do what with one kind of row lives here.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest

from zhibu.core import clock
from zhibu.orgs.models import (
    MANAGER_ROLES,
    SUBTREE_ROLES,
    CommitteePosition,
    Organisation,
    Position,
    Role,
    RoleKind,
)

VIEW, MANAGE, REVEAL, ADMIN, AUDIT, APPOINT = "view", "manage", "reveal", "admin", "audit", "appoint"
OPEN_ACCOUNTS = "open_accounts"  # REVEAL or APPOINT: the 书记, the 组织委员 (member accounts) and the district


@dataclass
class Scope:
    user: object
    # (organisation id, path, role) for every role the user holds
    roles: list[tuple[int, str, str]] = field(default_factory=list)
    superuser: bool = False
    _reveal_org_ids: set[int] | None = None

    @property
    def reveal_org_ids(self) -> set[int]:
        """Branches whose sensitive values this user may reveal: where they hold the secretary role,
        or a manager role while holding the 书记 or 组织委员 post (looked up only when needed)."""
        if self._reveal_org_ids is None:
            self._reveal_org_ids = {org_id for org_id, _p, role in self.roles if role == RoleKind.SECRETARY}
            managed = {org_id for org_id, _p, role in self.roles if role in MANAGER_ROLES} - self._reveal_org_ids
            if managed:
                self._reveal_org_ids |= set(
                    CommitteePosition.objects.filter(
                        person__user=self.user, branch_id__in=managed,
                        position__in=[Position.SECRETARY, Position.ORGANISATION],
                        ended_on__isnull=True, term_start__lte=clock.today(),
                    ).values_list("branch_id", flat=True)
                )
        return self._reveal_org_ids

    def _matching(self, org: Organisation) -> list[str]:
        found = []
        for org_id, path, role in self.roles:
            if role in SUBTREE_ROLES:
                if org.path.startswith(path):
                    found.append(role)
            elif org.id == org_id or (org.parent_id == org_id and org.kind == "group"):
                found.append(role)
        return found

    def can(self, org: Organisation, need: str = VIEW) -> bool:
        if self.superuser:
            return True
        roles = self._matching(org)
        if need == VIEW:
            return bool(roles)
        if need == MANAGE:
            return any(r in MANAGER_ROLES for r in roles)
        if need == ADMIN:
            return RoleKind.DISTRICT_ADMIN in roles
        if need == AUDIT:  # read the audit log: managers, and district admins/auditors above
            return any(r in MANAGER_ROLES or r in SUBTREE_ROLES for r in roles)
        if need == REVEAL:
            return org.id in self.reveal_org_ids or (org.parent_id in self.reveal_org_ids and org.kind == "group")
        if need == APPOINT:  # committee posts, manager roles, password resets: the 书记 and the district
            return RoleKind.SECRETARY in roles or RoleKind.DISTRICT_ADMIN in roles
        if need == OPEN_ACCOUNTS:
            return self.can(org, APPOINT) or self.can(org, REVEAL)
        raise ValueError(need)

    def is_secretary(self, org: Organisation) -> bool:
        """The branch's own secretary (not the district above): the one answer to "who is the secretary"."""
        return self.superuser or any(org_id == org.pk and role == RoleKind.SECRETARY for org_id, _p, role in self.roles)

    def sees_sensitive_lists(self, org: Organisation) -> bool:
        """Everything but plain members sees the full branch lists."""
        if self.superuser:
            return True
        return any(r != RoleKind.MEMBER for r in self._matching(org))

    def visible_q(self, prefix: str = "") -> Q:
        """A Q over Organisation (or, with prefix 'branch__', over rows pointing at one)."""
        if self.superuser:
            return Q()
        q = Q(pk__in=[])
        for org_id, path, role in self.roles:
            if role in SUBTREE_ROLES:
                q |= Q(**{f"{prefix}path__startswith": path})
            else:
                q |= Q(**{f"{prefix}pk": org_id}) | Q(**{f"{prefix}parent_id": org_id, f"{prefix}kind": "group"})
        return q

    def manageable_org_ids(self) -> set[int]:
        return {org_id for org_id, _path, role in self.roles if role in MANAGER_ROLES}


def scope_for(user) -> Scope:
    if not getattr(user, "is_authenticated", False):
        return Scope(user=user)
    roles = list(Role.objects.filter(user=user).values_list("organisation_id", "organisation__path", "role"))
    return Scope(user=user, roles=roles, superuser=user.is_superuser)


def get_scope(request: HttpRequest) -> Scope:
    scope = getattr(request, "_zhibu_scope", None)
    if scope is None or scope.user is not request.user:
        scope = scope_for(request.user)
        request._zhibu_scope = scope
    return scope


def deny_or_404(scope: Scope, org: Organisation, need: str) -> None:
    """Not visible: 404 (do not reveal that it exists). Visible but not allowed: 403."""
    if not scope.can(org, VIEW):
        raise Http404("未找到")
    if need != VIEW and not scope.can(org, need):
        raise PermissionDenied("没有权限")


def get_org(request: HttpRequest, org_id: int, need: str = VIEW) -> Organisation:
    org = Organisation.objects.select_related("parent").filter(pk=org_id).first()
    if org is None:
        raise Http404("未找到该组织")
    deny_or_404(get_scope(request), org, need)
    request._zhibu_org = org  # the navigation shows it without fetching it again
    return org


def get_branch(request: HttpRequest, org_id: int, need: str = VIEW, *, follow_group: bool = False) -> Organisation:
    """`get_org` for pages that only exist for a 党支部. A 党小组 means its branch when
    `follow_group`, else it is 404 like any other kind of organisation."""
    org = get_org(request, org_id, need)
    if org.kind == "group" and follow_group:
        org = get_org(request, org.parent_id, need)
    if org.kind != "branch":
        raise Http404("此功能在党支部办理")
    return org


def visible_orgs(request: HttpRequest) -> QuerySet[Organisation]:
    return Organisation.objects.filter(get_scope(request).visible_q())


def scoped(request: HttpRequest, qs: QuerySet, org_field: str = "branch") -> QuerySet:
    """Restrict a queryset of rows that point at an organisation to what the user may see."""
    return qs.filter(get_scope(request).visible_q(prefix=f"{org_field}__"))


def get_object(request: HttpRequest, qs: QuerySet, pk, *, org: Organisation, org_field: str = "branch") -> Model:
    """Fetch one row of `org` (already permission-checked) or 404."""
    obj = qs.filter(pk=pk, **{f"{org_field}": org}).first() if pk is not None else None
    if obj is None:
        raise Http404("未找到")
    return obj


# --- One access function per object kind ----------------------------------------------------------

def access_person(request: HttpRequest, org: Organisation, pk, need: str = VIEW, *, qs: QuerySet | None = None):
    """A person of `org` (already fetched through `get_org`). VIEW: one's own record, or anyone's for
    those who see the branch lists (managers, district admin, auditor); other needs as `Scope.can`."""
    from zhibu.orgs.models import Person

    person = get_object(request, qs if qs is not None else Person.objects.all(), pk, org=org)
    scope = get_scope(request)
    if need == VIEW:
        if person.user_id != request.user.pk and not scope.sees_sensitive_lists(org):
            raise PermissionDenied("只能查看本人信息")
    elif not scope.can(org, need):
        raise PermissionDenied("没有权限")
    return person


def access_position(request: HttpRequest, org: Organisation, pk, need: str = APPOINT) -> CommitteePosition:
    """A committee appointment of `org`; correcting or removing one is APPOINT (书记, district)."""
    deny_or_404(get_scope(request), org, need)
    return get_object(request, CommitteePosition.objects.select_related("person"), pk, org=org)


def access_group(request: HttpRequest, org: Organisation, pk, need: str = MANAGE) -> Organisation:
    """A 党小组 of the branch `org`."""
    deny_or_404(get_scope(request), org, need)
    return get_object(request, Organisation.objects.filter(kind="group"), pk, org=org, org_field="parent")


def can_override(request: HttpRequest, org: Organisation) -> bool:
    """Only the branch secretary records an override of a development rule (with a reason)."""
    return get_scope(request).is_secretary(org)
