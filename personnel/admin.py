"""Read only: planning, nominations, their steps and the ledger are written by the services (the ledger's tables
refuse any change in the database itself)."""

from django.contrib import admin

from common.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import (
    ActionProgramTemplate,
    LedgerCheckpoint,
    LedgerCountersignature,
    Nomination,
    PlanningEntry,
    ProcedureStep,
    ResponsibilityEntry,
)


@admin.register(PlanningEntry)
class PlanningEntryAdmin(ReadOnlyAdmin):
    list_display = ("person", "position", "organization", "term", "added_on", "removed_on")
    list_filter = ("term",)
    raw_id_fields = ("organization", "person", "position", "added_by", "removed_by")


class ProcedureStepInline(ReadOnlyInline):
    model = ProcedureStep
    fields = ("number", "code", "held_on", "result", "ballots_issued", "ballots_valid", "confidential")


@admin.register(Nomination)
class NominationAdmin(ReadOnlyAdmin):
    list_display = ("nominee", "position", "target", "kind", "state", "nominator", "introduced_on", "closed_on")
    list_filter = ("kind", "state", "source")
    raw_id_fields = ("organization", "target", "position", "nominee", "nominator", "nominator_tenure",
                     "dismissed_tenure", "decision", "appointed_tenure", "corrects", "created_by")
    inlines = [ProcedureStepInline]


@admin.register(ResponsibilityEntry)
class ResponsibilityEntryAdmin(ReadOnlyAdmin):
    list_display = ("seq", "kind", "nomination", "nominator", "nominee", "occurred_on", "recorded_at")
    list_filter = ("kind",)
    raw_id_fields = ("nomination", "organization", "nominator", "nominee")


class CountersignatureInline(ReadOnlyInline):
    model = LedgerCountersignature
    fields = ("organization", "signed_by", "signed_at", "statement_hash")


@admin.register(LedgerCheckpoint)
class LedgerCheckpointAdmin(ReadOnlyAdmin):
    list_display = ("signed_at", "size", "head_hash", "key_id")
    inlines = [CountersignatureInline]


@admin.register(LedgerCountersignature)
class LedgerCountersignatureAdmin(ReadOnlyAdmin):
    list_display = ("checkpoint", "organization", "signed_by", "signed_at")
    raw_id_fields = ("checkpoint", "organization", "signed_by")


@admin.register(ActionProgramTemplate)
class ActionProgramTemplateAdmin(ReadOnlyAdmin):
    list_display = ("organization", "changed_at")
    raw_id_fields = ("organization",)
