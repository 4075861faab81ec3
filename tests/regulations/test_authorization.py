"""Importing a text is authorized by the services themselves: the global permission
``regulations.import_document`` (the catalog is national, it belongs to no organization).

Committee staff of another subtree (``outsider``) and the provincial board (``board_officer``), neither
holding the permission, are refused with ``not_permitted``, and nothing is written: no import, no version,
no provision, no audit entry. A clerk granted the permission goes through.
"""

import pytest
from django.contrib.auth.models import Permission

from audit.models import AuditEntry
from common.actors import SYSTEM
from common.reasons import Refused
from regulations import services as svc
from regulations.models import Document, DocumentVersion, Provision, TextImport
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TEXT = "Điều 1. Phạm vi\nQuy định này áp dụng cho chi bộ.\nĐiều 2. Hiệu lực\nCó hiệu lực từ ngày ký.\n"


@pytest.fixture
def document():
    return Document.objects.create(code="05-QĐ/TU", kind="regulation", title="Quy định của Tỉnh ủy",
                                   issue_date="2026-01-05", effective_from="2026-01-05")


@pytest.fixture
def importer(db):
    user = UserFactory(username="importer")
    user.user_permissions.add(Permission.objects.get(codename="import_document"))
    return user


@pytest.fixture
def batch(document):
    return svc.document_import_preview(document=document, file_name="qd.txt", content=TEXT.encode(), actor=SYSTEM)


ACTS = {
    "document_import_preview": lambda d, b, actor: svc.document_import_preview(
        document=d, file_name="qd.txt", content=TEXT.encode(), actor=actor),
    "document_import_confirm": lambda d, b, actor: svc.document_import_confirm(batch=b, actor=actor),
    "document_import_cancel": lambda d, b, actor: svc.document_import_cancel(batch=b, actor=actor),
    "document_import": lambda d, b, actor: svc.document_import(
        document=d, file_name="qd.txt", content=TEXT.encode(), actor=actor),
}


def _state() -> tuple:
    return (list(TextImport.objects.order_by("pk").values_list("pk", "status", "content")),
            DocumentVersion.objects.count(), Provision.objects.count(), AuditEntry.objects.count())


@pytest.mark.parametrize("act", sorted(ACTS))
def test_every_import_step_needs_the_import_permission(act, document, batch, outsider, board_officer, importer):
    for actor in (outsider, board_officer, None):
        before = _state()
        with pytest.raises(Refused) as refused:
            ACTS[act](document, batch, actor)
        assert refused.value.codes == ["not_permitted"], (act, actor)
        assert _state() == before, (act, actor)
    before = _state()
    ACTS[act](document, batch, importer)
    assert _state() != before
