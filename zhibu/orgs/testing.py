"""Test helpers: factories and the named cast every app's tests use.

    cast.secretary, cast.committee (组织委员), cast.member, cast.outsider (a member of another
    branch), cast.district_admin, cast.auditor — users; cast.branch, cast.other_branch,
    cast.district, cast.group — organisations; cast.people — the branch's people.

`add_edge_roles(cast)` adds what a security probe also tries (kept out of the default cast, whose
reminders and counts other tests pin): cast.plain_committee (支委 role, no post), cast.other_district
with cast.other_district_branch and its admin cast.other_district_admin.
"""
from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field

import factory
from django.contrib.auth import get_user_model

from zhibu.core.crypto import digest
from zhibu.orgs import rules
from zhibu.orgs.models import CommitteePosition, Organisation, OrgKind, Person, Position, Role, RoleKind, Standing

PASSWORD = "test-pass-123"
_id_seq = itertools.count(1)


def valid_id_number(birth: dt.date = dt.date(1985, 6, 1), female: bool = True) -> str:
    n = next(_id_seq)
    first17 = f"320902{birth:%Y%m%d}{n % 100:02d}{(2 * (n // 100) % 10) if female else (2 * (n // 100) + 1) % 10}"
    return first17 + rules.id_check_char(first17)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])


def make_org(name: str, kind: str, parent: Organisation | None = None, unit: str = "") -> Organisation:
    org = Organisation.objects.create(name=name, kind=kind, parent=parent, unit=unit)
    org.path = f"{parent.path if parent else '/'}{org.pk}/"
    org.save(update_fields=["path"])
    return org


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"党员{n}")
    gender = "女"
    birth_date = dt.date(1985, 6, 1)
    standing = Standing.FULL
    admitted_on = dt.date(2010, 7, 1)
    full_on = dt.date(2011, 7, 1)
    post = "教师"
    phone = factory.Sequence(lambda n: f"138{n:08d}")
    id_number = factory.LazyAttribute(lambda o: valid_id_number(o.birth_date))
    id_number_digest = factory.LazyAttribute(lambda o: digest(o.id_number) if o.id_number else None)


@dataclass
class Cast:
    district: Organisation
    branch: Organisation
    other_branch: Organisation
    group: Organisation
    secretary: object
    committee: object
    member: object
    outsider: object
    district_admin: object
    auditor: object
    secretary_person: Person
    committee_person: Person
    member_person: Person
    outsider_person: Person
    people: list[Person] = field(default_factory=list)
    plain_committee: object = None
    other_district: Organisation | None = None
    other_district_branch: Organisation | None = None
    other_district_admin: object = None

    def users(self) -> dict[str, object]:
        names = ("secretary", "committee", "member", "outsider", "district_admin", "auditor",
                 "plain_committee", "other_district_admin")
        return {n: getattr(self, n) for n in names if getattr(self, n) is not None}


def _account(name: str, person: Person | None, org: Organisation, role: str):
    u = UserFactory(username=name)
    Role.objects.create(user=u, organisation=org, role=role)
    if person is not None:
        person.user = u
        person.save(update_fields=["user"])
    return u


def add_edge_roles(cast: Cast) -> Cast:
    """A 支委 without a committee post (赵党员) and a second district with a branch and an admin."""
    cast.plain_committee = _account("committee2", cast.people[3], cast.branch, RoleKind.COMMITTEE)
    cast.other_district = make_org("另一区教育局党委", OrgKind.COMMITTEE)
    cast.other_district_branch = make_org("另一区实验小学党支部", OrgKind.BRANCH, cast.other_district, "另一区实验小学")
    PersonFactory(branch=cast.other_district_branch, name="外区党员")
    cast.other_district_admin = _account("district2", None, cast.other_district, RoleKind.DISTRICT_ADMIN)
    return cast


def make_cast(today: dt.date = dt.date(2026, 3, 1)) -> Cast:
    district = make_org("示范区教育局党委", OrgKind.COMMITTEE)
    branch = make_org("阳光幼儿园党支部", OrgKind.BRANCH, district, "阳光幼儿园")
    other = make_org("育才小学党支部", OrgKind.BRANCH, district, "育才小学")
    group = make_org("第一党小组", OrgKind.GROUP, branch)
    people = [PersonFactory(branch=branch, name=n, group=group if i < 4 else None)
              for i, n in enumerate(["王书记", "李组织", "张党员", "赵党员", "钱党员", "孙党员", "周党员", "吴党员"])]
    people.append(PersonFactory(branch=branch, name="郑预备", standing=Standing.PROBATIONARY, admitted_on=dt.date(2025, 12, 1), full_on=None))
    people.append(PersonFactory(branch=branch, name="冯积极", standing=Standing.ACTIVIST, admitted_on=None, full_on=None))
    people.append(PersonFactory(branch=branch, name="陈老师", standing=Standing.MASSES, admitted_on=None, full_on=None))
    other_people = [PersonFactory(branch=other, name=f"育才{n}") for n in ("甲", "乙", "丙")]
    start = dt.date(today.year - 1, 9, 1)
    for person, pos in zip(people[:3], [Position.SECRETARY, Position.ORGANISATION, Position.PROPAGANDA]):
        CommitteePosition.objects.create(branch=branch, person=person, position=pos, term_start=start, term_end=rules.term_end(start))

    user = _account

    return Cast(
        district=district, branch=branch, other_branch=other, group=group,
        secretary=user("secretary", people[0], branch, RoleKind.SECRETARY),
        committee=user("committee", people[1], branch, RoleKind.COMMITTEE),
        member=user("member", people[2], branch, RoleKind.MEMBER),
        outsider=user("outsider", other_people[0], other, RoleKind.MEMBER),
        district_admin=user("district", None, district, RoleKind.DISTRICT_ADMIN),
        auditor=user("auditor", None, district, RoleKind.AUDITOR),
        secretary_person=people[0], committee_person=people[1], member_person=people[2], outsider_person=other_people[0],
        people=people,
    )


def home_html(client, org) -> str:
    """The home page as a reader sees it once loaded: the page plus every panel it loads afterwards
    (zhibu.core.panels: the lazy panels come from orgs:panel)."""
    import re

    from django.urls import reverse

    page = client.get(reverse("orgs:home", args=[org.pk])).content.decode()
    parts = [page]
    for app in re.findall(r'hx-get="/o/\d+/panel/([\w-]+)/"', page):
        parts.append(client.get(reverse("orgs:panel", args=[org.pk, app]), HTTP_HX_REQUEST="true").content.decode())
    return "\n".join(parts)
