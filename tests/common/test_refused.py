"""The one refusal: codes with parameters and a citation, rendered only when read, in the reader's language."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation

from common.actors import SYSTEM, require_perm
from common.reasons import Reason, Refused, text_of


def test_a_refusal_reads_in_the_language_of_whoever_reads_it():
    with translation.override("vi"):
        refused = Refused.because("not_permitted", perm="record_decisions", org="Chi bộ 3")
    assert isinstance(refused, ValidationError) and refused.codes == ["not_permitted"]
    with translation.override("en"):
        assert refused.messages == ["You are not allowed to do this at Chi bộ 3."]
    with translation.override("vi"):
        assert refused.messages == ["Bạn không có quyền thực hiện thao tác này tại Chi bộ 3."]
    assert refused.to_json() == [{"code": "not_permitted", "params": {"perm": "record_decisions",
                                                                       "org": "Chi bộ 3"}}]


def test_a_form_shows_it_in_the_language_of_the_page_that_renders_it():
    class Empty(forms.Form):
        pass

    form = Empty({})
    with translation.override("vi"):
        assert form.is_valid()
        form.add_error(None, Refused(Reason("refused")))
    with translation.override("en"):
        assert form.non_field_errors() == ["This could not be done."]


@pytest.mark.django_db
def test_a_citation_is_rendered_from_the_catalog_after_the_sentence():
    reason = Reason("refused", {}, "Điều lệ Đảng", "9.5")
    with translation.override("vi"):
        text = text_of(reason)
    assert text.startswith("Không thực hiện được thao tác này. (") and "9" in text and text.endswith(")")
    assert str(Refused(reason)) == text_of(reason)


def test_rows_stand_as_the_messages_when_there_is_no_overall_reason():
    refused = Refused([], rows={3: [Reason("refused")], 5: [Reason("not_permitted")]})
    assert len(refused.messages) == 2 and refused.rows[3][0].code == "refused"
    assert [r["code"] for r in refused.to_json()] == ["refused", "not_permitted"]
    assert str(refused) == " ".join(refused.messages)


def test_the_system_actor_may_act_and_nobody_else_without_the_permission(django_user_model):
    require_perm(SYSTEM, "regulations.import_document")
    with pytest.raises(Refused) as caught:
        require_perm(None, "regulations.import_document")
    assert caught.value.codes == ["not_permitted"]
