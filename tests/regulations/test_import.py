"""Importing a text: a new current version, the old one readable, changes reported, nothing on error."""

import io

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from audit.models import AuditEntry
from common.actors import SYSTEM
from regulations.citations import resolve
from regulations.models import Document, DocumentVersion, Provision, TextImport
from regulations.services import ImportRejected, document_import
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

V1 = """Điều 1. Phạm vi
Quy định này áp dụng cho chi bộ.
Điều 2. Tiêu chí
1. Chính trị tư tưởng.
2. Đạo đức, lối sống.
Điều 3. Hiệu lực
Có hiệu lực từ ngày ký.
"""
V2 = """Điều 1. Phạm vi
Quy định này áp dụng cho chi bộ.
Điều 2. Tiêu chí
1. Chính trị tư tưởng.
2. Đạo đức, lối sống, tác phong.
3. Ý thức tổ chức kỷ luật.
"""


@pytest.fixture
def document():
    return Document.objects.create(code="05-QĐ/TU", kind="regulation", title="Quy định của Tỉnh ủy",
                                   issue_date="2026-01-05", effective_from="2026-01-05")


def _import(document, text, name="qd.txt"):
    return document_import(document=document, file_name=name, content=text.encode(), actor=SYSTEM)


def test_a_new_text_becomes_current_and_reports_what_changed(document):
    first = _import(document, V1)
    kept = resolve("05-QĐ/TU", "2.1")
    second = _import(document, V2)
    assert second.number == 2 and second.is_current
    first.refresh_from_db()
    assert not first.is_current and first.provisions.count() == 5  # the old text stays readable
    assert second.changes == {"added": ["dieu-2.khoan-3"], "changed": ["dieu-2.khoan-2"],
                              "removed": ["dieu-3"]}
    again = resolve("05-QĐ/TU", "2.1")  # a citation of an unchanged clause stays valid
    assert again.anchor == kept.anchor and again.text == kept.text and again.version == second
    assert AuditEntry.objects.filter(action="regulation.import").count() == 2


def test_a_skeleton_from_the_catalog_is_kept_when_the_full_text_arrives():
    document = Document.objects.get(code="124-QĐ/TW")
    text = "Chương I\nQUY ĐỊNH CHUNG\n" + "".join(f"Điều {i}. Tiêu đề {i}\nNội dung {i}.\n" for i in range(1, 14))
    version = _import(document, text)
    assert version.number == 2 and not version.is_skeleton
    assert "dieu-12" in version.changes["changed"] and "chuong-i" in version.changes["added"]
    assert DocumentVersion.objects.get(document=document, number=1).is_skeleton


def test_a_malformed_text_saves_nothing(document):
    _import(document, V1)
    with pytest.raises(ImportRejected) as rejected:
        _import(document, "Điều 1. A\nĐiều 3. B\nĐiều 2. C\n")
    assert list(rejected.value.rows) == [3] and rejected.value.codes == []
    assert [r.code for r in rejected.value.rows[3]] == ["regulation_text_article_order"]
    assert document.versions.count() == 1 and document.versions.get().is_current
    assert Provision.objects.filter(version__document=document).count() == 5


def test_the_command_imports_and_reports(tmp_path, document):
    path = tmp_path / "qd.txt"
    path.write_text(V1)
    out = io.StringIO()
    call_command("import_regulation", str(path), "--code", "05-QĐ/TU", stdout=out)
    assert "version 1, 5 provisions" in out.getvalue()
    call_command("import_regulation", str(path), "--code", "09-QĐ/TU", "--kind", "regulation",
                 "--title", "Quy định mới", "--issued", "01/02/2026", stdout=out)
    assert Document.objects.get(code="09-QĐ/TU").effective_from.isoformat() == "2026-02-01"


def test_the_command_refuses_a_bad_text_and_leaves_no_trace(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text("Chương I\nTên\n1. khoản lạc\n")
    with pytest.raises(CommandError, match="Dòng 3: Khoản 1 nằm ngoài điều nào"):
        call_command("import_regulation", str(path), "--code", "10-QĐ/TU", "--kind", "regulation",
                     "--title", "X")
    assert not Document.objects.filter(code="10-QĐ/TU").exists()
    with pytest.raises(CommandError, match="give --kind and --title"):
        call_command("import_regulation", str(path), "--code", "11-QĐ/TU")


def test_the_upload_form_needs_the_import_permission(client, document):
    clerk = UserFactory()
    client.force_login(clerk)
    assert client.get("/regulations/import/").status_code == 403
    clerk.user_permissions.add(Permission.objects.get(codename="import_document"))
    clerk = type(clerk).objects.get(pk=clerk.pk)
    client.force_login(clerk)
    bad = SimpleUploadedFile("qd.txt", "Điều 2. A\nĐiều 1. B\n".encode())
    response = client.post("/regulations/import/", {"document": document.pk, "file": bad})
    assert response.status_code == 200 and "Dòng 2: Điều 1 đứng sau Điều 2" in response.content.decode()
    assert not document.versions.exists()
    good = SimpleUploadedFile("qd.txt", V1.encode())
    response = client.post("/regulations/import/", {"document": document.pk, "file": good})
    batch = TextImport.objects.get()
    assert response.status_code == 302 and response["Location"] == batch.get_absolute_url()
    assert not document.versions.exists()  # previewed only
    assert 'data-testid="import-changes"' in client.get(batch.get_absolute_url()).content.decode()
    response = client.post(f"{batch.get_absolute_url()}confirm/")
    assert response.status_code == 302 and response["Location"] == document.get_absolute_url()
    assert document.versions.get().imported_by == clerk


def test_an_oversized_text_is_refused_before_it_is_read(admin_client, document, settings):
    settings.REGULATION_IMPORT_MAX_BYTES = 100 * 1024
    big = SimpleUploadedFile("qd.txt", ("Điều 1. A\n" + "x" * 80 + "\n").encode() * 4000)
    response = admin_client.post("/regulations/import/", {"document": document.pk, "file": big})
    assert response.status_code == 200
    assert "Tệp quá lớn (tối đa 100" in response.content.decode()
    assert response.wsgi_request.FILES == {}
    assert not document.versions.exists()


def _preview(document, text: str, actor=SYSTEM):
    from regulations.services import document_import_preview

    return document_import_preview(document=document, file_name="qd.txt", content=text.encode(), actor=actor)


def test_the_preview_lists_the_changes_and_nothing_changes_until_confirmed(admin_client, document):
    from regulations.services import document_import_confirm

    document_import_confirm(batch=_preview(document, V1), actor=SYSTEM)
    new = V1.replace("Quy định này áp dụng cho chi bộ.", "Nội dung mới.").replace(
        "2. Đạo đức, lối sống.\n", "") + "Điều 4. Thi hành\nMới.\n"
    batch = _preview(document, new)
    assert batch.base_number == 1
    assert batch.changes == {"added": ["dieu-4"], "changed": ["dieu-1"], "removed": ["dieu-2.khoan-2"]}
    html = admin_client.get(batch.get_absolute_url()).content.decode()
    assert "Thêm 1 điều khoản" in html and "Điều 4" in html and "Bỏ 1 điều khoản" in html
    assert document.versions.get(is_current=True).number == 1
    assert admin_client.post(batch.get_absolute_url()).status_code == 405  # the page only shows
    assert document.versions.get(is_current=True).number == 1
    admin_client.post(f"{batch.get_absolute_url()}confirm/")
    assert document.versions.get(is_current=True).number == 2
    batch.refresh_from_db()
    assert batch.status == "committed" and batch.version.number == 2


def test_a_preview_overtaken_by_another_import_is_refused(admin_client, document):
    from regulations.services import document_import_confirm

    first, second = _preview(document, V1), _preview(document, V1 + "Điều 9. Khác\nThêm.\n")
    document_import_confirm(batch=first, actor=SYSTEM)
    response = admin_client.post(f"{second.get_absolute_url()}confirm/", follow=True)
    assert "đã có bản nhập khác sau khi xem trước" in response.content.decode()
    assert document.versions.count() == 1


def test_cancelling_keeps_the_current_text_and_forgets_the_file(admin_client, document):
    batch = _preview(document, V1)
    html = admin_client.get(batch.get_absolute_url()).content.decode()
    assert f'action="/regulations/imports/{batch.pk}/cancel/"' in html and 'name="action"' not in html
    admin_client.post(f"{batch.get_absolute_url()}cancel/")
    batch.refresh_from_db()
    assert batch.status == "cancelled" and bytes(batch.content) == b"" and not document.versions.exists()
    response = admin_client.post(f"{batch.get_absolute_url()}confirm/", follow=True)  # handled once only
    assert response.status_code == 200 and "Lượt nhập này đã được xử lý." in response.content.decode()
    assert admin_client.get(f"{batch.get_absolute_url()}cancel/").status_code == 405
    assert not document.versions.exists()


def test_the_preview_needs_the_import_permission(client, document):
    batch = _preview(document, V1)
    client.force_login(UserFactory(username="khong_quyen"))
    assert client.get(batch.get_absolute_url()).status_code == 403
    assert client.post(f"{batch.get_absolute_url()}confirm/").status_code == 403
    assert client.post(f"{batch.get_absolute_url()}cancel/").status_code == 403
    assert not document.versions.exists()
    batch.refresh_from_db()
    assert batch.status == "previewed"
