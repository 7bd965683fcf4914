from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from config import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("regions/", include("regions.urls")),
    path("", include("vendors.urls")),
    path("", include("curation.urls")),
    path("", include("certification.urls")),
    path("", include("catalogue.urls")),
    path("notifications/", include("notifications.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG and settings.STORAGE_BACKEND == "local":
    # Public listing photos only; private media is never served from a URL.
    urlpatterns += static("/media/public/", document_root=settings.MEDIA_ROOT / "public")
