from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Trappen – administration"
admin.site.site_title = "Trappen"

urlpatterns = [
    path("", include("trappen.core.urls")),
    path("", include("trappen.notifications.urls")),
    path("", include("trappen.cases.urls")),
    path("", include("trappen.voice.urls")),
    path("", include("trappen.early.urls")),
    path("api/v1/", include("trappen.api.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "trappen.core.views.errors.bad_request"
handler403 = "trappen.core.views.errors.permission_denied"
handler404 = "trappen.core.views.errors.page_not_found"
handler500 = "trappen.core.views.errors.server_error"
