"""Hostile values, a small world to aim them at, and a reader of the forms on a page.

Used by ``tests/test_hostile_input.py``. The world is built through the
services, like the demo, so every page has something real to show.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver

from organizations.models import BodyKind, Organization

from .factories import BodyFactory, TenureFactory, UserFactory, position

D = dt.date

# Values a careless or malicious client sends. Each one has broken a page of some portal.
HOSTILE_TEXT = [
    "²",  # a digit for str.isdigit(), not for int()
    "١٢",  # Arabic-Indic digits: int() takes them, the database does not
    "\x00",  # PostgreSQL refuses NUL in text
    "../",
    str(10**20),  # past every integer column
    "9223372036854775808",  # one past a signed 64-bit integer
    "-1",
    "31/02/2026",
    "01/01/9999",  # a deadline computed from it overflows
    "01/01/0001",
    "x" * 5000,
    "\u202eتست\u202c e\u0301\u0302\u0303 🇻🇳",  # right-to-left override, stacked combining marks, emoji
    "",
    "' OR 1=1 --%<script>",
    "1e309",  # float() makes it infinite
    "abc",
]
# For a choice (select, checkbox, hidden id): what a tampered form sends instead of an option.
HOSTILE_CHOICE = ["²", "١٢", "\x00", str(10**20), "-1", "abc", ""]
# Values a path converter can accept, percent-encoded where needed.
HOSTILE_PATH = ["0", str(10**20), "9223372036854775808", "²", "١٢", "%00", "..", "x" * 2000, "%E2%80%AE"]

# Keys the views read straight from the query string, beyond the fields of the forms on the pages.
QUERY_KEYS = {"q", "page", "version", "compare", "person", "on", "from", "to", "scope", "kind", "status",
              "meeting", "document", "next", "o", "p", "e", "_popup", "_to_field", "all"}


def query_keys_in_views() -> set[str]:
    """Every literal key a view reads with ``request.GET/POST.get("...")`` or ``request.GET["..."]``."""
    root = Path(__file__).resolve().parent.parent
    pattern = re.compile(r"request\.(?:GET|POST)(?:\.get\(|\[)\s*[\"'](\w+)")
    keys: set[str] = set()
    for views in root.glob("*/views.py"):
        keys.update(pattern.findall(views.read_text()))
    return keys


# --- URLs ---------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    route: str  # "org/<int:pk>/members/"
    name: str | None  # "organizations:organization_members"
    params: tuple[str, ...]  # ("pk",)

    def __str__(self) -> str:
        return self.name or self.route


def _walk(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), (namespace + p.name) if p.name else None


_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def routes() -> list[Route]:
    found = []
    for route, name in _walk(get_resolver().url_patterns):
        params = tuple(m.group(2) or m.group(3) for m in _PARAM.finditer(route))
        found.append(Route(route, name, params))
    return found


def fill(route: Route, values: dict[str, str]) -> str:
    """The route as a URL, each parameter replaced by ``values[name]`` (already URL-safe)."""
    text = route.route.replace("^", "").replace("$", "").replace("\\Z", "").replace("\\/", "/")

    def sub(m: re.Match) -> str:
        return values[m.group(2) or m.group(3)]

    return "/" + _PARAM.sub(sub, text)


# --- the world ------------------------------------------------------------------


@dataclass
class World:
    province: object
    superuser: object
    staff: object
    ids: dict[str, str] = field(default_factory=dict)  # route name -> {param: value}
    cards: dict[str, str] = field(default_factory=dict)  # form field name -> a card number that exists

    def params_for(self, route: Route) -> dict[str, str]:
        """Real values for the parameters of ``route``, so the page has something to show."""
        name = route.name or ""
        if name == "admin:app_list":
            return {"app_label": "organizations"}
        if name == "admin:view_on_site":
            return {"content_type_id": self.ids["content_type"], "object_id": self.ids["organization"]}
        if route.route.startswith("admin/"):
            parts = route.route.split("/")
            model = f"{parts[1]}_{parts[2]}" if len(parts) > 3 and "<" not in parts[1] + parts[2] else ""
            return {p: self.ids.get(f"admin:{model}", "1") for p in route.params}
        by_prefix = [("org/", "organization"), ("assessments/periods/", "period"),
                     ("assessments/targets/", "target"), ("assessments/", "assessment"),
                     ("jobs/", "job"), ("reports/assessment/", "assessment"), ("reports/meeting/", "meeting"),
                     ("reports/org/", "organization"), ("reports/", "report"),
                     ("imports/", "import"), ("people/", "person"),
                     ("working-regulations/", "regulation"), ("meetings/", "meeting"),
                     ("decisions/", "decision"), ("regulations/imports/", "text_import"),
                     ("regulations/", "document"), ("tenures/", "tenure"),
                     ("kinships/", "kinship"), ("disciplines/", "discipline"),
                     ("matters/", "matter"), ("planning/", "planning"), ("nominations/", "nomination"),
                     ("nomination-steps/", "step")]
        values = {}
        for p in route.params:
            if p == "slug":
                values[p] = self.ids["slug"]
            elif p == "anchor":
                values[p] = self.ids["anchor"]
            elif p in ("org", "assessment"):  # the second and third ids of a period's pages
                values[p] = self.ids["organization" if p == "org" else "assessment"]
            else:
                kind = next((k for prefix, k in by_prefix if route.route.startswith(prefix)), "organization")
                values[p] = self.ids[kind]
        return values


def build_world(province, staff_a, an) -> World:
    """The province of ``tests/conftest.py`` with a working regulation, meetings, decisions and imports."""
    from django.contrib.contenttypes.models import ContentType

    from assessments import services as assess
    from assessments.models import Assessment
    from governance import services as gov
    from governance.models import Decision, Matter, Mode
    from jobs.services import job_execute
    from organizations.services import member_import_preview
    from regulations.models import Provision
    from regulations.services import document_import_preview

    superuser = UserFactory(username="quantri", is_superuser=True, is_staff=True)
    org = province.grassroots
    executive = BodyFactory(organization=org, kind=BodyKind.EXECUTIVE)
    tenures = [TenureFactory(position=position("secretary" if i == 0 else "executive-member"), organization=org,
                             body=executive, start=D(2020, 10, 1)) for i in range(5)]
    people = [t.person for t in tenures]
    regulation = gov.regulation_from_template(organization=org, template="grassroots", title="Quy chế",
                                              actor=superuser)
    gov.regulation_adopt(regulation=regulation, start=D(2021, 1, 1), actor=superuser)
    draft = gov.regulation_draft(organization=org, title="Bản sửa đổi", actor=superuser)
    collective = Matter.objects.filter(regulation=regulation, mode=Mode.COLLECTIVE).first()
    individual = Matter.objects.filter(regulation=regulation, mode=Mode.HEAD_REPORTS).first()
    meeting = gov.meeting_open(body=executive, date=D(2026, 3, 2), title="Hội nghị tháng 3", actor=superuser,
                               matters=[collective])
    for person in people[-2:]:  # 3 of 5 present: no quorum, an irregular decision for the queue
        gov.attendance_set(meeting=meeting, person=person, present=False, reason="Ốm", actor=superuser)
    gov.decision_record_collective(meeting=meeting, matter=collective, title="Nghị quyết", votes_for=3,
                                   record_as_irregular=True, actor=superuser)
    gov.decision_record_individual(organization=org, matter=individual, date=D(2026, 3, 3), title="Chi",
                                   signatory=people[0], actor=superuser)
    gov.meeting_open(body=executive, date=D(2026, 3, 10), title="Hội nghị nghe báo cáo", actor=superuser)
    gov.assignment_add(organization=org, person=people[1], field="finance", description="Tài chính",
                       start=D(2024, 1, 1), actor=superuser)
    good = ("Họ và tên,Giới tính,Ngày vào Đảng,Số thẻ đảng viên\n"
            "Nguyễn Thị Hoa,Nữ,19/05/2010,0200000001\n").encode()
    batch, _rows = member_import_preview(organization=province.cell_1, file_name="a.csv", content=good,
                                         actor=staff_a)
    decision = Decision.objects.filter(signatory__isnull=False).first()
    provision = Provision.objects.filter(version__is_current=True).select_related("version__document").first()
    period = assess.period_create(organization=province.root, year=2026, actor=superuser)
    job = assess.period_open(period=period, actor=superuser)
    job_execute(job.pk)  # the opening job, as a worker runs it
    assessment = Assessment.objects.get(period=period, person=an)
    assess.targets_assign(period=period, assessments=[assessment], titles=["Chỉ tiêu phát triển đảng viên"],
                          due=D(2026, 12, 1), actor=superuser)
    draft_period = assess.period_create(organization=province.root, year=2025, actor=superuser)
    from reports.services import report_request  # noqa: PLC0415

    report = report_request(kind="form", organization=assessment.organization, title="Bản kiểm điểm",
                            params={"assessments": [assessment.pk]}, actor=superuser)
    job_execute(report.job_id)  # rendered, as a worker renders it
    from organizations.models import DisciplineForm, Relation  # noqa: PLC0415
    from organizations.services import discipline_record, kinship_declare  # noqa: PLC0415

    kinship = kinship_declare(person=an, relative=people[2], relation=Relation.SIBLING, declared_on=D(2025, 1, 1),
                              actor=superuser)
    discipline = discipline_record(person=an, form=DisciplineForm.REPRIMAND, decided_on=D(2025, 2, 1),
                                   decided_by=province.sub_a, actor=superuser)
    from personnel.services import planning_add  # noqa: PLC0415

    planning = planning_add(organization=org, person=people[1], position=position("deputy-secretary"),
                            term="2025-2030", added_on=D(2025, 12, 1), added_ref="15-QĐ/TU", added_by=org,
                            actor=superuser)
    nomination, step = _personnel(org, people, superuser)
    world = World(province=province, superuser=superuser, staff=staff_a)
    world.ids = {
        "organization": str(org.pk), "import": str(batch.pk), "report": str(report.pk), "person": str(people[0].pk),
        "regulation": str(draft.pk), "meeting": str(meeting.pk), "decision": str(decision.pk),
        "slug": provision.version.document.slug, "anchor": provision.anchor,
        "document": str(provision.version.document.pk), "tenure": str(tenures[1].pk),
        "matter": str(draft.matters.order_by("pk").first().pk),
        "text_import": str(document_import_preview(
            document=provision.version.document, file_name="a.txt", actor=superuser,
            content="Điều 1. Phạm vi\nNội dung.\n".encode()).pk),
        "admin:organizations_tenure": str(tenures[1].pk),
        "content_type": str(ContentType.objects.get_for_model(Organization).pk),
        "admin:auth_user": str(staff_a.pk), "admin:organizations_person": str(an.pk),
        "admin:organizations_organization": str(org.pk), "admin:organizations_memberimport": str(batch.pk),
        "admin:governance_meeting": str(meeting.pk), "admin:governance_decision": str(decision.pk),
        "admin:governance_workingregulation": str(regulation.pk),
        "period": str(period.pk), "assessment": str(assessment.pk), "job": str(job.pk),
        "target": str(assessment.targets.get().pk),
        "admin:assessments_period": str(draft_period.pk), "admin:assessments_assessment": str(assessment.pk),
        "admin:jobs_job": str(job.pk),
        "kinship": str(kinship.pk), "discipline": str(discipline.pk), "planning": str(planning.pk),
        "admin:organizations_kinship": str(kinship.pk), "admin:organizations_discipline": str(discipline.pk),
        "nomination": str(nomination.pk), "step": str(step.pk),
    }
    world.cards = {"signatory_card": people[0].card_number, "person_card": people[1].card_number,
                   "relative_card": people[3].card_number,
                   "concerns_card": "", "card_number": "0999999999", "nominee_card": people[3].card_number,
                   "other_card_1": "", "other_card_2": "", "other_card_3": ""}
    return world


def _personnel(org, people, superuser):
    """A draft nomination (its forms) and an introduced one with its first step recorded (its pages)."""
    from governance.models import Meeting
    from personnel import services as personnel
    from personnel.rules import Counts

    draft = personnel.nomination_draft(organization=org, kind="standard", position=position("deputy-secretary"),
                                       nominee=people[1], source="internal", rationale="Có năng lực",
                                       actor=superuser)
    other = personnel.nomination_draft(organization=org, kind="standard", position=position("standing-member"),
                                       nominee=people[2], source="internal", planning_exception_ref="1-QĐ",
                                       action_program={k: "Rõ" for k in personnel.PROGRAM_PARTS}, actor=superuser)
    personnel.nomination_introduce(nomination=other, on=D(2026, 3, 5), actor=superuser)
    meeting = Meeting.objects.get(body__organization=org, date=D(2026, 3, 10))
    step = personnel.step_record(nomination=other, meeting=meeting, actor=superuser,
                                 counts=Counts(issued=5, returned=5, valid=5, invalid=0, votes=((people[2].pk, 4),)))
    return draft, step


# --- forms on a page ------------------------------------------------------------


@dataclass
class Field:
    name: str
    kind: str  # the input's type, or "select", "textarea", "button"
    value: str = ""
    options: list[str] = field(default_factory=list)
    selected: list[str] = field(default_factory=list)
    multiple: bool = False
    checked: bool = False
    accept: str = ""


@dataclass
class Form:
    action: str
    method: str
    fields: list[Field] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return sorted({f.name for f in self.fields if f.name != "csrfmiddlewaretoken"})


class FormReader(HTMLParser):
    """The forms of a page: action, method and every named control."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag: str, attrs) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._form = Form(action=a.get("action", ""), method=(a.get("method") or "get").lower())
            self.forms.append(self._form)
            return
        if tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))
            if "selected" in a:
                self._select.selected.append(a.get("value", ""))
            return
        if self._form is None or not a.get("name"):
            return
        name = a["name"]
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "reset", "image") and not a.get("value"):
                return
            self._form.fields.append(Field(name, kind, a.get("value", ""), checked="checked" in a,
                                           accept=a.get("accept", "")))
        elif tag == "button":
            self._form.fields.append(Field(name, "button", a.get("value", "")))
        elif tag == "select":
            self._select = Field(name, "select", multiple="multiple" in a)
            self._form.fields.append(self._select)
        elif tag == "textarea":
            self._textarea = Field(name, "textarea")
            self._form.fields.append(self._textarea)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data


def forms_on(html: str) -> list[Form]:
    reader = FormReader()
    reader.feed(html)
    return reader.forms


# --- files ----------------------------------------------------------------------


def _rezip(content: bytes, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = change(item.filename, source.read(item.filename))
            if data is not None:
                target.writestr(item, data)
    return out.getvalue()


def _workbook() -> bytes:
    from openpyxl import Workbook

    buffer = io.BytesIO()
    book = Workbook()
    book.active.append(["Họ và tên", "Giới tính", "Ngày vào Đảng"])
    book.active.append(["Trần Thị Mới", "Nữ", "19/05/2010"])
    book.save(buffer)
    return buffer.getvalue()


def _no_sheet(name: str, data: bytes) -> bytes | None:
    if name.startswith("xl/worksheets/"):
        return None
    return re.sub(rb"<sheets>.*</sheets>", b"<sheets/>", data) if name == "xl/workbook.xml" else data


def _broken_sheet(name: str, data: bytes) -> bytes:
    return data[: len(data) // 2] + b"<<<" if name == "xl/worksheets/sheet1.xml" else data


HEADER = "Họ và tên,Giới tính,Ngày vào Đảng,Số thẻ đảng viên,Ngày sinh\n"


@functools.cache
def hostile_files() -> list[tuple[str, bytes]]:
    """Uploads that gave a 500 somewhere once: (file name, content)."""
    return [
        ("a.csv", (HEADER + "A\x00,Nam,01/01/2000,1,\n").encode()),
        ("a.csv", (HEADER + 'A,Nam,01/01/2000,1,"' + "x" * 200_000 + '"\n').encode()),
        ("a.csv", (HEADER + "A,Nam,01/01/9999,²²,01/01/0001\n").encode()),
        ("a.csv", (HEADER + 'A,Nam,"unterminated\n').encode()),
        ("a.csv", "Họ và tên".encode("utf-16")),
        ("a.csv", b""),
        ("a.xlsx", _rezip(_workbook(), _no_sheet)),
        ("a.xlsx", _rezip(_workbook(), _broken_sheet)),
        ("a.xlsx", b"PK\x03\x04 not really a zip"),
        ("a.txt", "Điều 1. \x00\n1. x\n".encode()),
        ("a.txt", ("Điều " + "9" * 40 + ". X\n1. Y\n").encode()),  # past the 10 characters of a number
        ("a.txt", ("Điều " + "9" * 5000 + ". X\n").encode()),  # past int()'s 4,300 digits
        ("a.txt", "Chương IIIIIIIIIIII\nĐiều 1. X\n1. Y\n".encode()),
        ("a.docx", b"not a docx"),
        ("\x00.csv", HEADER.encode()),
        ("../../x.csv", HEADER.encode()),
        ("x" * 600 + ".csv", HEADER.encode()),
        # Names of 300 characters, whatever the kind (each file field takes the ones of its kinds).
        ("danh sách đảng viên " * 15 + ".csv", (HEADER + "A,Nam,01/01/2000,1,\n").encode()),
        ("danh sách đảng viên " * 15 + ".xlsx", _workbook()),
        ("quy định " * 33 + ".txt", "Điều 1. Phạm vi\n1. Nội dung.\n".encode()),
        ("quy định " * 33 + ".docx", _docx("Điều 1. Phạm vi")),
    ]


def _docx(text: str) -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)
