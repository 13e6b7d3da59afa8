"""The JSON API's routes (django-ninja), mounted at /api/v1/.

ninja's own patterns are wrapped so that their 404 and 405 answers are JSON, and a last pattern
answers every other path under /api/v1/ with a JSON 404 instead of Django's HTML page.
"""

from django.urls import URLPattern, include, path, re_path

from trappen.api.api import api
from trappen.api.errors import json_errors, unknown_path

_patterns, _app_name, _namespace = api.urls

urlpatterns = [
    path(
        "",
        include(
            (
                [
                    *(
                        URLPattern(p.pattern, json_errors(p.callback), p.default_args, p.name)
                        for p in _patterns
                    ),
                    re_path(r"^(?P<path>.*)$", unknown_path, name="not_found"),
                ],
                _app_name,
            ),
            namespace=_namespace,
        ),
    )
]
