"""The WSGI application that `imas serve` (waitress) or any WSGI server runs."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imas.settings")
application = get_wsgi_application()
