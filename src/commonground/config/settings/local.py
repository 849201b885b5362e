"""Settings for the demo (`make demo`) and a developer's machine.

DEBUG is off, so the demo answers with the error pages production uses (a debug 404 page lists
every URL pattern; issue 20). A developer turns it on explicitly: COMMONGROUND_DEBUG=true.
Static files are served by WhiteNoise, as in production, straight from the apps' folders, so
they work without DEBUG and before `collectstatic` has run.
"""

import os

from .base import *  # noqa: F403

DEBUG = os.environ.get("COMMONGROUND_DEBUG", "false") == "true"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# The demo's example people get a known password, printed by the demo loaders, so anyone trying
# the demo can sign in as them. Never in production (base.py leaves it off).
COMMONGROUND_DEMO_PASSWORDS = True
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
