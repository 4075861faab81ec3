"""The permissions on organizations this app declares (see ``organizations.permissions``)."""

RECORD_DECISIONS = "record_decisions"
SIGN_DECISIONS = "sign_decisions"  # a head records the decisions they take alone, signed by themselves
