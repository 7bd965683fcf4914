"""The whole workflow in a real browser, each person in their own session: an applicant on a
360 px phone signs up and registers a medical-mask maker, staff verify it and request a sample,
two curators score it, a second officer runs the permit case, the approver approves, and the
public finds the product in the catalogue and verifies its certificate."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from certification.models import Certificate, PermitCase
from curation.models import Application, Score
from regions.models import Regency
from tests import factories
from tests.browser.support import (
    button,
    expect,
    expect_message,
    field,
    fits_phone,
    form_with,
    jpeg_files,
    log_in,
    main,
    pdf_file,
    press,
    t,
    tn,
)
from vendors.models import Vendor

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EMAIL = "siti@sinarjahit.example"
PASSWORD = "jahit-Masker-2021"
PRODUCT = "Masker medis 3 ply earloop"
VERIFY_LINK = re.compile(r"https?://\S+/accounts/verify/[^/\s]+/[^/\s]+/")


def nav(page, msgid: str):
    return page.get_by_role("navigation", name=t("Main menu")).get_by_role(
        "link", name=t(msgid), exact=True
    )


def verify_link() -> str:
    bodies = [m.body for m in mail.outbox if EMAIL in m.to and VERIFY_LINK.search(m.body)]
    assert bodies, "no verification e-mail was sent to the new applicant"
    return VERIFY_LINK.search(bodies[-1]).group(0)


def test_a_phone_applicant_goes_from_sign_up_to_a_verified_catalogue_entry(pages, shot, tmp_path):
    assessor = factories.assessor(curators=2)
    programme = factories.programme(assessor_org=assessor)
    curators = list(programme.assessor.curators.order_by("pk"))
    staff1, staff2, approver = factories.staff(), factories.staff(), factories.approver()
    bandung = Regency.objects.select_related("province").get(code="3273")
    today = timezone.localdate()

    # The applicant signs up on a phone and opens the link of the verification e-mail.
    phone = pages.open(phone=True)
    phone.goto("/accounts/signup/")
    form = main(phone)
    field(form, "Full name").fill("Siti Rahayu")
    field(form, "E-mail address").fill(EMAIL)
    field(form, "Password").fill(PASSWORD)
    field(form, "Repeat password").fill(PASSWORD)
    shot(phone, "applicant signs up")
    press(phone, button(phone, "Create account"))
    expect(main(phone).get_by_role("heading", level=1)).to_have_text(t("My business"))
    phone.goto(verify_link())
    expect_message(phone, "Your e-mail address is verified.")
    shot(phone, "applicant verified e-mail")

    # She registers the business; the regency list follows the province she picks.
    press(phone, main(phone).get_by_role("link", name=t("Register my business")))
    form = main(phone)
    field(form, "legal name").fill("CV Sinar Jahit Bandung")
    field(form, "trading name").fill("Sinar Jahit")
    field(form, "NIB").fill("9120001234561")
    field(form, "NPWP").fill("01.234.567.4-123.000")
    field(form, "owner's name").fill("Siti Rahayu")
    field(form, "owner's NIK").fill(factories.VALID_NIK)
    field(form, "phone").fill("0812-3456-0001")
    field(form, "street address").fill("Jl. Cibaduyut No. 12")
    field(form, "province").select_option(label=bandung.province.name)
    expect(field(form, "regency or city").locator("option", has_text=bandung.name)).to_have_count(1)
    field(form, "regency or city").select_option(label=bandung.name)
    field(form, "postal code").fill("40235")
    field(form, "business capital (Rp)").fill("150000000")
    field(form, "yearly sales (Rp)").fill("600000000")
    field(form, "year founded").fill("2016")
    field(form, "number of workers").fill("12")
    shot(phone, "applicant fills in the business")
    press(phone, button(phone, "Save"))
    expect_message(phone, "Business saved. Now add your products with photos.")
    assert fits_phone(phone)

    # A medical mask (it needs a distribution permit) with three photos from the gallery.
    press(phone, main(phone).get_by_role("link", name=t("Add a product")))
    form = main(phone)
    field(form, "category").select_option(label=t("Medical mask"))
    field(form, "product name").fill(PRODUCT)
    field(form, "description").fill("Masker medis 3 lapis spunbond-meltblown-spunbond, earloop.")
    field(form, "material").fill("Spunbond 25 gsm, meltblown BFE 95%")
    field(form, "number of layers").fill("3")
    field(form, "unit").select_option(value="box")
    field(form, "production capacity per month").fill("20000")
    field(form, "indicative price per unit (Rp)").fill("45000")
    shot(phone, "applicant describes the product")
    press(phone, button(phone, "Save and add photos"))
    field(main(phone), "Photos").set_input_files(jpeg_files(tmp_path / "gallery", 3))
    press(phone, button(phone, "Upload"))
    expect_message(phone, "%(n)s photo(s) added.", n=3)
    expect(main(phone).locator("ul.gallery img")).to_have_count(3)
    shot(phone, "applicant uploaded photos")
    assert fits_phone(phone)

    vendor = Vendor.objects.get(legal_name="CV Sinar Jahit Bandung")
    phone.goto(f"/portal/vendors/{vendor.pk}/")
    press(phone, button(phone, "Submit for verification"))
    expect_message(phone, "Submitted. Ministry staff will verify your business.")
    shot(phone, "applicant submitted the business")

    # She enters the product into the open programme and submits it.
    press(phone, nav(phone, "Programmes"))
    card = main(phone).locator("article", has_text=programme.name)
    field(card, "Product").select_option(label=f"{PRODUCT} — Sinar Jahit")
    press(phone, card.get_by_role("button", name=t("Enter a product")))
    press(phone, button(phone, "Submit to the programme"))
    expect_message(phone, "Submitted. Ministry staff will screen your application.")
    shot(phone, "applicant submitted the application")
    assert fits_phone(phone)
    application = Application.objects.get(product__name=PRODUCT)
    assert application.status == Application.Status.SUBMITTED

    # Staff verify the business, request a sample and assign the assessor's two curators.
    desk = pages.open()
    log_in(desk, staff1)
    press(desk, nav(desk, "Vendor queue"))
    press(desk, main(desk).get_by_role("link", name="Sinar Jahit"))
    press(desk, button(desk, "Verify"))
    expect_message(desk, "The vendor is now “%(state)s”.", state=t("Verified"))
    shot(desk, "staff verified the business")
    press(desk, nav(desk, "Applications"))
    press(desk, main(desk).get_by_role("link", name=PRODUCT))
    form = form_with(desk, "Request a sample")
    field(form, "Units to send").fill("5")
    field(form, "Shipping instructions").fill("Kirim 5 kotak ke kantor penilai, Jakarta Selatan.")
    press(desk, button(desk, "Request a sample"))
    expect_message(desk, "Sample requested. Now assign the curators.")
    for _curator in curators:
        suggestions = main(desk).locator("ul.suggestions")
        press(desk, suggestions.get_by_role("button", name=t("Assign")).first)
    expect(main(desk)).to_contain_text(
        tn(
            "The application has its %(counter)s curator.",
            "The application has its %(counter)s curators.",
            2,
        )
    )
    shot(desk, "staff requested a sample and assigned curators")

    # The applicant records the courier and the tracking number.
    press(phone, nav(phone, "My applications"))
    press(phone, main(phone).get_by_role("link", name=PRODUCT))
    form = form_with(phone, "Record shipment")
    field(form, "Courier").fill("JNE")
    field(form, "Tracking number").fill("JNE0012345678")
    field(form, "Shipped on").fill(today.isoformat())
    press(phone, button(phone, "Record shipment"))
    expect_message(phone, "Shipment recorded. The assessor will confirm when the sample arrives.")
    shot(phone, "applicant shipped the sample")
    assert fits_phone(phone)

    # Each curator declares no conflict; the first records the receipt; both score 4 of 5.
    for number, curator in enumerate(curators, start=1):
        page = pages.open()
        log_in(page, curator.user)
        press(page, main(page).get_by_role("link", name=PRODUCT))
        expect(main(page)).not_to_contain_text("Sinar Jahit")  # blind until declared
        main(page).get_by_role("checkbox").check()
        press(page, button(page, "Declare no conflict"))
        expect_message(
            page, "Declaration recorded. You can now see the vendor and score the sample."
        )
        if number == 1:
            form = form_with(page, "Record receipt")
            field(form, "Units received").fill("5")
            press(page, button(page, "Record receipt"))
            expect_message(page, "Sample receipt recorded. Curation has started.")
        criteria = main(page).locator("fieldset.criterion")
        scored = criteria.count()
        for index in range(scored):
            criterion = criteria.nth(index)
            criterion.get_by_role("radio", name="4", exact=True).check()
            criterion.get_by_role("textbox").fill("Sesuai hasil uji sampel.")
        shot(page, f"curator {number} scores")
        press(page, button(page, "Submit scores"))
        expect_message(page, "Scores submitted. Thank you.")
        shot(page, f"curator {number} submitted")
    application.refresh_from_db()
    assert application.status == Application.Status.PASSED
    rubric = programme.rubrics.get(category="medical_mask")
    assert scored == rubric.criteria.count()
    assert Score.objects.filter(assignment__application=application, value=4).count() == 2 * scored

    # Staff release the result; a second officer opens and runs the permit case.
    desk.reload()
    press(desk, button(desk, "Release the result to the applicant"))
    expect_message(desk, "The result is released: the applicant now sees the scores.")
    officer = pages.open()
    log_in(officer, staff2)
    press(officer, nav(officer, "Permits"))
    press(officer, officer.get_by_role("link", name=t("Passed curation: permit decision")))
    card = main(officer).locator("article", has_text=PRODUCT)
    expect(card).to_contain_text("AKD")
    press(officer, card.get_by_role("button", name=t("Open permit case")))
    expect_message(
        officer, "Permit case opened. The vendor can now upload the documents of the checklist."
    )
    shot(officer, "staff opened the permit case")

    # The applicant uploads every document of the AKD checklist from her phone.
    phone.reload()
    press(phone, nav(phone, "My permits"))
    press(phone, main(phone).get_by_role("link", name=t("Open")))
    items = main(phone).locator("ol.checklist > li")
    document = pdf_file(tmp_path / "documents")
    for index in range(items.count()):
        item = items.nth(index)
        field(item, "PDF, or a JPEG/PNG scan").set_input_files(document)
        press(phone, item.get_by_role("button", name=t("Upload"), exact=True))
    expect(main(phone).locator("ol.checklist .doc-pending")).to_have_count(items.count())
    shot(phone, "applicant uploaded the permit documents")
    assert fits_phone(phone)

    # The officer verifies each document, then records the steps at Kemenkes.
    officer.reload()
    verify = (
        main(officer).locator("ol.checklist").get_by_role("button", name=t("Verify"), exact=True)
    )
    while verify.count():
        press(officer, verify.first)
    expect(main(officer).locator("ol.checklist .doc-verified")).to_have_count(items.count())
    form = officer.locator("#action-submit")
    field(form, "Kemenkes submission reference").fill("REGALKES-2026-000731")
    field(form, "Submitted on").fill(today.isoformat())
    press(officer, form.get_by_role("button"))
    expect_message(officer, "Recorded as submitted to Kemenkes.")
    press(officer, officer.locator("#action-start_review").get_by_role("button"))
    expect_message(officer, "Recorded.")
    form = officer.locator("#action-issue")
    field(form, "Permit number").fill("KEMENKES RI AKD 21603020731")
    field(form, "Issued on").fill(today.isoformat())
    field(form, "Valid until").fill((today + datetime.timedelta(days=5 * 365 - 10)).isoformat())
    press(officer, form.get_by_role("button"))
    expect_message(officer, "Permit recorded. The application now waits for approval.")
    shot(officer, "staff recorded the issued permit")
    assert PermitCase.objects.get(application=application).status == PermitCase.Status.ISSUED

    # The approver, who took no part so far, approves it.
    chief = pages.open()
    log_in(chief, approver)
    press(chief, main(chief).get_by_role("link", name=PRODUCT))
    field(main(chief), "Approval note").fill("Layak masuk katalog.")
    shot(chief, "approver reviews")
    press(chief, button(chief, "Approve and issue the certificate"))
    certificate = Certificate.objects.get(application=application)
    expect(chief.locator("ul.messages")).to_contain_text(certificate.number)
    shot(chief, "approver approved")

    # Anyone finds the product in the catalogue on a phone and verifies its certificate.
    public = pages.open(phone=True)
    public.goto("/catalogue/")
    field(main(public), "Product or vendor").fill("masker medis")
    press(public, main(public).get_by_role("button", name=t("Search"), exact=True))
    result = main(public).locator("li.listing-card", has_text=PRODUCT)
    expect(result).to_contain_text(certificate.number)
    expect(result).to_contain_text("Rp 45.000")
    shot(public, "public finds the product")
    assert fits_phone(public)
    press(public, result.get_by_role("link", name=PRODUCT))
    expect(main(public)).to_contain_text("KEMENKES RI AKD 21603020731")
    press(public, main(public).get_by_role("link", name=certificate.number).first)
    expect(main(public).get_by_role("heading", level=1)).to_have_text(
        t("Genuine certificate — valid")
    )
    expect(main(public)).to_contain_text("CV Sinar Jahit Bandung")
    shot(public, "public verifies the certificate")
    assert fits_phone(public)
    expect(public.locator("html")).to_have_attribute("lang", "id")
