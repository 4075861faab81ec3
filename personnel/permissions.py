"""The permissions on organizations this app declares (see ``organizations.permissions``)."""

MANAGE_PERSONNEL = "manage_personnel"  # the office: planning, drafts, the steps' counts, the appointment
INTRODUCE = "introduce_personnel"  # the head: uses the 142 power in person
VIEW_PERSONNEL = "view_personnel"  # registers and nomination pages
# The wider conference's results (step 2) before the process ends: the organization board only.
VIEW_CONFIDENTIAL = "view_personnel_confidential"
VIEW_NOMINATOR_RECORD = "view_nominator_record"  # the organization board and the inspection committee above
COUNTERSIGN = "countersign_ledger"  # the superior organization board countersigns the ledger's checkpoints
# The organization board's judgement of a nominee against the Regulation 144 standards, with its notes.
ASSESS_STANDARDS = "assess_personnel_standards"
