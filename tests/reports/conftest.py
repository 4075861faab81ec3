import pytest

from tests.assessments.conftest import period_2026, world  # noqa: F401  (the review's small world)
from tests.reports.test_governance_reports import meeting, register  # noqa: F401  (a meeting, decisions)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Report files go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
