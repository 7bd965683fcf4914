"""Staff exports of listings and applications, as CSV (streamed) and XLSX (write-only workbook).

Both formats are fed by the same row generators, which walk a ``select_related`` queryset with
``.iterator(chunk_size=2000)``: the number of queries is constant and the memory does not grow
with the number of rows. CSV goes out as a ``StreamingHttpResponse`` with a UTF-8 byte-order mark
(so that Excel reads the rupiah and the province names right); XLSX is written row by row by
openpyxl's write-only workbook into a temporary file that is then streamed by ``FileResponse``.
"""

from __future__ import annotations

import csv
import datetime
import tempfile
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook

from catalogue.models import Listing
from curation.models import Application

CHUNK_SIZE = 2000
BOM = "\ufeff"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

LISTING_HEADER = [
    "id",
    "status",
    "vendor",
    "province",
    "product",
    "category",
    "unit",
    "price_rp",
    "price_includes_tax",
    "minimum_order",
    "capacity_per_month",
    "certificate_number",
    "certificate_valid_until",
    "permit_kind",
    "permit_number",
    "updated_at",
]

APPLICATION_HEADER = [
    "reference",
    "programme",
    "vendor",
    "province",
    "product",
    "category",
    "status",
    "submitted_at",
    "status_changed_at",
]


def _local(value: datetime.datetime | None) -> datetime.datetime | None:
    """Aware date-times in the site's time zone, without tzinfo (spreadsheets cannot hold it)."""
    if value is None:
        return None
    return timezone.localtime(value).replace(tzinfo=None, microsecond=0)


# Querysets

_LISTING_FIELDS = (
    "id",
    "status",
    "vendor_name",
    "province",
    "product_name",
    "category",
    "unit",
    "price",
    "price_includes_tax",
    "minimum_order",
    "capacity_per_month",
    "certificate_number",
    "certificate_valid_until",
    "permit_kind",
    "permit_number",
    "updated_at",
)


def listings_queryset() -> QuerySet[Listing]:
    return (
        Listing.objects.select_related("province")
        .only(*_LISTING_FIELDS, "province__name")
        .order_by("pk")
    )


def applications_queryset(
    *, status: str | None = None, province: str | None = None
) -> QuerySet[Application]:
    rows = Application.objects.select_related(
        "programme", "vendor", "vendor__province", "product"
    ).order_by("pk")
    if status:
        rows = rows.filter(status=status)
    if province:
        rows = rows.filter(vendor__province_id=province)
    return rows


# Rows (plain Python values; each format renders them)


def listing_rows(rows: QuerySet[Listing] | None = None) -> Iterator[list]:
    rows = listings_queryset() if rows is None else rows
    for listing in rows.iterator(chunk_size=CHUNK_SIZE):
        yield [
            listing.pk,
            listing.status,
            listing.vendor_name,
            listing.province.name,
            listing.product_name,
            listing.category,
            listing.unit,
            listing.price,
            listing.price_includes_tax,
            listing.minimum_order,
            listing.capacity_per_month,
            listing.certificate_number,
            listing.certificate_valid_until,
            listing.permit_kind,
            listing.permit_number,
            _local(listing.updated_at),
        ]


def application_rows(rows: QuerySet[Application]) -> Iterator[list]:
    for application in rows.iterator(chunk_size=CHUNK_SIZE):
        vendor = application.vendor
        yield [
            application.reference,
            application.programme.name,
            vendor.display_name,
            vendor.province.name if vendor.province_id else "",
            application.product.name,
            application.product.category,
            application.status,
            _local(application.submitted_at),
            _local(application.status_changed_at),
        ]


# Formats


class _Echo:
    """A file-like object whose write() hands the line back, for csv.writer."""

    def write(self, value: str) -> str:
        return value


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


def csv_lines(header: list[str], rows: Iterable[list]) -> Iterator[bytes]:
    writer = csv.writer(_Echo())
    yield (BOM + writer.writerow(header)).encode()
    for row in rows:
        yield writer.writerow([_csv_cell(v) for v in row]).encode()


def write_xlsx(header: list[str], rows: Iterable[list], target, *, title: str) -> None:
    """Write the rows to ``target`` (a path or binary file) with a write-only workbook."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title)
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(target)


def _filename(stem: str, extension: str) -> str:
    return f"{stem}-{timezone.localdate().isoformat()}.{extension}"


def csv_response(stem: str, header: list[str], rows: Iterable[list]) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        csv_lines(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(stem, "csv")}"'
    return response


def xlsx_response(stem: str, header: list[str], rows: Iterable[list]) -> FileResponse:
    # An unnamed temporary file: the OS removes it when FileResponse closes it after sending.
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (FileResponse closes it)
    write_xlsx(header, rows, handle, title=stem[:31])
    handle.seek(0)
    return FileResponse(
        handle, as_attachment=True, filename=_filename(stem, "xlsx"), content_type=XLSX_TYPE
    )
