from django.urls import path

from curation import views

app_name = "curation"

urlpatterns = [
    # Applicant
    path("programmes/", views.programme_list, name="programmes"),
    path("programmes/<int:pk>/enter/", views.programme_enter, name="enter"),
    path("applications/", views.my_applications, name="my_applications"),
    # Shared application page (content depends on the role)
    path("applications/<int:pk>/", views.application_detail, name="detail"),
    path("applications/<int:pk>/submit/", views.application_submit, name="submit"),
    path("applications/<int:pk>/withdraw/", views.application_withdraw, name="withdraw"),
    path(
        "applications/<int:pk>/samples/<int:sample_pk>/shipment/",
        views.sample_ship,
        name="sample_ship",
    ),
    path(
        "applications/<int:pk>/samples/<int:sample_pk>/receipt/",
        views.sample_receive,
        name="sample_receive",
    ),
    path("applications/<int:pk>/assign/", views.application_assign, name="assign"),
    path(
        "applications/<int:pk>/assignments/<int:assignment_pk>/end/",
        views.assignment_end,
        name="assignment_end",
    ),
    path(
        "applications/<int:pk>/assignments/<int:assignment_pk>/reassign/",
        views.assignment_reassign,
        name="assignment_reassign",
    ),
    # Staff
    path("staff/applications/", views.screening_queue, name="screening_queue"),
    path("staff/applications/bulk/", views.screening_bulk, name="screening_bulk"),
    path(
        "staff/applications/<int:pk>/sample/",
        views.application_request_sample,
        name="request_sample",
    ),
    path("staff/applications/<int:pk>/<str:action>/", views.application_screen, name="screen"),
    # Assessor lead
    path("assessor/", views.assessor_queue, name="assessor_queue"),
    # Curator
    path("curator/", views.workspace, name="workspace"),
    path(
        "curator/applications/<int:pk>/",
        views.curator_application,
        name="curator_application",
    ),
    path(
        "curator/applications/<int:pk>/no-conflict/",
        views.curator_no_conflict,
        name="no_conflict",
    ),
    path("curator/applications/<int:pk>/conflict/", views.curator_conflict, name="conflict"),
    path(
        "curator/applications/<int:pk>/photos/<uuid:photo_id>/<str:variant>/",
        views.application_photo,
        name="photo",
    ),
]
