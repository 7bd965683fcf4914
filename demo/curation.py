"""Demo curation: the Karya Nusantara programme, its assessor and applications in many states.

Every step runs through the services as the person who would take it, so the demo's history
and audit log look like real use. Idempotent: a product that already has an application in the
programme is left alone.
"""

import datetime

from django.utils import timezone

from curation import services
from curation.models import (
    Application,
    AssessorOrganisation,
    Curator,
    CuratorQualification,
    Programme,
)
from vendors.models import Product

PROGRAMME_NAME = "Kurasi APD, Masker dan Hand Sanitizer UMKM — Karya Nusantara 2020"
CATEGORIES = ["cloth_mask", "medical_mask", "coverall_gown", "face_shield", "hand_sanitizer"]

# owner, product name, final state, score per criterion of each curator (None: not yet)
APPLICATIONS = [
    ("applicant1", "Masker kain 3 lapis SNI", "passed", (4, 5)),
    ("applicant2", "Hand sanitizer gel 70% 500 ml", "submitted", None),
    ("applicant4", "Masker medis 3 ply earloop", "in_curation", (4, None)),
    ("applicant6", "Masker kain batik 3 lapis", "sample_requested", None),
    ("applicant7", "Masker kain scuba", "curation_failed", (2, 1)),
    ("applicant8", "Gaun pelindung non-woven", "returned", None),
    ("applicant9", "Hand sanitizer cair 75% 100 ml", "passed", (4, 4)),
    ("applicant10", "Coverall medis laminasi PE", "passed", (5, 4)),
    ("applicant11", "Masker kain songket 2 lapis", "passed", (4, 4)),
]


def _assessor(users) -> AssessorOrganisation:
    organisation, _ = AssessorOrganisation.objects.get_or_create(
        name="PT Daruma Adira Pratama (Karya Nusantara)",
        defaults={
            "description": "Mitra kurator Kemenkop UKM untuk APD dan masker.",
            "lead": users["curator1"],
        },
    )
    for username in ("curator1", "curator2"):
        curator, _ = Curator.objects.get_or_create(
            user=users[username], defaults={"organisation": organisation}
        )
        for category in CATEGORIES:
            CuratorQualification.objects.get_or_create(curator=curator, category=category)
    return organisation


def _programme(assessor) -> Programme:
    today = timezone.localdate()
    programme, created = Programme.objects.get_or_create(
        name=PROGRAMME_NAME,
        defaults={
            "description": (
                "Kurasi produk APD, masker dan hand sanitizer UMKM yang beralih produksi selama "
                "pandemi, bersama mitra kurator Karya Nusantara, untuk dipasok ke "
                "kementerian, BUMN dan e-Katalog."
            ),
            "categories": CATEGORIES,
            "assessor": assessor,
            "opens_on": today - datetime.timedelta(days=30),
            "closes_on": today + datetime.timedelta(days=60),
            "quota": 330,
        },
    )
    services.copy_default_rubrics(programme=programme)
    return programme


def _score(application, assignment, user, value):
    rubric = application.programme.rubrics.get(category=application.product.category)
    services.declare_no_conflict(assignment=assignment, by=user)
    values = {
        c.pk: (min(value, c.scale_max), "Sesuai pengamatan sampel.") for c in rubric.criteria.all()
    }
    services.submit_scores(assignment=assignment, by=user, values=values)


def seed_curation(users) -> int:
    assessor = _assessor(users)
    programme = _programme(assessor)
    staff = users["staff1"]
    curators = [
        Curator.objects.get(user=users["curator1"]),
        Curator.objects.get(user=users["curator2"]),
    ]
    created = 0
    for owner_name, product_name, state, scores in APPLICATIONS:
        owner = users[owner_name]
        product = Product.objects.select_related("vendor").get(
            name=product_name, vendor__owners=owner
        )
        if Application.objects.filter(programme=programme, product=product).exists():
            continue
        created += 1
        application = services.create_application(
            vendor=product.vendor, product=product, programme=programme, by=owner
        )
        application = services.submit_application(application=application, by=owner)
        if state == "submitted":
            continue
        if state == "returned":
            services.return_application(
                application=application,
                by=staff,
                reason="Lampirkan laporan uji ketahanan cairan dari laboratorium terakreditasi.",
            )
            continue
        sample = services.request_sample(
            application=application,
            by=staff,
            quantity=5,
            instructions="Kirim 5 unit ke kantor Karya Nusantara, Jakarta Selatan.",
        )
        assignments = [
            services.assign_curator(application=application, curator=c, by=users["curator1"])
            for c in curators
        ]
        services.record_shipment(
            sample=sample,
            by=owner,
            courier="JNE",
            tracking_number=f"JNE{sample.pk:010d}",
            shipped_on=timezone.localdate() - datetime.timedelta(days=3),
        )
        if state == "sample_requested":
            continue
        services.record_sample_receipt(
            sample=sample, by=users["curator1"], quantity_received=5, condition="good"
        )
        for assignment, curator, value in zip(assignments, curators, scores, strict=True):
            if value is not None:
                _score(application, assignment, curator.user, value)
        if state in ("passed", "curation_failed"):
            services.release_result(application=application, by=staff)
    return created
