"""The permissions on organizations this app declares (see ``organizations.permissions``)."""

RECORD_DECISIONS = "record_decisions"
