import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regulars.settings")
application = get_wsgi_application()

# Django imports the URL configuration at the first request; with it come the API's schemas,
# about half a second of work. Done here, it happens once in gunicorn's master (preload_app)
# instead of in the first request of every web process, which would wait for it.
import_module(settings.ROOT_URLCONF)
