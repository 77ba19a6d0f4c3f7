"""The transfer tests' world: a learner who completed here, and the trust they moved to."""

from tests.portfolio.test_transfer import moved  # noqa: F401  (a completed learner, and their next trust)
from tests.web.conftest import as_user, world  # noqa: F401  (the web tests' small trust)
