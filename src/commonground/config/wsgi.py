import os

from django.core.wsgi import get_wsgi_application

from commonground.core.startup import freeze_startup_objects

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.config.settings.production")
application = get_wsgi_application()
# Once Django is set up: start-up's objects are never walked by the collector again (ADR 0052).
freeze_startup_objects()
