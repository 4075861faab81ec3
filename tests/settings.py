"""The portal's settings, plus an app that exists only for the tests (``tests.chain``)."""

from portal.settings import *  # noqa: F403
from portal.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.chain"]
