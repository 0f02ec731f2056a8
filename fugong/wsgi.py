"""The WSGI application, as gunicorn loads it in each worker (``fugong serve``)."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fugong.settings")
application = get_wsgi_application()
# Load now what the first request would load (the URLconf, the views, the API's schemas), then
# move everything loaded so far out of the garbage collector's sight: it lives as long as the
# worker, and each full collection (a 1,000-item check-in batch triggers several) would
# otherwise walk all of it again (about 95,000 objects; a third of the batch's Python time).
get_resolver().url_patterns  # noqa: B018
gc.freeze()
