"""Error pages in Danish. They never show the exception or anything from the request.

The 500 page is rendered from a self-contained template without a request context, so it works
when the database or a context processor is what failed.
"""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token


@requires_csrf_token
def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


@requires_csrf_token
def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


@requires_csrf_token
def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request=None):
    return HttpResponseServerError(loader.get_template("500.html").render({}))


def csrf_failure(request, reason=""):
    """The form was sent without a valid security token (often a page left open too long)."""
    return render(request, "403_csrf.html", status=403)
