"""Every write about organisations and people: keyword-only, atomic, audited.

The functions views call are durable transactions (style.md #1); steps they share are plain `_helpers`
that run in the caller's transaction. Other apps' services use the non-durable step functions
(`update_person_step`), never an entry point."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from zhibu.core import audit, clock
from zhibu.core.crypto import digest, mask
from zhibu.orgs import rules
from zhibu.orgs.models import (
    MANAGER_ROLES,
    CommitteePosition,
    ForcedPasswordChange,
    Organisation,
    OrgKind,
    Person,
    Position,
    Role,
    RoleKind,
    Standing,
    Transfer,
    TransferDirection,
    mask_address,
)

# Sensitive values are logged as the pages show them (Person.*_masked), never in the clear.
SENSITIVE_MASKS: dict[str, Callable[[str], str]] = {
    "id_number": lambda v: mask(v, 6, 4),
    "phone": lambda v: mask(v, 3, 4),
    "home_address": mask_address,
}


def _may(actor, org: Organisation, need: str) -> bool:
    """The rule of who may, from the one access module (services refuse what views would hide)."""
    from zhibu.orgs import access

    return access.scope_for(actor).can(org, need)

PERSON_FIELDS = (
    "name", "gender", "birth_date", "ethnicity", "education", "post",
    "employment", "standing", "admitted_on", "full_on", "group_id",
    "native_place", "degree", "work_started_on", "occupation", "joined_branch", "sponsors",
)  # plus SENSITIVE_MASKS' fields, logged masked


def _set_path(org: Organisation) -> None:
    parent_path = org.parent.path if org.parent_id else "/"
    org.path = f"{parent_path}{org.pk}/"
    org.save(update_fields=["path"])


@transaction.atomic(durable=True)
def create_organisation(*, actor, name: str, kind: str, parent: Organisation | None, unit: str = "") -> Organisation:
    return _create_organisation(actor=actor, name=name, kind=kind, parent=parent, unit=unit)


def _create_organisation(*, actor, name: str, kind: str, parent: Organisation | None, unit: str = "") -> Organisation:
    if kind != OrgKind.COMMITTEE and parent is None:
        raise ValidationError("除党委外，组织必须有上级组织")
    if kind == OrgKind.GROUP and (parent is None or parent.kind != OrgKind.BRANCH):
        raise ValidationError("党小组必须设在党支部之下")
    org = Organisation.objects.create(name=name, kind=kind, parent=parent, unit=unit)
    _set_path(org)
    audit.record(actor=actor, action="create", obj=org, organisation=org, changes=audit.diff({}, audit.snapshot(org)))
    return org


def _prepare_person(values: dict[str, Any], person: Person | None = None) -> dict[str, Any]:
    """Normalise (NFKC) and validate; `person` supplies the stored values a partial update keeps."""
    values = dict(values)
    if values.get("id_number"):
        values["id_number"] = rules.normalise_id(values["id_number"])
        error = rules.validate_id_number(values["id_number"])
        if error:
            raise ValidationError({"id_number": error})
    if values.get("phone"):
        values["phone"] = rules.normalise_phone(values["phone"])
        error = rules.validate_phone(values["phone"])
        if error:
            raise ValidationError({"phone": error})
    birth = values["birth_date"] if "birth_date" in values else getattr(person, "birth_date", None)
    id_number = values["id_number"] if "id_number" in values else getattr(person, "id_number", "")
    if error := rules.validate_birth_date(birth, clock.today(), id_number or ""):
        raise ValidationError({"birth_date": error})
    return values


def _sensitive_changes(before: Person | dict, after: Person) -> dict[str, list[str]]:
    """A changed ID number or phone is logged, masked as the pages show it (never in the clear)."""
    changes = {}
    for field, show in SENSITIVE_MASKS.items():
        old = before.get(field, "") if isinstance(before, dict) else getattr(before, field)
        new = getattr(after, field)
        if (old or "") != (new or ""):
            changes[field] = [show(old) if old else None, show(new) if new else None]
    return changes


def _apply_person(person: Person, values: dict[str, Any]) -> None:
    for key, value in values.items():
        setattr(person, key, value)
    person.id_number_digest = digest(person.id_number) if person.id_number else None


def _check_unique_id(person: Person) -> None:
    # One message whoever holds the number, wherever: it names no branch and no district.
    if person.id_number_digest and Person.objects.filter(id_number_digest=person.id_number_digest).exclude(pk=person.pk).exists():
        raise ValidationError({"id_number": "该身份证号已登记在册"})


@transaction.atomic(durable=True)
def create_person(*, actor, branch: Organisation, **values: Any) -> Person:
    return _create_person(actor=actor, branch=branch, **values)


def _create_person(*, actor, branch: Organisation, **values: Any) -> Person:
    values = _prepare_person(values)
    person = Person(branch=branch)
    _apply_person(person, values)
    _check_unique_id(person)
    person.full_clean(exclude=["id_number_digest", "user"])
    person.save()
    changes = audit.diff({}, audit.snapshot(person, PERSON_FIELDS))
    changes.update(_sensitive_changes({}, person))
    audit.record(actor=actor, action="create", obj=person, organisation=branch, changes=changes)
    return person


@transaction.atomic(durable=True)
def update_person(*, actor, person: Person, **values: Any) -> Person:
    return _update_person(actor=actor, person=person, **values)


def update_person_step(*, actor, person: Person, **values: Any) -> Person:
    """`update_person` for other apps' services (development's standing after a vote): runs inside
    the caller's transaction, with the same checks and the same audit entry."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("update_person_step runs inside the caller's transaction.atomic")
    return _update_person(actor=actor, person=person, **values)


def _update_person(*, actor, person: Person, **values: Any) -> Person:
    return _update_person_changes(actor=actor, person=person, **values)[0]


def _update_person_changes(*, actor, person: Person, **values: Any) -> tuple[Person, dict[str, list[Any]]]:
    # The ID number, phone and address are logged masked as the pages show them (`masked`).
    person = Person.objects.select_for_update().get(pk=person.pk)
    values = _prepare_person(values, person)
    with audit.updating(person, actor=actor, fields=PERSON_FIELDS, organisation=person.branch,
                        masked=SENSITIVE_MASKS) as update:
        _apply_person(person, values)
        _check_unique_id(person)
        person.full_clean(exclude=["id_number_digest", "user"])
    return person, update.changes


@transaction.atomic(durable=True)
def reveal(*, actor, person: Person, field: str) -> str:
    """Return a sensitive value in the clear; every reveal is audited."""
    if field not in ("id_number", "phone"):
        raise ValueError(field)
    audit.record(actor=actor, action="reveal", obj=person, organisation=person.branch, changes={"field": field})
    return getattr(person, field)


class ConfirmReplace(ValidationError):
    """Appointing to a post someone holds: the caller asks the user to confirm, then passes replace=True."""

    def __init__(self, holder: CommitteePosition):
        self.holder = holder
        super().__init__(f"{holder.get_position_display()}现由{holder.person.name}担任，请确认由新任人员接任（原任将于任期开始日离任）",
                         code="confirm_replace")


def _check_appointer(actor, branch: Organisation) -> None:
    from zhibu.orgs.access import APPOINT

    if not _may(actor, branch, APPOINT):
        raise PermissionDenied("只有书记或上级党委可以任免支部委员")


def _check_term(*, branch: Organisation, person: Person, term_start: dt.date) -> None:
    if person.branch_id != branch.pk:
        raise ValidationError("只能任命本支部党员")
    if person.standing != Standing.FULL or not person.active:
        raise ValidationError("支部委员应为本支部在册正式党员")
    if not dt.date(1950, 1, 1) <= term_start <= clock.today() + dt.timedelta(days=366):
        raise ValidationError({"term_start": "任期开始日期不合理（不早于1950年，不晚于一年之后）"})


def _sync_roles(*, actor, branch: Organisation, person: Person) -> None:
    """Roles follow posts, so roles and committee posts agree by construction: the 书记 post holder
    has the secretary role and no one else does; other post holders manage the branch (支委);
    someone who leaves every post keeps a member's access."""
    if not person.user_id:
        return
    posts = set(CommitteePosition.objects.filter(branch=branch, person=person, ended_on__isnull=True)
                .values_list("position", flat=True))
    roles = {r.role: r for r in Role.objects.filter(user_id=person.user_id, organisation=branch)}
    wanted = RoleKind.SECRETARY if Position.SECRETARY in posts else RoleKind.COMMITTEE if posts else None
    if wanted != RoleKind.SECRETARY and RoleKind.SECRETARY in roles:
        _revoke_role(actor=actor, role=roles.pop(RoleKind.SECRETARY))
        if not posts and RoleKind.COMMITTEE not in roles:
            wanted = RoleKind.MEMBER  # a former 书记 without another post keeps a member's access
    if wanted and wanted not in roles and not (wanted == RoleKind.MEMBER and roles):
        _grant_role(actor=actor, user=person.user, organisation=branch, role=wanted)


def _end_holders(*, actor, branch: Organisation, position: str, on: dt.date) -> list[Person]:
    ended = []
    for old in CommitteePosition.objects.select_for_update().filter(branch=branch, position=position, ended_on__isnull=True).select_related("person"):
        old.ended_on = max(on, old.term_start)
        old.save(update_fields=["ended_on"])
        audit.record(actor=actor, action="end_term", obj=old, organisation=branch, changes={"ended_on": [None, old.ended_on.isoformat()]})
        ended.append(old.person)
    return ended


@transaction.atomic(durable=True)
def appoint(*, actor, branch: Organisation, person: Person, position: str, term_start: dt.date,
            term_years: int = rules.TERM_YEARS, replace: bool = False) -> CommitteePosition:
    """Appoint `person` to `position` (书记 or the district only). The current holder, if any, leaves
    on `term_start` — only once the user confirmed (`replace`); the roles follow the posts."""
    _check_appointer(actor, branch)
    _check_term(branch=branch, person=person, term_start=term_start)
    holder = CommitteePosition.objects.filter(branch=branch, position=position, ended_on__isnull=True).select_related("person").first()
    if holder is not None and holder.person_id == person.pk:
        raise ValidationError(f"{person.name}已任{holder.get_position_display()}，如需修改任期请在列表中点“更正”")
    if holder is not None and not replace:
        raise ConfirmReplace(holder)
    if CommitteePosition.objects.filter(branch=branch, position=position, person=person, term_start=term_start).exists():
        raise ValidationError("该任命已登记")
    ended = _end_holders(actor=actor, branch=branch, position=position, on=term_start)
    pos = CommitteePosition.objects.create(
        branch=branch, person=person, position=position, term_start=term_start, term_end=rules.term_end(term_start, term_years)
    )
    audit.record(actor=actor, action="orgs.appoint", obj=pos, organisation=branch, changes=audit.diff({}, audit.snapshot(pos)))
    for p in {*ended, person}:
        _sync_roles(actor=actor, branch=branch, person=p)
    return pos


POSITION_FIELDS = ("person_id", "position", "term_start", "term_end", "ended_on")


@transaction.atomic(durable=True)
def correct_appointment(*, actor, appointment: CommitteePosition, term_start: dt.date, term_end: dt.date,
                        ended_on: dt.date | None) -> CommitteePosition:
    """Correct the dates of an appointment entered wrongly (audited with old and new values)."""
    branch = appointment.branch
    _check_appointer(actor, branch)
    pos = CommitteePosition.objects.select_for_update().select_related("person").get(pk=appointment.pk)
    _check_term(branch=branch, person=pos.person, term_start=term_start) if pos.person.active else None
    if term_end <= term_start:
        raise ValidationError({"term_end": "任期届满日应晚于任期开始日"})
    if ended_on is not None and ended_on < term_start:
        raise ValidationError({"ended_on": "离任日期不应早于任期开始日"})
    if ended_on is None and CommitteePosition.objects.filter(branch=branch, position=pos.position, ended_on__isnull=True).exclude(pk=pos.pk).exists():
        raise ValidationError({"ended_on": "该职务已有在任人员，此任命须填写离任日期"})
    audit.update_audited(pos, {"term_start": term_start, "term_end": term_end, "ended_on": ended_on}, actor=actor,
                         fields=POSITION_FIELDS, action="orgs.correct_appointment", organisation=branch,
                         full_clean=False)
    _sync_roles(actor=actor, branch=branch, person=pos.person)
    return pos


@transaction.atomic(durable=True)
def remove_appointment(*, actor, appointment: CommitteePosition) -> None:
    """Delete an appointment entered by mistake (audited with what it was); roles follow."""
    branch = appointment.branch
    _check_appointer(actor, branch)
    pos = CommitteePosition.objects.select_for_update().select_related("person").get(pk=appointment.pk)
    audit.record(actor=actor, action="orgs.remove_appointment", obj=pos, organisation=branch,
                 changes=audit.diff(audit.snapshot(pos, POSITION_FIELDS), {}))
    person = pos.person
    pos.delete()
    _sync_roles(actor=actor, branch=branch, person=person)


def install_committee_step(*, actor, branch: Organisation, posts: dict[str, Person], term_start: dt.date,
                           term_years: int = rules.TERM_YEARS) -> list[CommitteePosition]:
    """A newly elected committee takes office (换届; zhibu.elections calls this inside its transaction):
    every current holder leaves on `term_start`, each post in `posts` starts a new term; roles follow."""
    _check_appointer(actor, branch)
    if not posts or any(p not in Position.values for p in posts):
        raise ValidationError("请为新一届委员确定分工")
    for person in posts.values():
        _check_term(branch=branch, person=person, term_start=term_start)
    ended = []
    for position in Position.values:
        ended += _end_holders(actor=actor, branch=branch, position=position, on=term_start)
    created = []
    for position, person in posts.items():
        pos = CommitteePosition.objects.create(branch=branch, person=person, position=position, term_start=term_start,
                                               term_end=rules.term_end(term_start, term_years))
        audit.record(actor=actor, action="orgs.appoint", obj=pos, organisation=branch,
                     changes=audit.diff({}, audit.snapshot(pos)))
        created.append(pos)
    for p in {*ended, *posts.values()}:
        _sync_roles(actor=actor, branch=branch, person=p)
    return created


def reschedule_term_step(*, actor, branch: Organisation, term_end: dt.date) -> list[CommitteePosition]:
    """An approved postponement or early election (zhibu.elections checks the ≤ 1 year rule): the
    current committee's term end moves to `term_end`, audited per post."""
    _check_appointer(actor, branch)
    current = list(CommitteePosition.objects.select_for_update().filter(branch=branch, ended_on__isnull=True))
    if not current:
        raise ValidationError("本支部尚未登记支部委员")
    for pos in current:
        if term_end <= pos.term_start:
            raise ValidationError({"to_end": "调整后的届满日应晚于任期开始日"})
        audit.update_audited(pos, {"term_end": term_end}, actor=actor, fields=POSITION_FIELDS,
                             action="orgs.correct_appointment", organisation=branch, full_clean=False)
    return current


@transaction.atomic(durable=True)
def transfer_out(*, actor, person: Person, date: dt.date, other_org: str, letter_number: str = "",
                 dues_paid_to: dt.date | None = None, note: str = "") -> Transfer:
    if not person.active:
        raise ValidationError("该人员已不在册")
    t = Transfer.objects.create(
        person=person, branch=person.branch, direction=TransferDirection.OUT, date=date, other_org=other_org,
        letter_number=letter_number, dues_paid_to=dues_paid_to, note=note,
    )
    person.active = False
    person.left_on = date
    person.save(update_fields=["active", "left_on"])
    for post in CommitteePosition.objects.filter(person=person, ended_on__isnull=True):
        post.ended_on = max(date, post.term_start)
        post.save(update_fields=["ended_on"])
        audit.record(actor=actor, action="end_term", obj=post, organisation=person.branch,
                     changes={"ended_on": [None, post.ended_on.isoformat()]})
    _sync_roles(actor=actor, branch=person.branch, person=person)  # a 书记 who leaves is no longer the 书记
    audit.record(actor=actor, action="transfer_out", obj=person, organisation=person.branch,
                 changes={"active": [True, False], "transfer": t.pk, "other_org": [None, other_org]})
    return t


@transaction.atomic(durable=True)
def transfer_in(*, actor, branch: Organisation, date: dt.date, other_org: str, letter_number: str = "",
                dues_paid_to: dt.date | None = None, note: str = "", **person_values: Any) -> Transfer:
    person = _create_person(actor=actor, branch=branch, **person_values)
    t = Transfer.objects.create(
        person=person, branch=branch, direction=TransferDirection.IN, date=date, other_org=other_org,
        letter_number=letter_number, dues_paid_to=dues_paid_to, note=note,
    )
    audit.record(actor=actor, action="transfer_in", obj=person, organisation=branch, changes={"transfer": t.pk, "other_org": [None, other_org]})
    return t


def _grant_role(*, actor, user, organisation: Organisation, role: str) -> Role:
    r, created = Role.objects.get_or_create(user=user, organisation=organisation, role=role)
    if created:
        audit.record(actor=actor, action="grant_role", obj=r, organisation=organisation, changes={"role": [None, role], "user": [None, user.username]})
    return r


def _revoke_role(*, actor, role: Role) -> None:
    audit.record(actor=actor, action="orgs.revoke_role", obj=role, organisation=role.organisation,
                 changes={"role": [role.role, None], "user": [role.user.username, None]})
    role.delete()


def _check_grant(actor, organisation: Organisation, role: str, person: Person | None) -> None:
    """The 书记 and 支委 roles are granted by the 书记 or the district only; the 书记 role goes with the
    书记 post (appoint first), so roles and posts name the same secretary."""
    from zhibu.orgs.access import APPOINT

    if role in MANAGER_ROLES and not _may(actor, organisation, APPOINT):
        raise PermissionDenied("只有书记或上级党委可以授予书记、支委角色")
    if role == RoleKind.SECRETARY and not (person is not None and CommitteePosition.objects.filter(
            branch=organisation, person=person, position=Position.SECRETARY, ended_on__isnull=True).exists()):
        raise ValidationError({"role": "书记角色随任命书记而授予：请先在“支部委员”中任命此人为书记"})


@transaction.atomic(durable=True)
def grant_role(*, actor, user, organisation: Organisation, role: str) -> Role:
    _check_grant(actor, organisation, role, getattr(user, "person", None))
    return _grant_role(actor=actor, user=user, organisation=organisation, role=role)


@transaction.atomic(durable=True)
def create_account(*, actor, username: str, password: str, person: Person | None = None, organisation: Organisation, role: str):
    if person is not None and person.user_id:
        raise ValidationError("此人已有账号")
    if person is not None and not person.active:
        raise ValidationError("已转出人员不能开通账号")
    from zhibu.orgs.access import OPEN_ACCOUNTS

    if not _may(actor, organisation, OPEN_ACCOUNTS):
        raise PermissionDenied("只有书记、组织委员或上级党委可以开通账号")
    _check_grant(actor, organisation, role, person)
    User = get_user_model()
    user = User(username=username)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    ForcedPasswordChange.objects.create(user=user, set_by=actor if getattr(actor, "is_authenticated", False) else None)
    if person is not None:
        person.user = user
        person.save(update_fields=["user"])
    _grant_role(actor=actor, user=user, organisation=organisation, role=role)
    if person is not None:
        _sync_roles(actor=actor, branch=organisation, person=person)  # a post holder gets the post's role
    audit.record(actor=actor, action="create_account", object_type="auth.User", object_id=str(user.pk), object_repr=username, organisation=organisation)
    return user


@transaction.atomic(durable=True)
def reset_password(*, actor, person: Person, password: str) -> None:
    """The 书记 (or the district) sets a new password for a person of the branch; they must change it at
    their next login. Existing sessions end (the password hash changes)."""
    from zhibu.orgs.access import APPOINT

    if not _may(actor, person.branch, APPOINT):
        raise PermissionDenied("只有书记或上级党委可以重置密码")
    if not person.user_id:
        raise ValidationError("此人尚未开通账号")
    user = get_user_model().objects.select_for_update().get(pk=person.user_id)
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    ForcedPasswordChange.objects.update_or_create(user=user, defaults={"set_by": actor})
    audit.record(actor=actor, action="orgs.reset_password", object_type="auth.User", object_id=str(user.pk),
                 object_repr=f"{person.name}({user.username})", organisation=person.branch)


@transaction.atomic(durable=True)
def change_password(*, user, password: str) -> None:
    """A user sets their own password (the old one checked by the caller's form)."""
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    ForcedPasswordChange.objects.filter(user=user).delete()
    audit.record(actor=user, action="orgs.change_password", object_type="auth.User", object_id=str(user.pk),
                 object_repr=user.get_username())


# --- 党小组 ------------------------------------------------------------------------------------------

@transaction.atomic(durable=True)
def create_group(*, actor, branch: Organisation, name: str) -> Organisation:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写党小组名称"})
    if Organisation.objects.filter(parent=branch, kind=OrgKind.GROUP, name=name).exists():
        raise ValidationError({"name": "本支部已有同名党小组"})
    return _create_organisation(actor=actor, name=name, kind=OrgKind.GROUP, parent=branch)


@transaction.atomic(durable=True)
def rename_group(*, actor, group: Organisation, name: str) -> Organisation:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写党小组名称"})
    group = Organisation.objects.select_for_update().get(pk=group.pk)
    if Organisation.objects.filter(parent_id=group.parent_id, kind=OrgKind.GROUP, name=name).exclude(pk=group.pk).exists():
        raise ValidationError({"name": "本支部已有同名党小组"})
    if name != group.name:
        audit.update_audited(group, {"name": name}, actor=actor, fields=("name",), action="orgs.rename_group",
                             organisation=group.parent, full_clean=False)
    return group


@transaction.atomic(durable=True)
def import_roster(*, actor, branch: Organisation, rows: list[dict[str, Any]]) -> dict[str, int]:
    """Write validated roster rows (from roster.validate): update people matched by ID number,
    create the rest. All or nothing: any error rolls the whole import back."""
    created = updated = unchanged = 0
    existing = {p.pk: p for p in Person.objects.filter(pk__in=[r["person_id"] for r in rows if r["person_id"]])}
    for row in rows:
        values = {k: v for k, v in row.items() if k in PERSON_FIELDS or k in SENSITIVE_MASKS}
        if row["person_id"]:
            _person, changes = _update_person_changes(actor=actor, person=existing[row["person_id"]], **values)
            if changes:
                updated += 1
            else:
                unchanged += 1
        else:
            _create_person(actor=actor, branch=branch, **values)
            created += 1
    audit.record(actor=actor, action="import", object_type="orgs.Roster", object_repr=f"{branch} 花名册导入",
                 organisation=branch, changes={"created": created, "updated": updated, "unchanged": unchanged})
    return {"created": created, "updated": updated, "unchanged": unchanged}


@transaction.atomic(durable=True)
def record_export(*, actor, branch: Organisation, what: str, count: int) -> None:
    """Exports that carry sensitive values are audited like reveals."""
    audit.record(actor=actor, action="export", object_type="orgs.Roster", object_repr=f"{branch} {what}",
                 organisation=branch, changes={"rows": count})


# --- Moves and leaving the register (zhibu.membership calls these inside its transaction) ----------

def move_person_step(*, actor, person: Person, to_branch: Organisation, on: dt.date,
                     dues_paid_to: dt.date | None = None, letter_number: str = "", note: str = "") -> Person:
    """组织关系 moves to another branch of the same district in one step (zhibu.membership, after the
    district's approval): the out and in Transfer rows, the same Person row (so the dues ledger, the
    development file, meetings and study stay attached), no 党小组, committee posts ended, the
    branch roles replaced by a member's role at the new branch; then every app's
    `zhibu.<app>.moves.person_moved(person=, from_branch=, to_branch=, on=, actor=)` hook runs."""
    from zhibu.core.hooks import app_modules

    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("move_person_step runs inside the caller's transaction.atomic")
    person = Person.objects.select_for_update().select_related("branch").get(pk=person.pk)
    from_branch = person.branch
    if not person.active:
        raise ValidationError("该人员已不在册")
    if (to_branch.kind != OrgKind.BRANCH or to_branch.pk == from_branch.pk
            or to_branch.parent_id != from_branch.parent_id):
        raise ValidationError("只能转至同一上级党组织下的其他党支部")
    common = {"person": person, "date": on, "letter_number": letter_number, "dues_paid_to": dues_paid_to,
              "note": note}
    out = Transfer.objects.create(branch=from_branch, direction=TransferDirection.OUT, other_org=to_branch.name,
                                  **common)
    into = Transfer.objects.create(branch=to_branch, direction=TransferDirection.IN, other_org=from_branch.name,
                                   **common)
    for post in CommitteePosition.objects.select_for_update().filter(person=person, ended_on__isnull=True):
        post.ended_on = max(on, post.term_start)
        post.save(update_fields=["ended_on"])
        audit.record(actor=actor, action="end_term", obj=post, organisation=post.branch,
                     changes={"ended_on": [None, post.ended_on.isoformat()]})
    group = person.group.name if person.group_id else None
    person.branch, person.group = to_branch, None
    person.save(update_fields=["branch", "group"])
    if person.user_id:
        roles = Role.objects.filter(user_id=person.user_id, organisation=from_branch).select_related("user")
        for role in roles:
            _revoke_role(actor=actor, role=role)
        _grant_role(actor=actor, user=person.user, organisation=to_branch, role=RoleKind.MEMBER)
    changes = {"branch": [from_branch.name, to_branch.name], "transfer": [out.pk, into.pk]}
    if group:
        changes["group"] = [group, None]
    audit.record(actor=actor, action="transfer_out", obj=person, organisation=from_branch, changes=changes)
    audit.record(actor=actor, action="transfer_in", obj=person, organisation=to_branch, changes=changes)
    for module in app_modules("moves"):
        module.person_moved(person=person, from_branch=from_branch, to_branch=to_branch, on=on, actor=actor)
    return person


def leave_register_step(*, actor, person: Person, on: dt.date, reason: str,
                        transfer: dict[str, Any] | None = None) -> Person:
    """A person leaves the register (出党, 停止党籍, death, or a 介绍信 out of the district): `active`
    False and `left_on`, committee posts ended, roles follow; the row and every record stay. With
    `transfer` (other_org, letter_number, dues_paid_to, note) an out Transfer row is written too."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("leave_register_step runs inside the caller's transaction.atomic")
    person = Person.objects.select_for_update().select_related("branch").get(pk=person.pk)
    if not person.active:
        raise ValidationError("该人员已不在册")
    if transfer is not None:
        Transfer.objects.create(person=person, branch=person.branch, direction=TransferDirection.OUT, date=on,
                                **transfer)
    person.active, person.left_on = False, on
    person.save(update_fields=["active", "left_on"])
    for post in CommitteePosition.objects.select_for_update().filter(person=person, ended_on__isnull=True):
        post.ended_on = max(on, post.term_start)
        post.save(update_fields=["ended_on"])
        audit.record(actor=actor, action="end_term", obj=post, organisation=post.branch,
                     changes={"ended_on": [None, post.ended_on.isoformat()]})
    _sync_roles(actor=actor, branch=person.branch, person=person)
    audit.record(actor=actor, action="transfer_out" if transfer is not None else "update", obj=person,
                 organisation=person.branch,
                 changes={"active": [True, False], "left_on": [None, on.isoformat()], "reason": [None, reason]})
    return person
