from django.urls import path

from certification import views

app_name = "certification"

urlpatterns = [
    # Staff: the permit decision after curation
    path("staff/certification/passed/", views.passed_list, name="passed"),
    path("staff/certification/passed/<int:pk>/open-permit/", views.permit_open, name="permit_open"),
    path("staff/certification/passed/<int:pk>/skip-permit/", views.permit_skip, name="permit_skip"),
    path("staff/permits/", views.permit_board, name="board"),
    # The permit case: applicant and staff
    path("permits/", views.my_permits, name="my_permits"),
    path("permits/<int:pk>/", views.case_detail, name="case"),
    path(
        "permits/<int:pk>/items/<int:item_pk>/upload/",
        views.document_upload,
        name="document_upload",
    ),
    path(
        "permits/<int:pk>/requests/<int:request_pk>/answer/",
        views.info_answer,
        name="info_answer",
    ),
    path("permits/<int:pk>/steps/<str:action>/", views.case_action, name="case_action"),
    path("permits/documents/<uuid:pk>/", views.document_file, name="document"),
    path(
        "permits/documents/<uuid:pk>/<str:outcome>/",
        views.document_review,
        name="document_review",
    ),
    # Approval
    path("approvals/", views.approval_queue, name="approvals"),
    path("approvals/<int:pk>/", views.approval_detail, name="approval"),
    path("approvals/<int:pk>/approve/", views.approval_approve, name="approve"),
    path("approvals/<int:pk>/reject/", views.approval_reject, name="reject"),
    # Certificates
    path("certificates/", views.certificate_list, name="certificates"),
    path("certificates/mine/", views.my_certificates, name="my_certificates"),
    path("certificates/<int:pk>/print/", views.certificate_print, name="print"),
    path(
        "certificates/<int:pk>/<str:action>/",
        views.certificate_action,
        name="certificate_action",
    ),
    # Public verification
    path("verify/", views.verify_lookup, name="verify_lookup"),
    path("verify/<str:number>/", views.verify_certificate, name="verify"),
]
