from django.urls import path

from vendors import views

app_name = "vendors"

urlpatterns = [
    path("portal/", views.portal, name="portal"),
    path("portal/vendors/new/", views.vendor_create, name="create"),
    path("portal/vendors/<int:pk>/", views.vendor_detail, name="detail"),
    path("portal/vendors/<int:pk>/edit/", views.vendor_edit, name="edit"),
    path("portal/vendors/<int:pk>/submit/", views.vendor_submit, name="submit"),
    path("portal/vendors/<int:vendor_pk>/products/new/", views.product_edit, name="product_create"),
    path(
        "portal/vendors/<int:vendor_pk>/products/<int:pk>/edit/",
        views.product_edit,
        name="product_edit",
    ),
    path("portal/products/<int:pk>/delete/", views.product_delete, name="product_delete"),
    path("portal/products/<int:pk>/photos/", views.product_photos, name="product_photos"),
    path("portal/photos/<uuid:pk>/delete/", views.photo_delete, name="photo_delete"),
    path("files/photos/<uuid:pk>/<str:variant>/", views.photo_file, name="photo_file"),
    path("staff/vendors/", views.review_queue, name="review_queue"),
    path("staff/vendors/<int:pk>/<str:action>/", views.vendor_review, name="review"),
]
