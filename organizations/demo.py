"""Deterministic demo data with the shape of a real province.

``seed(scale)`` builds the whole tree in memory from a fixed random seed,
then writes it with ``bulk_create`` in batches: a province (over 5,000
organizations, 110,300 members) is a few hundred statements, not a walk.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction

from common.text import fold, name_sort_key

from .imports import age_on
from .models import (
    Body,
    BodyKind,
    Discipline,
    DisciplineForm,
    Gender,
    Kinship,
    Membership,
    Organization,
    OrgKind,
    Person,
    Position,
    Relation,
    RoleKind,
    Tenure,
)
from .services import role_grant

SEED = 2026
DEMO_PASSWORD = "DemoPortal@2026"


@dataclass(frozen=True)
class Scale:
    subordinate: int
    grassroots_committees: int
    grassroots_cells: int
    cells: int
    members: int
    kinships: int
    person_disciplines: int


SCALES = {
    "small": Scale(subordinate=2, grassroots_committees=4, grassroots_cells=2, cells=12,
                   members=300, kinships=12, person_disciplines=4),
    # 921 grassroots organizations = 613 grassroots committees + 308 grassroots cells.
    "province": Scale(subordinate=15, grassroots_committees=613, grassroots_cells=308,
                      cells=4293, members=110_300, kinships=1_500, person_disciplines=450),
    # Ten provinces' worth in one tree (1.1 million members), for the benchmarks' scaling runs.
    "province10": Scale(subordinate=150, grassroots_committees=6130, grassroots_cells=3080,
                        cells=42930, members=1_103_000, kinships=15_000, person_disciplines=4_500),
}

# (login, role, where: "root" | "subordinate" | "grassroots" | "cell", description)
DEMO_USERS = [
    ("bantochuc", RoleKind.PROVINCE_BOARD, "root", "Cán bộ Ban Tổ chức Tỉnh ủy"),
    ("vanphong", RoleKind.COMMITTEE_STAFF, "subordinate", "Cán bộ văn phòng Đảng ủy trực thuộc"),
    ("bithu", RoleKind.HEAD, "grassroots", "Bí thư Đảng ủy cơ sở"),
    ("kiemtra", RoleKind.INSPECTION, "root", "Cán bộ Ủy ban Kiểm tra Tỉnh ủy"),
    ("dangvien", RoleKind.MEMBER, "cell", "Đảng viên (xem hồ sơ của mình)"),
]

SURNAMES = [("Nguyễn", 38), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 4), ("Huỳnh", 3),
            ("Phan", 4), ("Vũ", 4), ("Võ", 3), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 2), ("Hồ", 2),
            ("Ngô", 2), ("Dương", 1), ("Lý", 1), ("Đinh", 1), ("Trịnh", 1)]
MIDDLE = {Gender.MALE: ["Văn", "Hữu", "Đức", "Minh", "Quang", "Công", "Xuân", "Thanh", "Đình"],
          Gender.FEMALE: ["Thị", "Thu", "Ngọc", "Thanh", "Kim", "Thị Thu", "Mai", "Hồng"]}
GIVEN = {Gender.MALE: ["An", "Bình", "Cường", "Dũng", "Hùng", "Hải", "Hiếu", "Khánh", "Long",
                       "Minh", "Nam", "Phong", "Quân", "Sơn", "Thắng", "Toàn", "Tuấn", "Việt",
                       "Đức", "Trung", "Lộc", "Thành", "Hưng", "Tiến"],
         Gender.FEMALE: ["Anh", "Chi", "Dung", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai",
                         "Nga", "Ngọc", "Nhung", "Phương", "Thảo", "Trang", "Vân", "Yến", "Hằng",
                         "Thủy", "Loan", "Oanh"]}
PLACES = ["Tân An", "Hòa Bình", "Phú Lộc", "An Khánh", "Đông Hưng", "Tiên Lữ", "Quỳnh Phụ",
          "Kiến Xương", "Vũ Thư", "Minh Đức", "Hưng Đạo", "Thanh Nê", "Bình Minh", "Đồng Tiến",
          "Quang Trung", "Lê Lợi", "Trần Phú", "Hồng Phong", "Nam Cường", "Tây Sơn"]
SUBORDINATE_NAMES = ["Đảng bộ Các cơ quan Đảng tỉnh", "Đảng bộ Ủy ban nhân dân tỉnh",
                     "Đảng bộ Công an tỉnh", "Đảng bộ Quân sự tỉnh",
                     "Đảng bộ Khối Doanh nghiệp tỉnh"]
AGENCIES = ["Sở Tài chính", "Sở Nội vụ", "Sở Xây dựng", "Sở Y tế", "Sở Giáo dục và Đào tạo",
            "Sở Nông nghiệp và Môi trường", "Sở Tư pháp", "Sở Công Thương",
            "Sở Văn hóa, Thể thao và Du lịch", "Sở Khoa học và Công nghệ"]

TERM_START = {OrgKind.PROVINCIAL: dt.date(2025, 10, 15), OrgKind.SUBORDINATE: dt.date(2025, 9, 1),
              OrgKind.GRASSROOTS_COMMITTEE: dt.date(2025, 6, 15),
              OrgKind.GRASSROOTS_CELL: dt.date(2025, 5, 20), OrgKind.CELL: dt.date(2025, 5, 10),
              OrgKind.AGENCY: dt.date(2024, 1, 1)}


@dataclass
class Node:
    name: str
    code: str
    kind: str
    children: list[Node] = field(default_factory=list)
    members: list[int] = field(default_factory=list)  # person indices (cells only)
    cells: list[Node] = field(default_factory=list)  # cell-kind nodes in the subtree
    obj: Organization | None = None


def _spread(total: int, parts: int, rng: random.Random, low=0.6, high=1.4) -> list[int]:
    """``total`` split into ``parts`` uneven whole shares that add up exactly."""
    weights = [rng.uniform(low, high) for _ in range(parts)]
    scale = total / sum(weights)
    shares = [int(w * scale) for w in weights]
    for i in range(total - sum(shares)):
        shares[i % parts] += 1
    return shares


def _build_tree(scale: Scale, rng: random.Random) -> Node:
    root = Node("Đảng bộ tỉnh Ninh Giang", "tinh-ninh-giang", OrgKind.PROVINCIAL)
    subs = []
    for i in range(scale.subordinate):
        if i < len(SUBORDINATE_NAMES):
            name = SUBORDINATE_NAMES[i]
        else:
            name = f"Đảng bộ khu vực {PLACES[i % len(PLACES)]}"
        subs.append(Node(name, f"dbtt-{i + 1:02d}", OrgKind.SUBORDINATE))
    root.children = subs
    committees_per_sub = _spread(scale.grassroots_committees, len(subs), rng)
    gcells_per_sub = _spread(scale.grassroots_cells, len(subs), rng)
    cells_per_committee = _spread(scale.cells, scale.grassroots_committees, rng, 0.4, 1.6)
    n_committee = n_gcell = n_cell = 0
    for s, sub in enumerate(subs):
        for _ in range(committees_per_sub[s]):
            place = PLACES[n_committee % len(PLACES)]
            ward = "phường" if n_committee % 3 == 0 else "xã"
            gc = Node(f"Đảng bộ {ward} {place} {n_committee // len(PLACES) + 1}",
                      f"dbcs-{n_committee + 1:04d}", OrgKind.GRASSROOTS_COMMITTEE)
            for c in range(cells_per_committee[n_committee]):
                n_cell += 1
                gc.children.append(Node(f"Chi bộ thôn {c + 1} ({place})", f"cb-{n_cell:05d}",
                                        OrgKind.CELL))
            n_committee += 1
            sub.children.append(gc)
        for _ in range(gcells_per_sub[s]):
            n_gcell += 1
            sub.children.append(Node(f"Chi bộ cơ sở Trường học số {n_gcell}",
                                     f"cbcs-{n_gcell:04d}", OrgKind.GRASSROOTS_CELL))
    # The provincial government's departments: under the party committee of the provincial People's
    # Committee, each department's party committee (its cells are the department's offices), and the
    # department itself as the agency whose leadership collective that committee leads.
    if len(subs) > 1:
        committees = [n for n in subs[1].children if n.kind == OrgKind.GRASSROOTS_COMMITTEE]
        for i, grassroots in enumerate(committees):
            name = AGENCIES[i % len(AGENCIES)] + (f" ({i // len(AGENCIES) + 1})" if i >= len(AGENCIES) else "")
            grassroots.name = f"Đảng bộ {name}"
            offices = [c for c in grassroots.children if c.kind == OrgKind.CELL]
            for k, cell in enumerate(offices, start=1):
                cell.name = "Chi bộ Văn phòng" if k == 1 else f"Chi bộ Phòng nghiệp vụ {k - 1}"
            grassroots.children.append(Node(name, f"coquan-{i + 1:03d}", OrgKind.AGENCY))
    return root


def _collect_cells(node: Node) -> list[Node]:
    if node.kind in (OrgKind.CELL, OrgKind.GRASSROOTS_CELL):
        node.cells = [node]
    else:
        node.cells = [c for child in node.children for c in _collect_cells(child)]
    return node.cells


def _walk(node: Node):
    yield node
    for child in node.children:
        yield from _walk(child)


def _write_tree(root: Node) -> None:
    """Materialized paths computed here, one bulk insert for the whole tree."""
    rows: list[Organization] = []

    def place(node: Node, path: str, depth: int) -> None:
        node.obj = Organization(name=node.name, code=node.code, kind=node.kind, path=path,
                                depth=depth, numchild=len(node.children))
        rows.append(node.obj)
        for i, child in enumerate(node.children, start=1):
            place(child, Organization._get_path(path, depth + 1, i), depth + 1)

    place(root, Organization._get_path(None, 1, 1), 1)
    Organization.objects.bulk_create(rows, batch_size=2000)


def _person(i: int, rng: random.Random) -> Person:
    gender = Gender.MALE if rng.random() < 0.58 else Gender.FEMALE
    surname = rng.choices([s for s, _ in SURNAMES], weights=[w for _, w in SURNAMES])[0]
    name = f"{surname} {rng.choice(MIDDLE[gender])} {rng.choice(GIVEN[gender])}"
    if i == 0:
        name, gender = "Nguyễn Văn An", Gender.MALE  # a known name for the search demo
    birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 50 * 365))
    join = birth + dt.timedelta(days=rng.randrange(18 * 365 + 5, 40 * 365))
    join = min(join, dt.date(2025, 6, 30))
    official = join + dt.timedelta(days=365) if join < dt.date(2024, 6, 1) else None
    return Person(full_name=name, search_name=fold(name), sort_name=name_sort_key(name), gender=gender,
                  birth_date=birth, join_date=join, official_date=official, card_number=f"36{i + 1:08d}")


def seed(scale_name: str, log: Callable[[str], None] = print, steps: bool = True) -> dict[str, int]:
    """Write the demo; the database must be empty of organizations. Returns counts.

    ``steps=False`` leaves out the other apps' demo content (the tree and the people only).
    """
    if Organization.objects.exists():
        raise RuntimeError("The database already holds organizations; the demo seeds an empty one.")
    scale = SCALES[scale_name]
    rng = random.Random(SEED)
    positions = {p.code: p for p in Position.objects.all()}

    with transaction.atomic():
        root = _build_tree(scale, rng)
        _collect_cells(root)
        _write_tree(root)
        nodes = list(_walk(root))
        log(f"  {len(nodes)} tổ chức")

        people = [_person(i, rng) for i in range(scale.members)]
        Person.objects.bulk_create(people, batch_size=2000)
        log(f"  {len(people)} đảng viên")

        cells = root.cells
        sizes = _spread(scale.members, len(cells), rng, 0.3, 1.7)
        memberships: list[Membership] = []
        index = 0
        for cell, size in zip(cells, sizes):
            cell.members = list(range(index, index + size))
            index += size
            for p in cell.members:
                person = people[p]
                start = max(person.join_date, dt.date(2012, 1, 1)) + dt.timedelta(
                    days=rng.randrange(0, 400))
                if rng.random() < 0.05 and start > dt.date(2016, 1, 1):
                    # came from another cell: an earlier, closed membership
                    other = rng.choice(cells)
                    earlier = max(person.join_date,
                                  start - dt.timedelta(days=rng.randrange(200, 1500)))
                    if other is not cell and earlier < start:
                        memberships.append(Membership(
                            person=person, organization=other.obj, start=earlier,
                            end=start - dt.timedelta(days=1), note="Chuyển sinh hoạt"))
                memberships.append(Membership(person=person, organization=cell.obj, start=start))
        Membership.objects.bulk_create(memberships, batch_size=5000)
        log(f"  {len(memberships)} lượt sinh hoạt")

        tenures, bodies, secretary_of = _office_holders(root, nodes, people, positions, rng)
        log(f"  {len(bodies)} cơ quan lãnh đạo, {len(tenures)} chức vụ")

        kinships = []
        seen: set[tuple[int, int]] = set()
        while len(kinships) < scale.kinships:
            cell = rng.choice(cells)
            if len(cell.members) < 2:
                continue
            a, b = rng.sample(cell.members, 2)
            if (a, b) in seen or (b, a) in seen:
                continue
            seen.add((a, b))
            kinships.append(Kinship(person=people[a], relative=people[b],
                                    relation=_relation(people[a], people[b], rng),
                                    declared_on=dt.date(2025, 3, 1), organization=cell.obj))
        Kinship.objects.bulk_create(kinships, batch_size=2000)

        disciplines = []
        cell_of = {p: cell.obj for cell in cells for p in cell.members}  # the owner: the member's cell
        for p in rng.sample(range(1, scale.members), scale.person_disciplines):
            form = rng.choices([DisciplineForm.REPRIMAND, DisciplineForm.WARNING,
                                DisciplineForm.REMOVAL, DisciplineForm.EXPULSION],
                               weights=[60, 30, 7, 3])[0]
            disciplines.append(Discipline(
                person=people[p], owner=cell_of[p], form=form,
                decided_on=dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(0, 600)),
                decision_ref=f"{rng.randrange(1, 999)}-QĐ/UBKT",
                reason="Vi phạm quy định về những điều đảng viên không được làm",
                self_detected_remedied=rng.random() < 0.2))
        for cell in rng.sample(cells, max(1, len(cells) // 800)):
            disciplines.append(Discipline(
                organization=cell.obj, owner=cell.obj, form=DisciplineForm.REPRIMAND,
                decided_on=dt.date(2025, 2, 1) + dt.timedelta(days=rng.randrange(0, 200)),
                decision_ref=f"{rng.randrange(1, 999)}-QĐ/UBKT",
                reason="Buông lỏng lãnh đạo, quản lý đảng viên"))
        Discipline.objects.bulk_create(disciplines, batch_size=2000)
        log(f"  {len(kinships)} quan hệ gia đình, {len(disciplines)} kỷ luật")

        _demo_users(root, people, secretary_of)  # before the other apps' steps, which may act as them

        for step in _demo_steps if steps else []:
            log(f"  {step([n.obj for n in nodes])}")

    return {"organizations": len(nodes), "people": len(people),
            "memberships": len(memberships), "tenures": len(tenures)}


def _office_holders(root: Node, nodes: list[Node], people: list[Person],
                    positions: dict[str, Position], rng: random.Random):
    bodies: list[Body] = []
    body_of: dict[tuple[str, str], Body] = {}

    def body(node: Node, kind: str) -> Body:
        b = Body(organization=node.obj, kind=kind)
        bodies.append(b)
        body_of[(node.code, kind)] = b
        return b

    plan: list[tuple[Node, list[tuple[str, str | None]], dict]] = []
    for node in nodes:
        if node.kind == OrgKind.PROVINCIAL:
            seats = [("secretary", "x")] + [("deputy-secretary", "x")] * 2 + \
                [("standing-member", "x")] * 12 + [("executive-member", None)] * 35
            kinds = [BodyKind.EXECUTIVE, BodyKind.STANDING, BodyKind.STANDING_BOARD]
        elif node.kind == OrgKind.SUBORDINATE:
            seats = [("secretary", "x")] + [("deputy-secretary", "x")] * 2 + \
                [("standing-member", "x")] * 4 + [("executive-member", None)] * rng.randrange(10, 20)
            kinds = [BodyKind.EXECUTIVE, BodyKind.STANDING]
        elif node.kind == OrgKind.GRASSROOTS_COMMITTEE:
            size = rng.randrange(7, 16)
            standing = 3 if size >= 9 else 0
            in_standing = "x" if standing else None
            seats = [("secretary", in_standing), ("deputy-secretary", in_standing)] + \
                [("standing-member", "x")] * max(0, standing - 2) + \
                [("executive-member", None)] * (size - max(standing, 2))
            kinds = [BodyKind.EXECUTIVE] + ([BodyKind.STANDING] if standing else [])
        elif node.kind in (OrgKind.CELL, OrgKind.GRASSROOTS_CELL):
            n = len(node.members)
            seats = [("cell-secretary", None)] + ([("cell-deputy-secretary", None)] if n >= 10 else []) + \
                [("cell-committee-member", None)] * (3 if n >= 30 else 0)
            kinds = [BodyKind.CELL_MEETING]
        else:  # agency: leadership collective; its head is the party secretary above it
            seats = [("agency-head", None)] + [("agency-deputy", None)] * 2 + [("collective-member", None)] * 2
            kinds = [BodyKind.LEADERSHIP]
        plan.append((node, seats, {k: body(node, k) for k in kinds}))
    Body.objects.bulk_create(bodies, batch_size=2000)

    tenures: list[Tenure] = []
    secretary_of: dict[str, int] = {}
    parent_of = {child.code: node for node in nodes for child in node.children}
    for node, seats, node_bodies in plan:
        start = TERM_START[node.kind]
        pool = node.cells if node.kind != OrgKind.AGENCY else parent_of[node.code].cells
        chosen: list[int] = []
        if node.kind == OrgKind.AGENCY:
            # The "unified" model: the party secretary is also the head of the agency.
            chosen.append(secretary_of[parent_of[node.code].code])
        taken: set[int] = set(chosen)
        tries = 0
        while len(chosen) < len(seats) and tries < len(seats) * 20:
            tries += 1
            cell = rng.choice(pool)
            if not cell.members:
                continue
            p = rng.choice(cell.members)
            if p not in taken and _fits_post(people[p], node.kind, start, tries > len(seats) * 15):
                taken.add(p)
                chosen.append(p)
        for (code, standing), p in zip(seats, chosen):
            kw = dict(person=people[p], position=positions[code], organization=node.obj, start=start)
            if node.kind in (OrgKind.CELL, OrgKind.GRASSROOTS_CELL):
                tenures.append(Tenure(body=None, **kw))
            elif node.kind == OrgKind.AGENCY:
                tenures.append(Tenure(body=node_bodies[BodyKind.LEADERSHIP],
                                      concurrent=(code == "agency-head"), **kw))
            else:
                tenures.append(Tenure(body=node_bodies[BodyKind.EXECUTIVE], **kw))
                if standing and BodyKind.STANDING in node_bodies:
                    tenures.append(Tenure(body=node_bodies[BodyKind.STANDING], **kw))
                if code in ("secretary", "deputy-secretary") and BodyKind.STANDING_BOARD in node_bodies:
                    tenures.append(Tenure(body=node_bodies[BodyKind.STANDING_BOARD], **kw))
            if code in ("secretary", "cell-secretary"):
                secretary_of[node.code] = p
    # The province's previous secretary: "who was the head on 01/01/2024" has another answer.
    previous = next(i for i in range(len(people) - 1, 0, -1) if i != secretary_of[root.code])
    tenures.append(Tenure(person=people[previous], position=positions["secretary"],
                          organization=root.obj, body=body_of[(root.code, BodyKind.EXECUTIVE)],
                          start=dt.date(2020, 10, 15), end=dt.date(2025, 10, 14)))
    Tenure.objects.bulk_create(tenures, batch_size=5000)
    return tenures, bodies, secretary_of


def _relation(person: Person, relative: Person, rng: random.Random) -> str:
    """A relation their names and ages allow: kin by blood share the family name; a parent is a
    generation older; a spouse is of the other sex; anyone else is an in-law."""
    gap = abs((person.birth_date - relative.birth_date).days) / 365.25
    if person.full_name.split()[0] == relative.full_name.split()[0]:
        if gap >= 18:  # the relative is the person's parent, or their child
            return Relation.PARENT if relative.birth_date < person.birth_date else Relation.CHILD
        return Relation.SIBLING
    if person.gender != relative.gender and gap < 15 and rng.random() < 0.7:
        return Relation.SPOUSE
    return Relation.IN_LAW


def _fits_post(person: Person, kind: str, start: dt.date, last_resort: bool) -> bool:
    """Office holders of working age when their term began: 30-58 in a committee, 25-62 in a cell."""
    if last_resort:
        return True
    low, high = (25, 62) if kind in (OrgKind.CELL, OrgKind.GRASSROOTS_CELL) else (30, 58)
    return low <= age_on(person.birth_date, start) <= high


def _demo_users(root: Node, people: list[Person], secretary_of: dict[str, int]) -> None:
    User = get_user_model()
    subordinate = root.children[0]
    grassroots = next(n for n in subordinate.children if n.kind == OrgKind.GRASSROOTS_COMMITTEE)
    # people[0] (Nguyễn Văn An) is the first member of the first cell.
    where = {"root": root.obj, "subordinate": subordinate.obj, "grassroots": grassroots.obj,
             "cell": root.cells[0].obj}
    superuser = User.objects.create_superuser("quantri", password=DEMO_PASSWORD,
                                              first_name="Quản trị hệ thống")
    for login, kind, place, description in DEMO_USERS:
        user = User.objects.create_user(login, password=DEMO_PASSWORD, first_name=description)
        role_grant(user=user, kind=kind, organization=where[place], actor=superuser)
        if login == "bithu":
            person = people[secretary_of[grassroots.code]]
            person.user = user
            person.save(update_fields=["user"])
        elif login == "dangvien":
            people[0].user = user
            people[0].save(update_fields=["user"])


# Apps above this one add their demo data with ``register_demo_step`` (in ``AppConfig.ready``):
# each step gets the organizations written, root first, and returns a line for the log.
DemoStep = Callable[[list[Organization]], str]
_demo_steps: list[DemoStep] = []


def register_demo_step(step: DemoStep) -> None:
    if step not in _demo_steps:
        _demo_steps.append(step)
