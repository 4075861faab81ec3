"""The permissions on organizations this app declares (see ``organizations.permissions``).

Each is checked on a definite organization: entering on the organization
reviewed (the cell's secretary and office), appraising and deciding on the
competent level, annulling on the level above it, managing periods on the
period's organization.
"""

ENTER = "assess_enter"  # enter self-assessments and the review meeting's results
APPRAISE = "assess_appraise"  # appraisal and proposed level (the organization board)
DECIDE = "assess_decide"  # decide, notify; on the level above: annul and re-classify
MANAGE_PERIODS = "assess_manage_periods"  # open periods, deadlines, settings, peer groups, targets
