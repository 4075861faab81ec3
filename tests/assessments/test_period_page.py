"""A period's page shows each reader the counts of the part of the period they may see."""

from __future__ import annotations

import re

from assessments.choices import Step
from assessments.models import Assessment


def _shown(client, period) -> tuple[str, dict[str, int]]:
    page = client.get(period.get_absolute_url()).content.decode()
    subjects = re.search(r'data-testid="period-subjects">([^<]*)<', page).group(1)
    steps = {s: int(n) for s, n in re.findall(r'data-step="(\w+)">(\d+)<', page)}
    return subjects, steps


def test_a_cell_s_office_sees_its_cell_s_counts_and_the_board_the_province_s(client, world, period_2026,
                                                                           board_officer, outsider):
    period, p = period_2026, world.province
    client.force_login(board_officer)
    subjects, steps = _shown(client, period)
    assert subjects.startswith(f"{period.subjects} ") and steps[Step.PENDING] == period.subjects

    client.force_login(world.cell_staff)
    cell = Assessment.objects.filter(period=period, organization__path__startswith=p.cell_1.path).count()
    assert cell == 1 + 4 + 1 < period.subjects  # the cell, its members, its secretary
    subjects, steps = _shown(client, period)
    assert subjects.startswith(f"{cell} ") and steps[Step.PENDING] == cell

    client.force_login(outsider)  # committee B: its own part of the province's period
    b = Assessment.objects.filter(period=period, organization__path__startswith=p.sub_b.path).count()
    subjects, steps = _shown(client, period)
    assert subjects.startswith(f"{b} ") and steps[Step.PENDING] == b
