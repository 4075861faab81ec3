"""The province's "5 clear" template: read by everyone in personnel work, written by the province's office."""

import pytest
from django.urls import reverse

from common.actors import SYSTEM
from organizations.models import RoleKind
from organizations.services import role_grant
from personnel import programs
from personnel.models import ActionProgramTemplate

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def province_office(province):
    user = UserFactory(username="vanphong_tinh")
    role_grant(user=user, kind=RoleKind.COMMITTEE_STAFF, organization=province.root, actor=SYSTEM)
    return user


def test_the_defaults_apply_until_the_province_writes_its_own(province):
    assert programs.prompts_for(province.cell_1)["work"] == str(programs.DEFAULT_PROMPTS["work"])


def test_the_province_office_saves_the_template_and_every_organization_reads_it(client, province, province_office):
    client.force_login(province_office)
    url = reverse("personnel:program_template", args=[province.root.pk])
    data = {part: f"Hướng dẫn {part}" for part in programs.PARTS}
    response = client.post(url, {**data, "people": ""})
    assert response.status_code == 302
    assert programs.prompts_for(province.cell_1)["work"] == "Hướng dẫn work"
    assert programs.prompts_for(province.cell_1)["people"] == str(programs.DEFAULT_PROMPTS["people"])  # left empty


def test_a_subordinate_office_reads_it_but_may_not_write_it(client, province, staff_a):
    client.force_login(staff_a)
    url = reverse("personnel:program_template", args=[province.sub_a.pk])
    page = client.get(url)  # the province's prompts, read only, on their own organization's page
    assert page.status_code == 200 and not page.context["may_edit"]
    assert client.post(url, {"work": "x"}).status_code == 403
    with pytest.raises(Exception) as refused:
        programs.program_template_save(organization=province.sub_a, prompts={}, actor=staff_a)
    assert "program_template_not_province" in refused.value.codes
    assert not ActionProgramTemplate.objects.exists()


def test_the_board_reads_it_but_may_not_post(client, province, board_officer):
    client.force_login(board_officer)
    url = reverse("personnel:program_template", args=[province.root.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"work": "x"}).status_code == 403
    assert not ActionProgramTemplate.objects.exists()


def test_an_outsider_gets_404(client, province, outsider):
    client.force_login(outsider)
    assert client.get(reverse("personnel:program_template", args=[province.root.pk])).status_code == 404
