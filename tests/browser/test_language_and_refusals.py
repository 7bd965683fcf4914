"""The language menu in the header, and refused actions that say why: a submission refused by
the server, an approval the four-eyes rule forbids, and a page the role may not open."""

import pytest

from accounts.models import User
from curation import services as curation_services
from curation.models import Application
from tests import factories
from tests.browser.support import (
    button,
    expect,
    field,
    log_in,
    main,
    messages,
    press,
    t,
)
from tests.certification.permit_builders import with_role
from tests.curation import builders

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def choose_language(page, code: str, current: str) -> None:
    menu = page.locator("header").get_by_label(t("Language", current), exact=True)
    with page.expect_navigation():
        menu.select_option(code)


def heading(page):
    return main(page).get_by_role("heading", level=1)


def test_the_language_menu_switches_to_english_and_back_and_is_remembered(pages, shot):
    owner = factories.applicant(language="id")
    page = pages.open(phone=True)
    page.goto("/accounts/login/")
    expect(heading(page)).to_have_text(t("Log in", "id"))
    shot(page, "login in Indonesian")

    choose_language(page, "en", current="id")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(heading(page)).to_have_text("Log in")
    shot(page, "login in English")

    log_in(page, owner, language="en")
    expect(heading(page)).to_have_text("My business")
    shot(page, "portal in English")

    choose_language(page, "id", current="en")
    expect(heading(page)).to_have_text(t("My business", "id"))
    expect(page.locator("html")).to_have_attribute("lang", "id")
    assert User.objects.get(pk=owner.pk).language == "id"
    choose_language(page, "en", current="id")
    expect(heading(page)).to_have_text("My business")
    shot(page, "portal in English again")
    assert User.objects.get(pk=owner.pk).language == "en"


def test_submitting_with_too_few_photos_is_refused_with_the_reason(pages, shot):
    programme = factories.programme()
    vendor, product = factories.verified_vendor_with_product(photos=2)
    owner = vendor.owners.get()
    application = curation_services.create_application(
        vendor=vendor, product=product, programme=programme, by=owner
    )
    reason = t("Add at least %(n)s photos of the product (now %(count)s).", n=3, count=2)
    page = pages.open(phone=True, user=owner)
    page.goto(f"/applications/{application.pk}/")

    # The page says beforehand what is missing, and the button says it will not work…
    expect(main(page).locator("ul.reasons")).to_contain_text(reason)
    submit = button(page, "Submit to the programme")
    expect(submit).to_have_attribute("aria-disabled", "true")
    shot(page, "reasons shown before submitting")

    # …and pressing it anyway is refused by the server with the same reason.
    press(page, submit, force=True)
    assert reason in messages(page)
    expect(page.locator("ul.messages .error").first).to_be_visible()
    shot(page, "submission refused with the reason")
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT


def test_an_approver_who_screened_the_application_sees_why_they_cannot_approve(pages, shot):
    case = builders.awaiting_approval()
    screener = with_role(case.officer, "approver")  # requested the sample, now also an approver
    page = pages.open(user=screener)
    page.goto(f"/approvals/{case.application.pk}/")
    reason = t("You screened this application; another official must decide (four-eyes rule).")

    expect(main(page).get_by_role("note")).to_contain_text(reason)
    approve = button(page, "Approve and issue the certificate")
    expect(approve).to_be_disabled()
    described_by = approve.get_attribute("aria-describedby")
    expect(page.locator(f"#{described_by}")).to_contain_text(reason)
    shot(page, "approval refused under the four-eyes rule")
    case.application.refresh_from_db()
    assert case.application.status == Application.Status.AWAITING_APPROVAL


def test_an_applicant_who_opens_a_staff_page_is_told_why_not(pages, shot):
    page = pages.open(phone=True, user=factories.applicant())
    response = page.goto("/staff/applications/")
    assert response.status == 403
    expect(heading(page)).to_have_text(t("This action is not allowed"))
    expect(main(page)).to_contain_text(t("Only ministry officers may see the application queue."))
    shot(page, "staff page refused to an applicant")


def test_a_wrong_password_is_refused_and_the_username_kept(pages, shot):
    user = factories.applicant()
    page = pages.open(phone=True)
    page.goto("/accounts/login/")
    field(main(page), "Username or e-mail").fill(user.username)
    field(main(page), "Password").fill("not-the-password")
    press(page, button(page, "Log in"))
    expect(main(page).get_by_role("alert")).to_have_text(
        t("The username/e-mail or password is wrong. Try again.")
    )
    expect(field(main(page), "Username or e-mail")).to_have_value(user.username)
    shot(page, "wrong password refused")
