"""Party numbers restart with each term: the catalog tells two texts "01-QĐ/TW" apart by their date.

The 13th term's Regulation 01-QĐ/TW and the 14th term's, of February 2026, both live in the catalog; the
database refuses a second text of one issuer, code and date; a citation or an import that names only the
shared code is refused with both candidates listed, and with the date (``01-QĐ/TW@2026-02-10``) it resolves.
Codes no other text shares keep being cited as they always were.
"""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.utils import translation

from common.actors import SYSTEM
from common.reasons import Refused
from regulations.citations import CitationError, Cite, citation_text, document_key, resolve, unresolved_citations
from regulations.models import Citation, Document
from regulations.services import citations_set, document_import
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
D = dt.date
OLD_DAY, NEW_DAY = D(2021, 2, 3), D(2026, 2, 10)


@pytest.fixture
def two_ones():
    old = Document.objects.create(code="01-QĐ/TW", kind="regulation", title="Quy định khóa XIII",
                                  issue_date=OLD_DAY, effective_from=OLD_DAY)
    new = Document.objects.create(code="01-QĐ/TW", kind="regulation", title="Quy định khóa XIV",
                                  issue_date=NEW_DAY, effective_from=NEW_DAY)
    document_import(document=old, file_name="a.txt", content="Điều 1. Cũ\nNội dung cũ.\n".encode(), actor=SYSTEM)
    document_import(document=new, file_name="b.txt", content="Điều 1. Mới\nNội dung mới.\n".encode(),
                    actor=SYSTEM)
    return old, new


def test_two_texts_of_one_code_and_different_dates_both_exist(client, two_ones):
    old, new = two_ones
    assert Document.objects.filter(code="01-QĐ/TW").count() == 2
    assert old.slug == "01-qd-tw" and new.slug == "01-qd-tw-2026-02-10"  # the first keeps its address
    client.force_login(UserFactory())
    assert "Quy định khóa XIV" in client.get(new.get_absolute_url()).content.decode()
    assert "Quy định khóa XIII" in client.get(old.get_absolute_url()).content.decode()


def test_the_database_refuses_a_second_text_of_one_issuer_code_and_date(two_ones):
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.create(code="01-QĐ/TW", kind="regulation", title="Trùng", issue_date=NEW_DAY)
    # another issuer may use the same number on the same day
    Document.objects.create(code="01-QĐ/TW", kind="regulation", title="Khác", issue_date=NEW_DAY,
                            issuing_body="Ban Bí thư")
    Document.objects.create(code="02-QĐ/TW", kind="regulation", title="Dự thảo")  # undated: one only
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.create(code="02-QĐ/TW", kind="regulation", title="Dự thảo khác")


def test_a_bare_shared_code_is_refused_naming_both_and_the_date_resolves(two_ones):
    old, new = two_ones
    with pytest.raises(CitationError) as refused:
        resolve("01-QĐ/TW", "1")
    assert isinstance(refused.value, Refused) and refused.value.codes == ["citation_ambiguous"]
    candidates = refused.value.reasons[0].params["candidates"]
    assert [(c["issued"], c["title"], c["key"]) for c in candidates] == [
        ("2021-02-03", "Quy định khóa XIII", "01-QĐ/TW@2021-02-03"),
        ("2026-02-10", "Quy định khóa XIV", "01-QĐ/TW@2026-02-10")]
    message = str(refused.value)
    assert "03/02/2021" in message and "10/02/2026" in message and "Quy định khóa XIII" in message
    with translation.override("en"):
        assert "2 documents share the number 01-QĐ/TW" in str(refused.value)

    assert resolve("01-QĐ/TW@2026-02-10", "1").version.document == new
    assert resolve("01-QĐ/TW@03/02/2021", "1").version.document == old  # the way people write dates too
    assert resolve("01-QĐ/TW@2021-02-03", "") is None
    with pytest.raises(CitationError) as refused:
        resolve("01-QĐ/TW@2026-02-11", "1")
    assert refused.value.codes == ["citation_unknown_document"]
    with pytest.raises(CitationError) as refused:
        resolve("01-QĐ/TW@mười", "1")
    assert refused.value.codes == ["citation_bad_date"]


def test_a_code_citation_of_a_shared_code_is_reported_until_it_names_the_date(two_ones):
    bare, dated = Cite("01-QĐ/TW", "1", by="test"), Cite("01-QĐ/TW@2026-02-10", "1", by="test")
    with pytest.raises(CitationError):
        bare.resolve()
    assert dated.resolve().version.document == two_ones[1]
    assert str(dated) == "Điều 1 Quy định 01-QĐ/TW ngày 10/02/2026"
    assert citation_text("01-QĐ/TW", "1") == "01-QĐ/TW 1"  # shown as written, never guessed
    assert unresolved_citations() == []  # the code's own citations name codes no other text shares
    assert resolve("80-QĐ/TW", "21.1").anchor == "dieu-21.khoan-1"


def test_a_record_citing_a_shared_code_needs_the_date(province, two_ones):
    with pytest.raises(CitationError) as refused:
        citations_set(obj=province.grassroots, refs=[("01-QĐ/TW", "1")], label="x", scope=province.grassroots.path)
    assert refused.value.codes == ["citation_ambiguous"] and not Citation.objects.exists()
    citations_set(obj=province.grassroots, refs=[("01-QĐ/TW@2026-02-10", "1")], label="x",
                  scope=province.grassroots.path)
    assert Citation.objects.get().document == two_ones[1]
    assert document_key(two_ones[1]) == "01-QĐ/TW@2026-02-10"
    assert document_key(Document.objects.get(code="80-QĐ/TW")) == "80-QĐ/TW"


def test_an_import_naming_only_the_shared_code_is_refused_naming_both(two_ones, tmp_path: Path):
    old, new = two_ones
    text = tmp_path / "qd.txt"
    text.write_text("Điều 1. Mới\nNội dung sửa.\nĐiều 2. Hiệu lực\nCó hiệu lực.\n", encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("import_regulation", str(text), "--code", "01-QĐ/TW", stdout=io.StringIO())
    assert "03/02/2021" in str(refused.value) and "10/02/2026" in str(refused.value)
    assert old.versions.count() == new.versions.count() == 1
    call_command("import_regulation", str(text), "--code", "01-QĐ/TW", "--issued", "10/02/2026",
                 stdout=io.StringIO())
    assert new.versions.count() == 2 and old.versions.count() == 1


def test_the_web_import_offers_both_texts_by_date(two_ones):
    from regulations.forms import ImportForm

    labels = [label for _pk, label in ImportForm().fields["document"].choices if _pk]
    assert "01-QĐ/TW (03/02/2021) — Quy định khóa XIII" in labels
    assert "01-QĐ/TW (10/02/2026) — Quy định khóa XIV" in labels


def test_a_matter_resting_on_a_shared_code_keeps_its_text_through_a_new_version(province, two_ones):
    from governance import services as gov
    from governance.forms import MatterForm
    from governance.models import Field, Mode, WorkingRegulation
    from organizations.models import BodyKind

    regulation = WorkingRegulation.objects.create(organization=province.grassroots, version=1, title="Quy chế")
    matter = gov.matter_add(regulation=regulation, actor=SYSTEM, code="NS-01", title="Nhân sự",
                            field=Field.PERSONNEL, mode=Mode.COLLECTIVE, body_kind=BodyKind.EXECUTIVE,
                            ballot="secret", provisions=[{"code": "01-QĐ/TW@2026-02-10", "ref": "1"}])
    assert MatterForm.initial_for(matter)["provisions"] == "01-QĐ/TW@2026-02-10 1"
    draft = gov.regulation_draft(organization=province.grassroots, title="Bản mới", actor=SYSTEM)
    assert [c.document for c in draft.matters.get().citations.all()] == [two_ones[1]]


def test_a_hundredth_text_of_one_code_and_date_still_gets_an_address(client, django_assert_max_num_queries):
    """The code's slug, the slug with the date, and that with -2 … -99 all taken: a random suffix, not a 500."""
    day = D(2026, 3, 1)
    taken = ["05-qd-tu", "05-qd-tu-2026-03-01"] + [f"05-qd-tu-2026-03-01-{n}" for n in range(2, 100)]
    Document.objects.bulk_create([Document(code=f"X-{i}", slug=slug, kind="regulation", title=f"Văn bản {i}")
                                  for i, slug in enumerate(taken)])
    with django_assert_max_num_queries(3):
        document = Document.objects.create(code="05-QĐ/TU", kind="regulation", title="Quy định thứ một trăm",
                                           issue_date=day, effective_from=day)
    assert document.slug.startswith("05-qd-tu-2026-03-01-") and document.slug not in taken
    assert len(document.slug) == len("05-qd-tu-2026-03-01-") + 8
    client.force_login(UserFactory())
    assert "Quy định thứ một trăm" in client.get(document.get_absolute_url()).content.decode()


def test_a_long_code_s_random_slug_fits_the_column():
    """A code of 40 characters whose 99 slugs are taken: the stem is cut so the suffix fits in 60."""
    day = D(2026, 3, 1)
    document = Document(code="A" * 40, kind="regulation", title="Dài", issue_date=day)
    stem = f"{'a' * 40}-{day}"
    taken = ["a" * 40, stem] + [f"{stem}-{n}" for n in range(2, 100)]
    Document.objects.bulk_create([Document(code=f"Y-{n}", slug=slug, kind="regulation", title="t")
                                  for n, slug in enumerate(taken)])
    slug = document._free_slug("a" * 40)
    assert len(slug) <= 60 and slug.startswith("a" * 40) and not Document.objects.filter(slug=slug).exists()
