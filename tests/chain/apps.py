from django.apps import AppConfig


class ChainTestsConfig(AppConfig):
    """A model for testing ``audit.appendonly.HashChained`` without a table in the portal's own apps.

    Installed only by ``tests/settings.py``; it has no migrations, so the test database creates its table
    directly (and ``audit.appendonly.install`` puts its append-only triggers on both databases).
    """

    name = "tests.chain"
    label = "chain_tests"
