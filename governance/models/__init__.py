"""Models of the governance app: the organization tree and people (``core``), and the
working regulations with their meetings and decisions (``working``)."""

from .core import *  # noqa: F401,F403
from .core import __all__ as _core_all
from .working import *  # noqa: F401,F403
from .working import __all__ as _working_all

__all__ = _core_all + _working_all
