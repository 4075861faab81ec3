"""Discipline is recorded and annulled by the inspection committee; an annulment is an act of its own."""

import datetime as dt

import pytest

from audit.models import AuditEntry
from common.reasons import Refused
from organizations.models import Discipline, DisciplineAnnulment, DisciplineForm
from organizations.services import discipline_annul, discipline_record
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def member(province):
    return MembershipFactory(organization=province.cell_1, start=D(2010, 1, 1)).person


def test_the_inspection_committee_records_a_measure_owned_by_the_members_cell(province, inspector_a, member):
    discipline = discipline_record(person=member, form=DisciplineForm.WARNING, decided_on=D(2026, 4, 2),
                                   decided_by=province.sub_a, decision_ref="12-QĐ/UBKT", self_detected_remedied=True,
                                   actor=inspector_a)
    assert discipline.owner == province.cell_1 and discipline.decided_by == province.sub_a
    entry = AuditEntry.objects.get(action="discipline.record")
    assert entry.actor == inspector_a and entry.data["decision_ref"] == "12-QĐ/UBKT"


def test_an_organization_is_disciplined_from_above(province, inspector_a):
    discipline = discipline_record(organization=province.grassroots, form=DisciplineForm.REPRIMAND,
                                   decided_on=D(2026, 4, 2), decided_by=province.sub_a, actor=inspector_a)
    assert discipline.owner == province.grassroots
    with pytest.raises(Refused) as refused:
        discipline_record(organization=province.grassroots, form=DisciplineForm.REPRIMAND, decided_on=D(2026, 4, 2),
                          decided_by=province.grassroots, actor=inspector_a)
    assert refused.value.codes == ["discipline_issuer_not_above"]


@pytest.mark.parametrize(("subject", "form", "issuer", "code"), [
    ("organization", DisciplineForm.EXPULSION, "sub_a", "discipline_form_subject"),
    ("person", DisciplineForm.DISSOLUTION, "sub_a", "discipline_form_subject"),
    ("person", DisciplineForm.WARNING, "cell_2", "discipline_issuer_not_above"),
    ("both", DisciplineForm.WARNING, "sub_a", "discipline_one_subject"),
])
def test_a_measure_that_does_not_fit_is_refused(province, inspector_a, member, subject, form, issuer, code):
    kwargs = {"person": member} if subject == "person" else {"organization": province.cell_1} \
        if subject == "organization" else {"person": member, "organization": province.cell_1}
    with pytest.raises(Refused) as refused:
        discipline_record(form=form, decided_on=D(2026, 4, 2), decided_by=getattr(province, issuer),
                          actor=inspector_a, **kwargs)
    assert refused.value.codes == [code] and not Discipline.objects.exists()


def test_an_annulment_is_a_new_act_and_the_measure_stays_as_decided(province, inspector_a, member):
    discipline = discipline_record(person=member, form=DisciplineForm.WARNING, decided_on=D(2026, 4, 2),
                                   decided_by=province.sub_a, decision_ref="12-QĐ/UBKT", actor=inspector_a)
    with pytest.raises(Refused) as refused:
        discipline_annul(discipline=discipline, annulled_on=D(2026, 1, 1), decided_by=province.sub_a,
                         actor=inspector_a)
    assert refused.value.codes == ["discipline_annul_before_decided"]
    annulment = discipline_annul(discipline=discipline, annulled_on=D(2026, 9, 1), decided_by=province.sub_a,
                                 decision_ref="30-QĐ/UBKT", reason="Xem xét lại", actor=inspector_a)
    kept = Discipline.objects.get(pk=discipline.pk)
    assert (kept.form, kept.decided_on, kept.decision_ref) == (DisciplineForm.WARNING, D(2026, 4, 2), "12-QĐ/UBKT")
    assert kept.annulment == annulment
    assert not Discipline.objects.standing().exists()
    with pytest.raises(Refused) as refused:
        discipline_annul(discipline=discipline, annulled_on=D(2026, 9, 2), decided_by=province.sub_a,
                         actor=inspector_a)
    assert refused.value.codes == ["discipline_already_annulled"] and DisciplineAnnulment.objects.count() == 1
    assert AuditEntry.objects.filter(action="discipline.annul").count() == 1


@pytest.fixture
def provincial_inspector(province):
    from common.actors import SYSTEM
    from organizations.models import RoleKind
    from organizations.services import role_grant
    from tests.factories import UserFactory

    user = UserFactory(username="provincial_inspector")
    role_grant(user=user, kind=RoleKind.INSPECTION, organization=province.root, actor=SYSTEM)
    return user


def test_a_measure_of_the_province_is_annulled_by_the_province_not_by_a_lower_body(
        province, inspector_a, provincial_inspector, member):
    discipline = discipline_record(person=member, form=DisciplineForm.WARNING, decided_on=D(2026, 4, 2),
                                   decided_by=province.root, actor=provincial_inspector)
    with pytest.raises(Refused) as refused:
        discipline_annul(discipline=discipline, annulled_on=D(2026, 9, 1), decided_by=province.sub_a,
                         actor=inspector_a)
    assert refused.value.codes == ["discipline_annul_below_issuer"] and not DisciplineAnnulment.objects.exists()
    discipline_annul(discipline=discipline, annulled_on=D(2026, 9, 1), decided_by=province.root,
                     actor=provincial_inspector)
    assert not Discipline.objects.standing().exists()


def test_an_organization_never_annuls_its_own_discipline(province, inspector_a, provincial_inspector):
    discipline = discipline_record(organization=province.sub_a, form=DisciplineForm.REPRIMAND,
                                   decided_on=D(2026, 4, 2), decided_by=province.root, actor=provincial_inspector)
    with pytest.raises(Refused) as refused:
        discipline_annul(discipline=discipline, annulled_on=D(2026, 9, 1), decided_by=province.sub_a,
                         actor=inspector_a)
    assert refused.value.codes == ["discipline_issuer_not_above"]
    # Without its issuing body recorded: still strictly above the organization.
    Discipline.objects.filter(pk=discipline.pk).update(decided_by=None)
    with pytest.raises(Refused) as refused:
        discipline_annul(discipline=discipline, annulled_on=D(2026, 9, 1), decided_by=province.sub_a,
                         actor=inspector_a)
    assert refused.value.codes == ["discipline_issuer_not_above"] and not DisciplineAnnulment.objects.exists()
    discipline_annul(discipline=discipline, annulled_on=D(2026, 9, 1), decided_by=province.root,
                     actor=provincial_inspector)


def test_the_annulment_page_offers_the_issuing_body_and_above_only(client, province, inspector_a,
                                                                     provincial_inspector, member):
    discipline = discipline_record(person=member, form=DisciplineForm.WARNING, decided_on=D(2026, 4, 2),
                                   decided_by=province.sub_a, actor=inspector_a)
    client.force_login(provincial_inspector)
    offered = client.get(f"/disciplines/{discipline.pk}/annul/").context["form"].fields["decided_by"].queryset
    assert list(offered) == [province.sub_a, province.root]
