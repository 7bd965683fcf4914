"""Accessibility basics on the main pages, measured in the browser with the real stylesheet:
labelled form fields, headings in order, a visible focus, and text contrast of at least 4.5:1.

The pages: login and sign-up, the applicant's portal and application (on a phone), the staff
screening queue, the public catalogue and certificate page (on a phone), and a curator's
scoring form."""

from dataclasses import dataclass

import pytest

from curation import services as curation_services
from tests import factories
from tests.browser import a11y
from tests.catalogue.helpers import live_listing
from tests.curation import builders

pytestmark = pytest.mark.browser
on_the_site = pytest.mark.django_db(transaction=True, serialized_rollback=True)

STYLESHEET_LOADED = """() => Array.from(document.styleSheets).some(
  (sheet) => (sheet.href || "").endsWith("/static/css/kurasi.css") && sheet.cssRules.length > 0
)"""


@dataclass
class Visit:
    name: str
    path: str
    user: object = None
    phone: bool = False


@pytest.fixture
def visits():
    listed = live_listing()
    scoring = builders.in_curation()
    waiting = builders.submitted(programme=scoring.programme)
    owner = scoring.owner
    # A draft that cannot be submitted yet: the reasons, and the button marked aria-disabled.
    vendor, product = factories.verified_vendor_with_product(photos=2)
    draft = curation_services.create_application(
        vendor=vendor, product=product, programme=scoring.programme, by=vendor.owners.get()
    )
    return [
        Visit("login", "/accounts/login/", phone=True),
        Visit("sign-up", "/accounts/signup/", phone=True),
        Visit("portal", "/portal/", owner, phone=True),
        Visit("business form", "/portal/vendors/new/", factories.applicant(), phone=True),
        Visit("application", f"/applications/{scoring.application.pk}/", owner, phone=True),
        Visit("draft", f"/applications/{draft.pk}/", vendor.owners.get(), phone=True),
        Visit("screening queue", "/staff/applications/", waiting.officer),
        Visit("catalogue", "/catalogue/", phone=True),
        Visit("certificate", f"/verify/{listed.certificate.number}/", phone=True),
        Visit(
            "scoring form",
            f"/curator/applications/{scoring.application.pk}/",
            scoring.assignments[0].curator.user,
        ),
    ]


def tour(pages, visits):
    """Each page of ``visits`` loaded in a session of its person, with the stylesheet applied."""
    sessions = {}
    for visit in visits:
        key = (visit.user.pk if visit.user else None, visit.phone)
        if key not in sessions:
            sessions[key] = pages.open(phone=visit.phone, user=visit.user)
        page = sessions[key]
        response = page.goto(visit.path)
        assert response.status == 200, f"{visit.name}: {visit.path} answered {response.status}"
        assert page.evaluate(STYLESHEET_LOADED), f"{visit.name}: kurasi.css did not load"
        yield visit, page


def report(problems: list[str]) -> str:
    return "\n" + "\n".join(problems)


@on_the_site
def test_every_form_field_has_a_label(pages, visits):
    problems = []
    for visit, page in tour(pages, visits):
        problems += [f"{visit.name}: {p}" for p in a11y.unlabelled_fields(page)]
    assert problems == [], report(problems)


@on_the_site
def test_headings_start_with_one_h1_and_skip_no_level(pages, visits):
    problems = []
    for visit, page in tour(pages, visits):
        problems += [f"{visit.name}: {p}" for p in a11y.heading_problems(page)]
    assert problems == [], report(problems)


@on_the_site
def test_keyboard_focus_is_visible_on_everything_tab_reaches(pages, visits):
    problems = []
    for visit, page in tour(pages, visits):
        reached, invisible = a11y.invisible_focus(page)
        assert reached >= 5, f"{visit.name}: Tab reached only {reached} elements"
        problems += [f"{visit.name}: {p}" for p in invisible]
    assert problems == [], report(problems)


@on_the_site
def test_text_contrast_of_the_base_theme_is_at_least_4_5_to_1(pages, visits, shot):
    problems = []
    for visit, page in tour(pages, visits):
        shot(page, visit.name)
        problems += [f"{visit.name}: {p}" for p in a11y.low_contrast(page)]
    assert problems == [], report(problems)


FLAWED = """<!doctype html><html lang="en"><head><style>
  .faint { color: #999; }
  button.bare:focus { outline: none; }
</style></head><body>
<h1>Page</h1><h3>Skipped a level</h3><h1>Second page title</h1>
<p class="faint">hard to read</p><p>easy to read</p>
<label for="named">Named</label><input id="named"><input name="nameless">
<button class="bare">No ring</button><a href="#top">Link</a>
</body></html>"""


def test_the_checks_find_the_flaws_they_look_for(browser):
    page = browser.new_page()
    try:
        page.set_content(FLAWED)
        assert a11y.unlabelled_fields(page) == ["input[name=nameless][type=text] has no label"]
        assert a11y.heading_problems(page) == [
            "2 h1 headings (want exactly one): ['Page', 'Second page title']",
            "h1 is followed by h3 'Skipped a level' (a level is skipped)",
        ]
        assert a11y.low_contrast(page) == [
            'p.faint "hard to read": 2.85:1 (rgb(153, 153, 153) on rgb(255, 255, 255))'
        ]
        assert a11y.invisible_focus(page) == (
            4,
            ['button.bare "No ring": looks the same focused and unfocused'],
        )
    finally:
        page.close()
