"""Lock, then check: an import confirmed while a clerk adds the same entry (PostgreSQL only, two connections)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from common.actors import SYSTEM
from common.reasons import Refused
from personnel import services
from personnel.models import PlanningEntry
from tests.governance.test_concurrency import _postgresql_only, _race  # noqa: F401  (an autouse fixture)

from ..factories import MembershipFactory, PersonFactory, position

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="row locks (SELECT ... FOR UPDATE) need PostgreSQL and two connections"),
]


def test_an_import_waits_for_the_add_and_then_refuses_the_row_it_planned(province):
    person = PersonFactory(full_name="Trần Văn An", card_number="0300000001")
    MembershipFactory(person=person, organization=province.cell_1)
    other = PersonFactory(full_name="Lê Thị Bình", card_number="0300000002")
    MembershipFactory(person=other, organization=province.cell_1)
    rows = [{"row": 2, "card": "0300000001", "position": "deputy-secretary", "term": "2025-2030",
             "ref": "15-QĐ/TU", "day": "2025-12-01", "decider": province.root.code},
            {"row": 3, "card": "0300000002", "position": "deputy-secretary", "term": "2025-2030",
             "ref": "15-QĐ/TU", "day": "2025-12-01", "decider": province.root.code}]
    # The preview finds nothing wrong: the clerk's entry is not there yet.
    assert services.planning_import_check(organization=province.sub_a, rows=rows, actor=SYSTEM)[1] == []

    def add():
        return services.planning_add(organization=province.sub_a, person=person, position=position("deputy-secretary"),
                                     term="2025-2030", added_on=dt.date(2025, 12, 1), added_ref="14-QĐ/TU",
                                     added_by=province.root, actor=SYSTEM)

    def commit():
        return services.planning_import_commit(organization=province.sub_a, rows=rows, file_name="a.xlsx",
                                               sha256="0" * 64, actor=SYSTEM)

    outcome = _race(add, commit)
    assert outcome["second_blocked"], "the import did not wait for the add's lock on the organization's list"
    refused = outcome["second"]
    assert isinstance(refused, Refused), refused
    assert [r.code for r in refused.rows[2]] == ["planning_already"] and 3 not in refused.rows
    assert list(PlanningEntry.objects.values_list("added_ref", flat=True)) == ["14-QĐ/TU"]  # nothing of the file
