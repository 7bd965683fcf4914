from django.urls import path

from regions import views

app_name = "regions"

urlpatterns = [path("regencies/", views.regency_options, name="regency_options")]
