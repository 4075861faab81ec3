"""An organization moved while a period runs: the rollups follow the new tree; a move out of the period is refused."""

from __future__ import annotations

import pytest
from django.db.models import Sum

from assessments.models import Assessment, Rollup
from common.actors import SYSTEM
from common.reasons import Refused
from organizations.models import Organization
from organizations.services import organization_move

from .conftest import open_period

pytestmark = pytest.mark.django_db


def _total(period, org: Organization) -> int:
    return Rollup.objects.filter(period=period, organization=org).aggregate(n=Sum("count"))["n"] or 0


def test_the_rollups_of_a_running_period_follow_a_move(world, period_2026):
    p, period = world.province, period_2026
    moved = Assessment.objects.filter(period=period, organization=p.cell_b).count()
    before = {org.pk: _total(period, org) for org in (p.root, p.sub_a, p.sub_b)}
    assert moved == 3 and before[p.sub_b.pk] == moved + 1  # B's own collective besides

    organization_move(organization=p.cell_b, parent=p.sub_a, actor=SYSTEM)

    # The province counts the same subjects; they count now under A, no longer under B.
    assert _total(period, p.root) == before[p.root.pk]
    assert _total(period, p.sub_a) == before[p.sub_a.pk] + moved
    assert _total(period, p.sub_b) == 1
    cell_b = Organization.objects.get(pk=p.cell_b.pk)
    assert _total(period, cell_b) == moved


def test_a_move_out_of_a_running_period_s_subtree_is_refused(world, board_officer,
                                                              django_capture_on_commit_callbacks):
    p = world.province
    period = open_period(p.sub_b, board_officer, capture=django_capture_on_commit_callbacks)
    before = _total(period, p.sub_b)
    with pytest.raises(Refused) as refused:
        organization_move(organization=p.cell_b, parent=p.sub_a, actor=SYSTEM)
    assert refused.value.codes == ["period_move_out_of_subtree"]
    assert Organization.objects.get(pk=p.cell_b.pk).path.startswith(p.sub_b.path)
    assert _total(period, p.sub_b) == before > 0
