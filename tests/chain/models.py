from django.db import models

from audit.appendonly import HashChained, append_only


@append_only
class Link(HashChained):
    """A hash-chained, append-only entry the way the responsibility ledger will declare one."""

    chained_fields = ("text", "amount", "on", "at")

    text = models.CharField(max_length=100)
    amount = models.DecimalField(max_digits=8, decimal_places=2, null=True)
    on = models.DateField(null=True)
    at = models.DateTimeField(null=True)

    class Meta(HashChained.Meta):
        app_label = "chain_tests"
