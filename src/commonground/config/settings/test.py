"""Settings for the test suite: the same as production where it matters, fast where it does not."""

import atexit
import shutil
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
SECRET_KEY = "test-only-not-secret"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Each test run keeps its uploads in a folder of its own, removed when the run ends.
UPLOADS_ROOT = Path(tempfile.mkdtemp(prefix="commonground-test-uploads-"))
atexit.register(shutil.rmtree, UPLOADS_ROOT, ignore_errors=True)
# Each test process counts on its own; tests that need a clean count clear the cache.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
}
# Tests change data directly, not only through imports and reviews: pages and derived figures
# are computed afresh unless a test turns the cache on (tests/core/test_page_cache.py).
COMMONGROUND_PAGE_CACHE_SECONDS = 0
