from tests.accounts.conftest import charity, people  # noqa: F401 (shared fixtures)
