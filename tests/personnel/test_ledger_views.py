"""The ledger's page: the province board reads the checkpoints, signs one now and countersigns; nobody else."""

from __future__ import annotations

import io

import openpyxl
import pytest

from common.actors import SYSTEM
from personnel import checkpoints
from personnel.checkpoints import checkpoint_sign
from personnel.models import LedgerCheckpoint, LedgerCountersignature

from . import test_ledger
from .test_ledger import entries

pytestmark = pytest.mark.django_db
signing_key = test_ledger.signing_key  # the fixture: a key of the test's own

LEDGER = "/ledger/"
SIGN = "/ledger/sign/"


def countersign_url(checkpoint) -> str:
    return f"/ledger/checkpoints/{checkpoint.pk}/countersign/"


@pytest.fixture
def checkpoint(committee, signing_key):
    entries(committee, 3)
    return checkpoint_sign(actor=SYSTEM)


def _form(checkpoint, org) -> dict:
    """What the countersign button posts: the board's organization and the statement's hash."""
    return {"organization": org.pk, "statement_hash": checkpoints.statement_hash(checkpoint)}


def test_the_board_reads_the_checkpoints(client, board_officer, checkpoint, django_assert_max_num_queries):
    client.force_login(board_officer)
    checkpoint_sign(actor=SYSTEM)  # nothing new: no second row
    with django_assert_max_num_queries(14):
        page = client.get(LEDGER)
    assert page.status_code == 200
    html = page.content.decode()
    table = page.context["table"]
    assert table.paginator.count == 1
    assert checkpoint.head_hash[:16] in html and checkpoint.key_id[:12] in html
    assert "Hợp lệ" in html  # the signature verifies
    assert html.count('data-testid="countersign"') == 1
    assert checkpoints.statement_hash(checkpoint) in html
    assert page.context["key_id"] == checkpoint.key_id


def test_the_export_holds_every_checkpoint(client, board_officer, checkpoint, settings):
    from personnel.ledger import ledger_append
    from personnel.models import EntryKind, ResponsibilityEntry

    settings.PAGE_SIZE = 1
    nomination = ResponsibilityEntry.objects.first().nomination
    for _ in range(2):
        ledger_append(nomination=nomination, kind=EntryKind.STEP, on=checkpoint.signed_at.date())
        checkpoint_sign(actor=SYSTEM)
    client.force_login(board_officer)
    response = client.get(LEDGER + "?export=xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [1, 2, 3]
    assert sorted(r[2] for r in rows) == [3, 4, 5]  # the sizes
    assert checkpoint.head_hash in {r[3] for r in rows}  # whole, not cut


def test_the_board_countersigns_once(client, board_officer, checkpoint, province):
    client.force_login(board_officer)
    response = client.post(countersign_url(checkpoint), _form(checkpoint, province.root))
    assert response.status_code == 302 and response["Location"] == LEDGER
    signature = LedgerCountersignature.objects.get()
    assert (signature.checkpoint, signature.organization, signature.signed_by) == (
        checkpoint, province.root, board_officer)
    page = client.get(LEDGER)
    assert province.root.name in page.content.decode()
    assert 'data-testid="countersign"' not in page.content.decode()  # no second button
    again = client.post(countersign_url(checkpoint), _form(checkpoint, province.root), follow=True)
    assert any("đã ký xác nhận điểm kiểm chứng 3 bút toán này" in str(m) for m in again.context["messages"])
    assert LedgerCountersignature.objects.count() == 1


def test_a_stale_page_is_not_countersigned(client, board_officer, checkpoint, province):
    client.force_login(board_officer)
    response = client.post(countersign_url(checkpoint), {"organization": province.root.pk,
                                                         "statement_hash": "0" * 64}, follow=True)
    assert response.status_code == 200
    assert any("hãy tải lại trang" in str(m) for m in response.context["messages"])
    assert not LedgerCountersignature.objects.exists()


def test_the_board_signs_a_checkpoint_now(client, board_officer, committee, signing_key, province):
    entries(committee, 2)
    client.force_login(board_officer)
    response = client.post(SIGN, {"organization": province.root.pk}, follow=True)
    assert response.status_code == 200
    checkpoint = LedgerCheckpoint.objects.get()
    assert checkpoint.size == 2
    assert any("Đã ký điểm kiểm chứng 2 bút toán" in str(m) for m in response.context["messages"])
    response = client.post(SIGN, {"organization": province.root.pk}, follow=True)
    assert any("Không có bút toán mới" in str(m) for m in response.context["messages"])
    assert LedgerCheckpoint.objects.count() == 1
    assert client.get(SIGN).status_code == 405


def test_without_the_key_the_page_says_so_and_signing_is_refused(client, board_officer, committee, province,
                                                                  settings, tmp_path):
    settings.LEDGER_SIGNING_KEY_FILE = str(tmp_path / "absent.pem")
    entries(committee, 1)
    client.force_login(board_officer)
    page = client.get(LEDGER)
    assert page.status_code == 200 and 'data-testid="key-missing"' in page.content.decode()
    response = client.post(SIGN, {"organization": province.root.pk}, follow=True)
    assert response.status_code == 200
    assert any("ledger_keygen" in str(m) for m in response.context["messages"])
    assert not LedgerCheckpoint.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "staff_a", "inspector_a"])
def test_nobody_but_the_board_reaches_the_ledger(client, request, who, checkpoint, province):
    client.force_login(request.getfixturevalue(who))
    before = LedgerCheckpoint.objects.count()
    assert client.get(LEDGER).status_code == 404
    assert client.post(SIGN, {"organization": province.root.pk}).status_code == 404
    assert client.post(countersign_url(checkpoint), _form(checkpoint, province.root)).status_code == 404
    assert client.post(countersign_url(checkpoint), _form(checkpoint, province.sub_b)).status_code == 404
    assert LedgerCheckpoint.objects.count() == before and not LedgerCountersignature.objects.exists()


def test_the_board_of_one_province_does_not_act_for_another(client, board_officer, checkpoint):
    from organizations.models import OrgKind
    from tests.factories import make_org

    elsewhere = make_org(None, OrgKind.PROVINCIAL, "Đảng bộ tỉnh Khác")
    client.force_login(board_officer)
    assert client.post(countersign_url(checkpoint), _form(checkpoint, elsewhere)).status_code == 404
    assert client.post(SIGN, {"organization": elsewhere.pk}).status_code == 404
    assert not LedgerCountersignature.objects.exists()


def test_hostile_input_gives_no_error_page(client, board_officer, checkpoint, province):
    client.raise_request_exception = True
    client.force_login(board_officer)
    for value in ["", "x", "-1", "0", str(10**30), "²", "1 OR 1=1"]:
        assert client.post(SIGN, {"organization": value}).status_code < 500
        assert client.post(countersign_url(checkpoint), {"organization": value,
                                                         "statement_hash": value}).status_code < 500
        assert client.get(LEDGER, {"date_from": value, "date_to": value, "sort": value, "page": value}
                          ).status_code == 200
    assert client.post(f"/ledger/checkpoints/{10**12}/countersign/", _form(checkpoint, province.root)
                       ).status_code == 404
    assert not LedgerCountersignature.objects.exists()


def test_anonymous_is_sent_to_log_in(client, checkpoint):
    for url in (LEDGER, SIGN, countersign_url(checkpoint)):
        response = client.post(url) if url != LEDGER else client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


def test_the_admin_shows_the_personnel_records_and_changes_none(admin_client, rf, admin_user, checkpoint, province):
    from django.contrib import admin

    from personnel import models

    checkpoints.checkpoint_countersign(checkpoint=checkpoint, organization=province.root, actor=admin_user)
    request = rf.get("/admin/")
    request.user = admin_user
    for model in (models.PlanningEntry, models.Nomination, models.ProcedureStep, models.ResponsibilityEntry,
                  models.LedgerCheckpoint, models.LedgerCountersignature, models.ActionProgramTemplate):
        registered = admin.site._registry.get(model)
        if registered is None:  # steps are shown inline on their nomination
            assert model is models.ProcedureStep
            continue
        assert registered.has_view_permission(request)
        assert not (registered.has_add_permission(request) or registered.has_change_permission(request)
                    or registered.has_delete_permission(request))
        label = f"{model._meta.app_label}/{model._meta.model_name}"
        assert admin_client.get(f"/admin/{label}/").status_code == 200
        assert admin_client.get(f"/admin/{label}/add/").status_code == 403
        row = model.objects.first()
        if row is not None:
            assert admin_client.get(f"/admin/{label}/{row.pk}/change/").status_code == 200
    for inline in admin.site._registry[models.LedgerCheckpoint].get_inline_instances(request):
        assert not (inline.has_add_permission(request, None) or inline.has_change_permission(request)
                    or inline.has_delete_permission(request))
