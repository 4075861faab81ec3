"""Services of the review: periods, the opening job, the workflow, the grid, targets, rollups.

Every service runs in one transaction, locks the rows whose state it checks
(``select_for_update``, peer groups before assessments, each in key order)
before checking them, applies the rules of the period's scheme, moves the
state by the model's django-fsm-2 transitions, appends one event per
assessment and one audit entry per act, and keeps the rollups exact in the
same transaction. A grid of rows is one act: any row refused, nothing saved,
with every row's reasons returned to the page.
"""

from common.reasons import Refused  # the portal's one refusal, here for the callers of the services

from .base import BATCH, rollups_rebuild
from .periods import (
    PERIOD_DATES,
    PERIOD_SETTINGS,
    peer_group_split,
    peer_groups_merge,
    period_create,
    period_defaults,
    period_open,
    period_open_job,
    period_update,
)
from .targets import target_result_record, targets_assign, targets_copy
from .workflow import (
    Decision,
    Row,
    assessment_acknowledge,
    assessment_annul,
    assessment_appraise,
    assessment_self_submit,
    assessments_decide,
    assessments_notify,
    assessments_review,
    ceiling_of,
    facts_for,
)

__all__ = [
    "BATCH", "PERIOD_DATES", "PERIOD_SETTINGS", "Decision", "Refused", "Row", "assessment_acknowledge",
    "assessment_annul", "assessment_appraise", "assessment_self_submit", "assessments_decide", "assessments_notify",
    "assessments_review", "ceiling_of", "facts_for", "period_create", "period_defaults", "period_open",
    "period_open_job", "period_update", "peer_group_split", "peer_groups_merge", "rollups_rebuild",
    "target_result_record", "targets_assign", "targets_copy",
]
