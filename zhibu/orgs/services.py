"""Every write about organisations and people: keyword-only, atomic, audited."""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from zhibu.core import audit
from zhibu.core.crypto import digest
from zhibu.orgs import rules
from zhibu.orgs.models import (
    CommitteePosition,
    Organisation,
    OrgKind,
    Person,
    Role,
    Standing,
    Transfer,
    TransferDirection,
)

PERSON_FIELDS = (
    "name", "gender", "birth_date", "ethnicity", "education", "id_number", "phone", "post",
    "employment", "standing", "admitted_on", "full_on", "group_id",
)


def _set_path(org: Organisation) -> None:
    parent_path = org.parent.path if org.parent_id else "/"
    org.path = f"{parent_path}{org.pk}/"
    org.save(update_fields=["path"])


@transaction.atomic
def create_organisation(*, actor, name: str, kind: str, parent: Organisation | None, unit: str = "") -> Organisation:
    if kind != OrgKind.COMMITTEE and parent is None:
        raise ValidationError("除党委外,组织必须有上级组织")
    if kind == OrgKind.GROUP and (parent is None or parent.kind != OrgKind.BRANCH):
        raise ValidationError("党小组必须设在党支部之下")
    org = Organisation.objects.create(name=name, kind=kind, parent=parent, unit=unit)
    _set_path(org)
    audit.record(actor=actor, action="create", obj=org, organisation=org, changes=audit.diff({}, audit.snapshot(org)))
    return org


def _prepare_person(values: dict[str, Any]) -> dict[str, Any]:
    values = dict(values)
    if values.get("id_number"):
        values["id_number"] = rules.normalise_id(values["id_number"])
        error = rules.validate_id_number(values["id_number"])
        if error:
            raise ValidationError({"id_number": error})
    if values.get("phone"):
        values["phone"] = values["phone"].strip().replace(" ", "").replace("-", "")
        error = rules.validate_phone(values["phone"])
        if error:
            raise ValidationError({"phone": error})
    return values


def _apply_person(person: Person, values: dict[str, Any]) -> None:
    for key, value in values.items():
        setattr(person, key, value)
    person.id_number_digest = digest(person.id_number) if person.id_number else None


def _check_unique_id(person: Person) -> None:
    if person.id_number_digest and Person.objects.filter(id_number_digest=person.id_number_digest).exclude(pk=person.pk).exists():
        raise ValidationError({"id_number": "该身份证号已登记在册"})


@transaction.atomic
def create_person(*, actor, branch: Organisation, **values: Any) -> Person:
    values = _prepare_person(values)
    person = Person(branch=branch)
    _apply_person(person, values)
    _check_unique_id(person)
    person.full_clean(exclude=["id_number_digest", "user"])
    person.save()
    audit.record(actor=actor, action="create", obj=person, organisation=branch, changes=audit.diff({}, audit.snapshot(person, PERSON_FIELDS)))
    return person


@transaction.atomic
def update_person(*, actor, person: Person, **values: Any) -> Person:
    values = _prepare_person(values)
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = audit.snapshot(person, PERSON_FIELDS)
    _apply_person(person, values)
    _check_unique_id(person)
    person.full_clean(exclude=["id_number_digest", "user"])
    person.save()
    changes = audit.diff(before, audit.snapshot(person, PERSON_FIELDS))
    if changes:
        audit.record(actor=actor, action="update", obj=person, organisation=person.branch, changes=changes)
    return person


@transaction.atomic
def reveal(*, actor, person: Person, field: str) -> str:
    """Return a sensitive value in the clear; every reveal is audited."""
    if field not in ("id_number", "phone"):
        raise ValueError(field)
    audit.record(actor=actor, action="reveal", obj=person, organisation=person.branch, changes={"field": field})
    return getattr(person, field)


@transaction.atomic
def appoint(*, actor, branch: Organisation, person: Person, position: str, term_start: dt.date, term_years: int = rules.TERM_YEARS) -> CommitteePosition:
    if person.branch_id != branch.pk:
        raise ValidationError("只能任命本支部党员")
    if person.standing != Standing.FULL:
        raise ValidationError("支部委员应为正式党员")
    current = CommitteePosition.objects.filter(branch=branch, position=position, ended_on__isnull=True)
    for old in current:
        old.ended_on = term_start
        old.save(update_fields=["ended_on"])
        audit.record(actor=actor, action="end_term", obj=old, organisation=branch, changes={"ended_on": [None, term_start.isoformat()]})
    pos = CommitteePosition.objects.create(
        branch=branch, person=person, position=position, term_start=term_start, term_end=rules.term_end(term_start, term_years)
    )
    audit.record(actor=actor, action="create", obj=pos, organisation=branch, changes=audit.diff({}, audit.snapshot(pos)))
    return pos


@transaction.atomic
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
    CommitteePosition.objects.filter(person=person, ended_on__isnull=True).update(ended_on=date)
    audit.record(actor=actor, action="transfer_out", obj=person, organisation=person.branch,
                 changes={"active": [True, False], "transfer": t.pk, "other_org": [None, other_org]})
    return t


@transaction.atomic
def transfer_in(*, actor, branch: Organisation, date: dt.date, other_org: str, letter_number: str = "",
                dues_paid_to: dt.date | None = None, note: str = "", **person_values: Any) -> Transfer:
    person = create_person(actor=actor, branch=branch, **person_values)
    t = Transfer.objects.create(
        person=person, branch=branch, direction=TransferDirection.IN, date=date, other_org=other_org,
        letter_number=letter_number, dues_paid_to=dues_paid_to, note=note,
    )
    audit.record(actor=actor, action="transfer_in", obj=person, organisation=branch, changes={"transfer": t.pk, "other_org": [None, other_org]})
    return t


@transaction.atomic
def grant_role(*, actor, user, organisation: Organisation, role: str) -> Role:
    r, created = Role.objects.get_or_create(user=user, organisation=organisation, role=role)
    if created:
        audit.record(actor=actor, action="grant_role", obj=r, organisation=organisation, changes={"role": [None, role], "user": [None, user.username]})
    return r


@transaction.atomic
def create_account(*, actor, username: str, password: str, person: Person | None = None, organisation: Organisation, role: str):
    if person is not None and person.user_id:
        raise ValidationError("此人已有账号")
    if person is not None and not person.active:
        raise ValidationError("已转出人员不能开通账号")
    User = get_user_model()
    user = User.objects.create_user(username=username, password=password)
    if person is not None:
        person.user = user
        person.save(update_fields=["user"])
    grant_role(actor=actor, user=user, organisation=organisation, role=role)
    audit.record(actor=actor, action="create_account", object_type="auth.User", object_id=str(user.pk), object_repr=username, organisation=organisation)
    return user


@transaction.atomic
def import_roster(*, actor, branch: Organisation, rows: list[dict[str, Any]]) -> dict[str, int]:
    """Write validated roster rows (from roster.validate): update people matched by ID number,
    create the rest. All or nothing: any error rolls the whole import back."""
    created = updated = unchanged = 0
    existing = {p.pk: p for p in Person.objects.filter(pk__in=[r["person_id"] for r in rows if r["person_id"]])}
    for row in rows:
        values = {k: v for k, v in row.items() if k in PERSON_FIELDS}
        if row["person_id"]:
            person = existing[row["person_id"]]
            before = audit.snapshot(person, PERSON_FIELDS)
            update_person(actor=actor, person=person, **values)
            person.refresh_from_db()
            if audit.snapshot(person, PERSON_FIELDS) == before:
                unchanged += 1
            else:
                updated += 1
        else:
            create_person(actor=actor, branch=branch, **values)
            created += 1
    audit.record(actor=actor, action="import", object_type="orgs.Roster", object_repr=f"{branch} 花名册导入",
                 organisation=branch, changes={"created": created, "updated": updated, "unchanged": unchanged})
    return {"created": created, "updated": updated, "unchanged": unchanged}


@transaction.atomic
def record_export(*, actor, branch: Organisation, what: str, count: int) -> None:
    """Exports that carry sensitive values are audited like reveals."""
    audit.record(actor=actor, action="export", object_type="orgs.Roster", object_repr=f"{branch} {what}",
                 organisation=branch, changes={"rows": count})
