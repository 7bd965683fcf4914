from django.urls import path, re_path

from catalogue import export_views, views

app_name = "catalogue"

urlpatterns = [
    path("catalogue/", views.search, name="search"),
    path("catalogue/feed.json", views.feed, name="feed"),
    path("catalogue/<int:pk>/", views.detail, name="detail"),
    path("catalogue/vendors/<int:pk>/", views.vendor, name="vendor"),
    path("portal/listings/", views.my_listings, name="my_listings"),
    path("portal/listings/<int:pk>/", views.listing_edit, name="listing_edit"),
    path("staff/exports/", export_views.export_index, name="exports"),
    re_path(
        r"^staff/exports/listings\.(?P<fmt>csv|xlsx)$",
        export_views.export_listings,
        name="export_listings",
    ),
    re_path(
        r"^staff/exports/applications\.(?P<fmt>csv|xlsx)$",
        export_views.export_applications,
        name="export_applications",
    ),
]
