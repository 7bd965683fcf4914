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
    path("admin/", admin.site.urls),
]
