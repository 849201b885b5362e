"""Settings for a developer's machine and the demo (`make demo`)."""

import os

from .base import *  # noqa: F403

DEBUG = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
# A fixed key is safe only because local settings never serve the public.
SECRET_KEY = "local-development-only-not-secret"  # noqa: S105
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Pages are rendered afresh, so template and code changes show at once; set the variable to
# try the page cache (ADR 0012) locally.
COMMONGROUND_PAGE_CACHE_SECONDS = int(os.environ.get("COMMONGROUND_PAGE_CACHE_SECONDS", "0"))
