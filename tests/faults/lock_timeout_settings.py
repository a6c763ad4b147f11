"""The production settings with a one-second SQLite lock timeout (instead of 20 s), so that
a test holding the write lock sees the server give up quickly. Nothing else differs."""

from config.settings import *  # noqa: F403
from config.settings import DATABASES

DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 1
