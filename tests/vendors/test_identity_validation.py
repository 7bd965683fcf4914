"""Indonesian identity numbers, contact details and business scale, as an applicant types them."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from regions.models import Regency
from tests import factories
from vendors import identity
from vendors.forms import VendorForm
from vendors.models import Vendor
from vendors.scale import MILIAR, BusinessScale, business_scale

# --- NIB ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("9120001234561", "9120001234561"),
        ("9120 0012 3456 1", "9120001234561"),
        ("9120.0012.3456.1", "9120001234561"),
        (" 9120001234561 ", "9120001234561"),
        ("912-000-123-456-1", "9120001234561"),
    ],
)
def test_nib_with_spaces_or_dots_is_accepted_as_13_digits(typed, stored):
    assert identity.normalize_nib(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param("912000123456", id="12-digits"),
        pytest.param("91200012345612", id="14-digits"),
        pytest.param("9120OO1234561", id="letter-o"),
        pytest.param("NIB9120001234", id="prefix"),
        pytest.param("", id="empty"),
        pytest.param(
            "\u0669\u0661\u0662\u0660\u0660\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0661",
            id="arabic-indic-digits",
        ),
        pytest.param(
            "\uff19\uff11\uff12\uff10\uff10\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff11",
            id="full-width-digits",
        ),
    ],
)
def test_nib_of_wrong_length_or_with_letters_is_refused(typed):
    with pytest.raises(ValidationError) as caught:
        identity.normalize_nib(typed)
    assert caught.value.code == "nib"


# --- NPWP --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("01.234.567.4-123.000", "012345674123000"),
        ("012345674123000", "012345674123000"),
        ("01 234 567 4 123 000", "012345674123000"),
        (factories.VALID_NPWP_16, factories.VALID_NPWP_16),  # 16 digits, NIK-based (2024)
    ],
)
def test_npwp_in_old_or_new_style_is_stored_as_digits(typed, stored):
    assert identity.normalize_npwp(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "01.234.567.5-123.000",  # check digit 5 instead of 4
        "01.234.567.4-123.00",  # 14 digits
        "1234567890123456",  # 16 digits that are no NIK
        "NPWP-01234567",
        "",
    ],
)
def test_npwp_with_bad_check_digit_or_shape_is_refused(typed):
    with pytest.raises(ValidationError) as caught:
        identity.normalize_npwp(typed)
    assert caught.value.code == "npwp"


# --- NIK ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        (factories.VALID_NIK, factories.VALID_NIK),  # man born 15-08-1985, Kota Bandung
        (factories.VALID_NIK_2, factories.VALID_NIK_2),  # woman: day + 40
        ("3273 0115 0885 0001", factories.VALID_NIK),
        ("3273.0115.0885.0001", factories.VALID_NIK),
    ],
)
def test_valid_nik_is_stored_as_16_digits(typed, stored):
    assert identity.normalize_nik(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param("9973011508850001", id="unknown-province"),
        pytest.param("3273013208850001", id="day-32"),
        pytest.param("3273011513850001", id="month-13"),
        pytest.param("3273017208850001", id="woman-day-32"),
        pytest.param("327301150885000", id="15-digits"),
        pytest.param("32730115088500011", id="17-digits"),
        pytest.param("3273O11508850001", id="letter-o"),
    ],
)
def test_nik_with_bad_place_code_date_or_length_is_refused(typed):
    with pytest.raises(ValidationError) as caught:
        identity.normalize_nik(typed)
    assert caught.value.code == "nik"


# --- phone and postal code ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["0812-3456-0001", "0812 3456 0001", "+62 812-3456-0001", "62812 3456 0001", "081234560001"],
)
def test_mobile_number_is_stored_in_international_form(typed):
    assert identity.normalize_phone(typed) == "+6281234560001"


def test_landline_with_area_code_is_accepted():
    assert identity.normalize_phone("(022) 7301234") == "+62227301234"


@pytest.mark.parametrize("typed", ["12345", "not a phone", "0812", "+1 202", "", "0000000000000"])
def test_garbage_phone_number_is_refused(typed):
    with pytest.raises(ValidationError) as caught:
        identity.normalize_phone(typed)
    assert caught.value.code == "phone"


@pytest.mark.parametrize(("typed", "stored"), [("40214", "40214"), (" 60293 ", "60293")])
def test_five_digit_postal_code_is_accepted(typed, stored):
    assert identity.normalize_postal_code(typed) == stored


@pytest.mark.parametrize(
    "typed", ["4021", "402145", "04021", "4O214", "40 214", "", "4\u0660\u0662\u0661\u0664"]
)
def test_postal_code_not_of_five_digits_is_refused(typed):
    with pytest.raises(ValidationError) as caught:
        identity.normalize_postal_code(typed)
    assert caught.value.code == "postal_code"


# --- business scale (PP 7/2021) ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("capital", "sales", "scale"),
    [
        (1 * MILIAR, None, BusinessScale.MICRO),
        (1 * MILIAR + 1, None, BusinessScale.SMALL),
        (5 * MILIAR, None, BusinessScale.SMALL),
        (5 * MILIAR + 1, None, BusinessScale.MEDIUM),
        (10 * MILIAR, None, BusinessScale.MEDIUM),
        (10 * MILIAR + 1, None, None),
        (None, 2 * MILIAR, BusinessScale.MICRO),
        (None, 2 * MILIAR + 1, BusinessScale.SMALL),
        (None, 15 * MILIAR, BusinessScale.SMALL),
        (None, 15 * MILIAR + 1, BusinessScale.MEDIUM),
        (None, 50 * MILIAR, BusinessScale.MEDIUM),
        (None, 50 * MILIAR + 1, None),
        (0, 0, BusinessScale.MICRO),
        (None, None, None),
    ],
)
def test_scale_boundaries_follow_pp_7_2021(capital, sales, scale):
    assert business_scale(capital=capital, yearly_sales=sales) == scale


def test_when_both_figures_are_known_the_larger_scale_wins():
    assert business_scale(capital=100_000_000, yearly_sales=3 * MILIAR) == BusinessScale.SMALL
    assert business_scale(capital=6 * MILIAR, yearly_sales=1 * MILIAR) == BusinessScale.MEDIUM
    assert business_scale(capital=1 * MILIAR, yearly_sales=60 * MILIAR) is None


# --- through the vendor form -------------------------------------------------------------------


def form_data(**overrides) -> dict:
    regency = Regency.objects.get(code="3273")
    data = {
        "legal_name": "CV Sinar Jahit Mandiri",
        "trading_name": "Sinar Jahit",
        "nib": "9120 0012 3456 1",
        "npwp": "01.234.567.4-123.000",
        "owner_name": "Siti Rahayu",
        "owner_nik": "3273.0115.0885.0001",
        "phone": "0812-3456-0001",
        "email": "halo@sinarjahit.example",
        "address": "Jl. Cigondewah Kaler No. 12",
        "province": regency.province_id,
        "regency": regency.pk,
        "postal_code": "40214",
        "capital_rupiah": "350000000",
        "yearly_sales_rupiah": "1400000000",
        "year_founded": "2014",
        "workforce": "18",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_vendor_form_stores_identity_numbers_as_digits_only():
    form = VendorForm(data=form_data())

    assert form.is_valid(), form.errors
    values = form.field_values()
    assert values["nib"] == "9120001234561"
    assert values["npwp"] == "012345674123000"
    assert values["owner_nik"] == "3273011508850001"
    assert values["phone"] == "+6281234560001"
    assert values["postal_code"] == "40214"
    assert values["business_scale"] == BusinessScale.MICRO


@pytest.mark.django_db
def test_applicant_registers_a_business_with_formatted_numbers(client):
    owner = factories.applicant()
    client.force_login(owner)

    response = client.post(reverse("vendors:create"), form_data())

    assert response.status_code == 302, response.context["form"].errors
    vendor = Vendor.objects.get(owners=owner)
    assert (vendor.nib, vendor.npwp, vendor.owner_nik, vendor.phone) == (
        "9120001234561",
        "012345674123000",
        "3273011508850001",
        "+6281234560001",
    )
    assert vendor.business_scale == BusinessScale.MICRO
    assert response["Location"] == reverse("vendors:detail", args=[vendor.pk])


@pytest.mark.django_db
def test_vendor_form_accepts_the_16_digit_npwp():
    form = VendorForm(data=form_data(npwp="3273 0115 0885 0001"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["npwp"] == "3273011508850001"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "typed"),
    [
        ("nib", "912000123456"),
        ("nib", "9120-ABC-34561"),
        ("npwp", "01.234.567.5-123.000"),
        ("owner_nik", "9973011508850001"),
        ("owner_nik", "3273013208850001"),
        ("phone", "garbage"),
        ("postal_code", "4021"),
    ],
)
def test_vendor_form_shows_the_error_on_the_field_typed_wrong(field, typed):
    form = VendorForm(data=form_data(**{field: typed}))
    assert not form.is_valid()
    assert list(form.errors) == [field]


@pytest.mark.django_db
def test_vendor_form_keeps_what_was_typed_when_redisplayed(client):
    client.force_login(factories.applicant())

    response = client.post(reverse("vendors:create"), form_data(owner_nik="3273013208850001"))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="3273013208850001"' in html
    assert 'value="01.234.567.4-123.000"' in html
    assert Vendor.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("capital", "sales", "scale"),
    [
        (1 * MILIAR, "", BusinessScale.MICRO),
        (1 * MILIAR + 1, "", BusinessScale.SMALL),
        ("", 50 * MILIAR, BusinessScale.MEDIUM),
    ],
)
def test_vendor_form_derives_the_scale_at_the_boundaries(capital, sales, scale):
    form = VendorForm(data=form_data(capital_rupiah=capital, yearly_sales_rupiah=sales))
    assert form.is_valid(), form.errors
    assert form.field_values()["business_scale"] == scale


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("capital", "sales"),
    [("", 50 * MILIAR + 1), (10 * MILIAR + 1, ""), (100_000_000, 75 * MILIAR)],
)
def test_business_above_menengah_is_told_it_is_not_eligible(capital, sales):
    form = VendorForm(data=form_data(capital_rupiah=capital, yearly_sales_rupiah=sales))

    assert not form.is_valid()
    assert form.non_field_errors().as_data()[0].code == "not_umkm"


@pytest.mark.django_db
def test_draft_may_leave_identity_fields_empty():
    form = VendorForm(
        data={"legal_name": "UD Draf", "capital_rupiah": "", "yearly_sales_rupiah": ""}
    )
    assert form.is_valid(), form.errors
    values = form.field_values()
    assert values["nib"] == values["npwp"] == values["owner_nik"] == values["phone"] == ""
    assert values["business_scale"] == ""


@pytest.mark.django_db
def test_regency_outside_the_chosen_province_is_refused():
    surabaya = Regency.objects.get(code="3578")
    form = VendorForm(data=form_data(regency=surabaya.pk))  # province stays Jawa Barat
    assert not form.is_valid()
    assert "regency" in form.errors
