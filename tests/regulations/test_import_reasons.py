"""A text import refuses with codes, read in the reader's language; a refused confirmation is a page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from common.actors import SYSTEM
from common.reasons import Refused
from regulations.models import Document, TextImport
from regulations.services import ImportRejected, document_import_preview

pytestmark = pytest.mark.django_db

GOOD = "Điều 1. Phạm vi\n1. Chi bộ.\n2. Đảng viên.\nĐiều 2. Hiệu lực\nTừ ngày ký.\n"
BAD = "Điều 2. A\nĐiều 1. B\n1. một\n3. ba\n"


@pytest.fixture
def document():
    return Document.objects.create(code="07-QĐ/TU", kind="regulation", title="Quy định của Tỉnh ủy",
                                   issue_date="2026-01-05", effective_from="2026-01-05")


def _english(client) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})


def test_a_malformed_text_is_refused_with_codes_keyed_by_line(document):
    with pytest.raises(ImportRejected) as rejected:
        document_import_preview(document=document, file_name="qd.txt", content=BAD.encode(), actor=SYSTEM)
    refused = rejected.value
    assert isinstance(refused, Refused)
    assert {line: [r.code for r in row] for line, row in refused.rows.items()} == {
        2: ["regulation_text_article_order"], 4: ["regulation_text_clause_order"]}
    assert refused.to_json()[0] == {"code": "regulation_text_article_order",
                                    "params": {"line": 2, "n": 1, "p": 2}}
    with translation.override("en"):
        assert str(refused.rows[2][0]) == "Line 2: Article 1 comes after Article 2: article numbers must increase."
    with translation.override("vi"):
        assert str(refused.rows[2][0]) == "Dòng 2: Điều 1 đứng sau Điều 2: số điều phải tăng dần."


def test_a_file_of_another_kind_is_refused_with_a_code(document):
    with pytest.raises(ImportRejected) as rejected:
        document_import_preview(document=document, file_name="qd.pdf", content=b"%PDF", actor=SYSTEM)
    assert rejected.value.codes == ["regulation_text_kind"]
    with translation.override("en"):
        assert str(rejected.value) == "Only .txt or .docx files are accepted."


def test_a_malformed_text_reads_in_english_for_an_english_reader(admin_client, document):
    _english(admin_client)
    bad = SimpleUploadedFile("qd.txt", BAD.encode())
    html = admin_client.post("/regulations/import/", {"document": document.pk, "file": bad}).content.decode()
    assert 'data-testid="import-errors"' in html
    assert "Line 2: Article 1 comes after Article 2" in html
    assert "Line 4: Clause 3 of Article 2 is out of order" in html
    assert "Điều 1 đứng sau" not in html and not TextImport.objects.exists()


def test_a_confirm_past_limits_lowered_since_the_preview_shows_a_page(admin_client, document, settings):
    batch = document_import_preview(document=document, file_name="qd.txt", content=GOOD.encode(), actor=SYSTEM)
    settings.UPLOAD_MAX_LINES = 2
    response = admin_client.post(f"{batch.get_absolute_url()}confirm/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="import-refused"' in html and "Tệp có quá nhiều dòng (tối đa 2 dòng)." in html
    assert not document.versions.exists()
    batch.refresh_from_db()
    assert batch.status == "previewed"


def test_a_confirm_of_a_text_that_no_longer_parses_shows_its_lines(admin_client, document):
    batch = document_import_preview(document=document, file_name="qd.txt", content=GOOD.encode(), actor=SYSTEM)
    TextImport.objects.filter(pk=batch.pk).update(content=BAD.encode())  # as if read by another parser
    _english(admin_client)
    response = admin_client.post(f"{batch.get_absolute_url()}confirm/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Line 2: Article 1 comes after Article 2" in html and "Line 4: Clause 3 of Article 2 is out of order" in html
    assert not document.versions.exists()


@pytest.mark.parametrize(("text", "code"), [
    ("Điều " + "9" * 5000 + ". X\n", "regulation_text_number_too_long"),  # past what int() reads
    ("Điều 12345678901. X\n", "regulation_text_number_too_long"),  # past the database column
    ("Điều 1. X\n1. Y\n\x00\n", "regulation_text_nul"),
])
def test_what_the_database_cannot_hold_is_refused_by_the_import_itself(document, text, code):
    """Not only by the upload form: the command and a confirmation read the text without it."""
    from regulations.services import document_import

    with pytest.raises(ImportRejected) as rejected:
        document_import(document=document, file_name="qd.txt", content=text.encode(), actor=SYSTEM)
    assert [r.code for row in rejected.value.rows.values() for r in row] == [code]
    assert not document.versions.exists()


def test_a_confirm_of_a_number_past_the_column_shows_a_page(admin_client, document):
    batch = document_import_preview(document=document, file_name="qd.txt", content=GOOD.encode(), actor=SYSTEM)
    TextImport.objects.filter(pk=batch.pk).update(content=("Điều " + "9" * 5000 + ". X\n").encode())
    response = admin_client.post(f"{batch.get_absolute_url()}confirm/")
    assert response.status_code == 200 and "Dòng 1: số “99999999999999999999…” dài quá 10 ký tự." in \
        response.content.decode()
    assert not document.versions.exists()
