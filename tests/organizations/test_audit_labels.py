"""Audit entries keep names in their summary, in no language; a kind, relation or form is a code, read in the
reader's language."""

import datetime as dt

import pytest
from django.utils import translation

from audit.models import AuditEntry
from common.actors import SYSTEM
from organizations.models import DisciplineForm, Relation, RoleKind
from organizations.services import discipline_record, kinship_declare, role_grant
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
D = dt.date


def test_the_entries_read_in_english_with_the_labels_in_english(province):
    person = MembershipFactory(organization=province.cell_1, person__full_name="Lê Văn Khai").person
    relative = MembershipFactory(organization=province.cell_1, person__full_name="Lê Thị Thân").person
    kinship_declare(person=person, relative=relative, relation=Relation.SPOUSE, declared_on=D(2025, 1, 1),
                    actor=SYSTEM)
    discipline_record(person=person, form=DisciplineForm.REPRIMAND, decided_on=D(2025, 2, 1),
                      decided_by=province.sub_a, decision_ref="7-QĐ", actor=SYSTEM)
    role_grant(user=UserFactory(username="clerk"), kind=RoleKind.COMMITTEE_STAFF, organization=province.cell_1,
               actor=SYSTEM)
    kinship = AuditEntry.objects.get(action="kinship.declare")
    discipline = AuditEntry.objects.get(action="discipline.record")
    grant = AuditEntry.objects.get(action="role.grant")
    assert kinship.summary == "Lê Văn Khai — Lê Thị Thân" and kinship.data["relation"] == "spouse"
    assert discipline.summary == "Lê Văn Khai (7-QĐ)" and discipline.data["form"] == "reprimand"
    assert grant.summary == f"clerk: {province.cell_1.name}" and grant.data["kind"] == "committee_staff"
    with translation.override("en"):
        assert kinship.text == "Lê Văn Khai — Lê Thị Thân · Spouse"
        assert discipline.text == "Lê Văn Khai (7-QĐ) · Reprimand"
        assert grant.text == f"clerk: {province.cell_1.name} · Committee office staff"
    with translation.override("vi"):
        assert kinship.text.endswith("· Vợ, chồng")
