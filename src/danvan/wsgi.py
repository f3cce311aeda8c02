import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings")
application = get_wsgi_application()

from danvan.core.keys import require_readable  # noqa: E402  (needs the apps loaded)

require_readable()
