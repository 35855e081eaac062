"""Deterministic, realistic demo data for organisations and people, written with bulk inserts.

Other apps extend the demo with their own records through a module `zhibu.<app>.demo` that has
`generate(ctx: DemoContext) -> None`; the `demo` command calls them in APPS order."""
from __future__ import annotations

import datetime as dt
import random
import sys
import time
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from zhibu.core.crypto import digest, encrypt
from zhibu.orgs import rules
from zhibu.orgs.models import (
    CommitteePosition,
    Degree,
    Employment,
    Occupation,
    Organisation,
    OrgKind,
    Person,
    Position,
    Role,
    RoleKind,
    Standing,
)

DEMO_PASSWORD = "zhibu2026"
DEMO_ACCOUNTS = [
    ("secretary", "支部书记(第一个支部)"),
    ("committee", "组织委员(第一个支部)"),
    ("member", "党员(第一个支部)"),
    ("outsider", "另一支部的党员"),
    ("district", "区教育局党委管理员"),
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "秀英桂兰玉梅丽华敏静晓燕红霞娟芳婷雪琳颖洁慧佳欣悦思雨涵琪倩岚蓉莉萍丹艳玲明伟强军磊洋勇杰涛斌超浩宇鹏辉建国志刚文博子轩晨阳"
PLACES = ["城东", "城西", "城南", "城北", "新区", "滨湖", "东湖", "西山", "南苑", "北苑", "长江", "阳光", "实验", "育才", "春晖", "明德",
          "启明", "向阳", "红星", "朝阳", "锦绣", "和平", "建设", "解放", "人民", "新华", "文昌", "凤凰", "金桥", "银杏"]
UNIT_TYPES = ["幼儿园", "幼儿园", "实验幼儿园", "中心幼儿园", "小学", "实验小学", "中学", "初级中学"]
POSTS = ["教师"] * 12 + ["保育员"] * 3 + ["保健医", "财务", "后勤", "教研组长", "年级组长"]
EDUCATION = ["本科"] * 6 + ["大专"] * 3 + ["硕士研究生", "中专"]
ETHNICITY = ["汉族"] * 18 + ["回族", "满族", "壮族"]
REGIONS = ["320902", "320903", "320904", "110105", "440106", "510104"]
NATIVE_PLACES = ["江苏盐城"] * 6 + ["江苏南京", "江苏淮安", "江苏南通", "山东临沂", "安徽阜阳", "河南商丘", "浙江温州"]
ROADS = ["人民路", "解放路", "建设路", "文昌路", "新华路", "开放大道", "世纪大道", "青年路", "迎宾大道", "五星路"]
DEGREES = {"硕士研究生": Degree.MASTER, "本科": Degree.BACHELOR}
OCCUPATIONS = {"园长": Occupation.MANAGER, "校长": Occupation.MANAGER,
               "保育员": Occupation.WORKER, "后勤": Occupation.WORKER}
JOINED_ELSEWHERE = ("盐城师范学院学前教育学院学生党支部", "江苏师范大学教育科学学院学生党支部")
# Fields of the 全国党员管理信息系统 the demo leaves blank for some people (the completeness check's work).
NATIONAL_EXTRA = ("native_place", "degree", "work_started_on", "occupation", "joined_branch", "sponsors",
                  "home_address")


def say(progress, message: str) -> None:
    """One progress line (a plain stream or a management command's OutputWrapper, which would add
    its own newline after print's)."""
    progress.write(message + "\n")
    progress.flush()


@dataclass
class DemoContext:
    rng: random.Random
    year: int
    district: Organisation
    branches: list[Organisation]
    people: dict[int, list[Person]]  # branch id -> current people (with ids)
    accounts: dict[str, object] = field(default_factory=dict)  # username -> User
    progress: object = sys.stderr

    def say(self, message: str) -> None:
        say(self.progress, message)


def _id_number(rng: random.Random, birth: dt.date, female: bool, used: set[str]) -> str:
    while True:
        seq = rng.randrange(0, 100)
        sex_digit = rng.choice("02468" if female else "13579")
        first17 = f"{rng.choice(REGIONS)}{birth:%Y%m%d}{seq:02d}{sex_digit}"
        value = first17 + rules.id_check_char(first17)
        if value not in used:
            used.add(value)
            return value


def _branch_names(rng: random.Random, n: int) -> list[tuple[str, str]]:
    names, seen = [], set()
    for i in range(n):
        unit = f"示范区{PLACES[i % len(PLACES)]}{UNIT_TYPES[(i // len(PLACES) + i) % len(UNIT_TYPES)]}"
        if unit in seen:
            unit = f"{unit[:-3]}第{i // len(PLACES) + 1}{unit[-3:]}" if unit.endswith("幼儿园") else f"{unit}第{i + 1}分校"
        seen.add(unit)
        names.append((f"{unit}党支部", unit))
    return names


def _standings(m: int) -> list[str]:
    """A plausible mix for a branch of m people: most are full members."""
    n_prob = max(1, m // 10)
    n_act = max(1, m // 15)
    n_cand = 1 if m >= 8 else 0
    n_appl = 1 if m >= 12 else 0
    n_masses = max(1, m // 10)
    n_full = max(3, m - n_prob - n_act - n_cand - n_appl - n_masses)
    out = [Standing.FULL] * n_full + [Standing.PROBATIONARY] * n_prob + [Standing.ACTIVIST] * n_act
    out += [Standing.CANDIDATE] * n_cand + [Standing.APPLICANT] * n_appl + [Standing.MASSES] * n_masses
    return out[:m] if len(out) >= m else out + [Standing.MASSES] * (m - len(out))


def _national_fields(people: list[Person], rng: random.Random, year: int) -> None:
    """籍贯, 学位, 参加工作时间, 职业类别, 入党时所在支部, 入党介绍人, 家庭住址 for members (the
    全国党员管理信息系统 holds members only); about one in eight leaves one or two of them blank."""
    names = [p.name for p in people[:200]] or ["王明"]
    members = (Standing.FULL, Standing.PROBATIONARY)
    for p in people:
        if p.standing not in members:
            continue
        r = rng.random()
        p.native_place = NATIVE_PLACES[int(r * len(NATIVE_PLACES))]
        p.degree = DEGREES.get(p.education, Degree.NONE)
        if p.birth_date:
            start = dt.date(p.birth_date.year + 19 + int(r * 5), 9, 1)
            p.work_started_on = start if start.year < year else None
        retired = p.employment == Employment.RETIRED
        p.occupation = Occupation.RETIRED if retired else OCCUPATIONS.get(p.post, Occupation.PROFESSIONAL)
        p.joined_branch = p.branch.name if r < 0.7 else JOINED_ELSEWHERE[int(r * 10) % 2]
        n = rng.randrange(1_000_000)
        p.sponsors = f"{names[n % len(names)]}、{names[(n // 7 + 1) % len(names)]}"
        road = ROADS[n % len(ROADS)]
        p.home_address = f"示范区{road}{n % 300 + 1}号{n // 300 % 30 + 1}栋{n // 9000 % 6 + 1}0{n % 4 + 1}室"
        if r < 0.125:
            for name in NATIONAL_EXTRA[n % len(NATIONAL_EXTRA)], NATIONAL_EXTRA[n // 11 % len(NATIONAL_EXTRA)]:
                setattr(p, name, None if name == "work_started_on" else "")


def generate(*, branches: int, members: int, year: int, seed: int = 1, progress=sys.stderr) -> DemoContext:
    rng = random.Random(seed)
    t0 = time.monotonic()
    with transaction.atomic():
        district = Organisation.objects.create(name="示范区教育局党委", kind=OrgKind.COMMITTEE, unit="示范区教育局")
        district.path = f"/{district.pk}/"
        district.save(update_fields=["path"])
        branch_objs = Organisation.objects.bulk_create(
            [Organisation(name=name, kind=OrgKind.BRANCH, parent=district, unit=unit) for name, unit in _branch_names(rng, branches)],
            batch_size=1000,
        )
        for b in branch_objs:
            b.path = f"{district.path}{b.pk}/"
        Organisation.objects.bulk_update(branch_objs, ["path"], batch_size=1000)
        n_groups = 0 if members < 10 else (2 if members < 25 else 3)
        group_objs = Organisation.objects.bulk_create(
            [Organisation(name=f"第{'一二三'[g]}党小组", kind=OrgKind.GROUP, parent=b, unit=b.unit)
             for b in branch_objs for g in range(n_groups)], batch_size=2000,
        )
        groups_by_branch: dict[int, list[Organisation]] = {}
        for g in group_objs:
            g.path = f"{district.path}{g.parent_id}/{g.pk}/"
            groups_by_branch.setdefault(g.parent_id, []).append(g)
        Organisation.objects.bulk_update(group_objs, ["path"], batch_size=2000)
        say(progress, f"  组织: {len(branch_objs)} 个支部, {len(group_objs)} 个党小组 ({time.monotonic() - t0:.1f}s)")

        used_ids: set[str] = set()
        people: list[Person] = []
        standings = _standings(members)
        for bi, b in enumerate(branch_objs):
            groups = groups_by_branch.get(b.pk, [])
            for i, standing in enumerate(standings):
                female = rng.random() < 0.8  # kindergartens and primary schools: mostly women
                retired = standing == Standing.FULL and rng.random() < 0.08
                age = rng.randint(56, 75) if retired else rng.randint(22, 55)
                birth = dt.date(year - age, rng.randint(1, 12), rng.randint(1, 28))
                admitted = full = None
                if standing == Standing.FULL:
                    admitted = dt.date(rng.randint(max(birth.year + 19, year - 35), year - 2), rng.randint(1, 12), rng.randint(1, 28))
                    full = rules.add_years(admitted, 1)
                elif standing == Standing.PROBATIONARY:
                    admitted = dt.date(year - 1, rng.randint(7, 12), rng.randint(1, 28))
                id_number = _id_number(rng, birth, female, used_ids)
                post = "园长" if i == 0 and "幼儿园" in b.unit else "校长" if i == 0 else rng.choice(POSTS)
                people.append(Person(
                    name=rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))),
                    gender="女" if female else "男", birth_date=birth, ethnicity=rng.choice(ETHNICITY),
                    education=rng.choice(EDUCATION), id_number=id_number, id_number_digest=digest(id_number),
                    phone=f"1{rng.choice('3589')}{rng.randrange(10**9):09d}", post=post,
                    employment=Employment.RETIRED if retired else Employment.IN_SERVICE, standing=standing,
                    admitted_on=admitted, full_on=full, branch=b,
                    group=groups[i % len(groups)] if groups and standing in (Standing.FULL, Standing.PROBATIONARY) else None,
                ))
            if (bi + 1) % 250 == 0:
                say(progress, f"  人员: {bi + 1}/{len(branch_objs)} 个支部 ({time.monotonic() - t0:.1f}s)")
        _national_fields(people, random.Random(seed * 7919 + 17), year)  # own stream: the fields above stay as they were
        # Encrypt in bulk: the field encrypts on save, bulk_create goes through get_prep_value too.
        created = Person.objects.bulk_create(people, batch_size=2000)
        by_branch: dict[int, list[Person]] = {}
        for p in created:
            by_branch.setdefault(p.branch_id, []).append(p)

        positions = []
        for b in branch_objs:
            full_members = [p for p in by_branch[b.pk] if p.standing == Standing.FULL and p.employment == Employment.IN_SERVICE]
            start = dt.date(year - rng.choice((0, 1, 2, 2, 3)), rng.choice((3, 6, 9, 12)), 1)
            roles = [Position.SECRETARY, Position.ORGANISATION, Position.PROPAGANDA] if len(full_members) >= 7 else [Position.SECRETARY]
            if len(full_members) >= 15:
                roles.append(Position.DISCIPLINE)
            for pos, person in zip(roles, full_members):
                positions.append(CommitteePosition(branch=b, person=person, position=pos, term_start=start, term_end=rules.term_end(start)))
        CommitteePosition.objects.bulk_create(positions, batch_size=2000)
        say(progress, f"  人员 {len(created)} 人, 支委 {len(positions)} 人 ({time.monotonic() - t0:.1f}s)")

        ctx = DemoContext(rng=rng, year=year, district=district, branches=branch_objs, people=by_branch, progress=progress)
        _accounts(ctx, positions)
    return ctx


def _accounts(ctx: DemoContext, positions: list[CommitteePosition]) -> None:
    User = get_user_model()
    password = make_password(DEMO_PASSWORD)
    first = ctx.branches[0]
    second = ctx.branches[1] if len(ctx.branches) > 1 else None
    by_pos = {(p.branch_id, p.position): p.person for p in positions}
    people = ctx.people[first.pk]
    secretary = by_pos.get((first.pk, Position.SECRETARY))
    committee = by_pos.get((first.pk, Position.ORGANISATION))
    taken = {p.person.pk for p in positions if p.branch_id == first.pk}  # `member` holds no committee post
    member = next(p for p in people if p.standing == Standing.FULL and p.pk not in taken)
    outsider = next((p for p in ctx.people[second.pk] if p.standing == Standing.FULL), None) if second else None
    plan = [
        ("secretary", secretary, first, RoleKind.SECRETARY),
        ("committee", committee, first, RoleKind.COMMITTEE),
        ("member", member, first, RoleKind.MEMBER),
        ("outsider", outsider, second, RoleKind.MEMBER),
        ("district", None, ctx.district, RoleKind.DISTRICT_ADMIN),
    ]
    for username, person, org, role in plan:
        if org is None:
            continue
        user = User.objects.create(username=username, password=password)
        if person is not None:
            Person.objects.filter(pk=person.pk).update(user=user)
            person.user = user
        Role.objects.create(user=user, organisation=org, role=role)
        ctx.accounts[username] = user
