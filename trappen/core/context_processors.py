from django.conf import settings


def trappen(request):
    user = getattr(request, "user", None)
    roles = sorted(user.role_set(), key=lambda r: r.label) if user and user.is_authenticated else []
    return {
        "TRAPPEN_ENV": settings.TRAPPEN_ENV,
        "DEMO_MODE": settings.DEMO,
        "user_roles": roles,
    }
