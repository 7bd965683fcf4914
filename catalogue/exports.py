"""Staff exports of listings and applications, as CSV (streamed) and XLSX (write-only workbook).

Both formats are fed by the same row generators, which walk ``values_list`` rows with
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


# Querysets: rows are read as ``values_list`` tuples in the header's order. Model instances (one
# per row, with the joined ones) took about half of the CSV export's time and a good share of the
# XLSX export's; each format only needs the plain values.

_LISTING_COLUMNS = (
    "id",
    "status",
    "vendor_name",
    "province__name",
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

_APPLICATION_COLUMNS = (
    "pk",
    "programme__name",
    "vendor__trading_name",
    "vendor__legal_name",
    "vendor__province__name",
    "product__name",
    "product__category",
    "status",
    "submitted_at",
    "status_changed_at",
)


def listings_queryset() -> QuerySet[Listing]:
    return Listing.objects.order_by("pk")


def applications_queryset(
    *, status: str | None = None, province: str | None = None
) -> QuerySet[Application]:
    rows = Application.objects.order_by("pk")
    if status:
        rows = rows.filter(status=status)
    if province:
        rows = rows.filter(vendor__province_id=province)
    return rows


# Rows (plain Python values; each format renders them)


def listing_rows(rows: QuerySet[Listing] | None = None) -> Iterator[list]:
    rows = listings_queryset() if rows is None else rows
    for row in rows.values_list(*_LISTING_COLUMNS).iterator(chunk_size=CHUNK_SIZE):
        values = list(row)
        values[-1] = _local(values[-1])
        yield values


def application_rows(rows: QuerySet[Application]) -> Iterator[list]:
    for (
        pk,
        programme,
        trading_name,
        legal_name,
        province,
        product,
        category,
        status,
        submitted_at,
        status_changed_at,
    ) in rows.values_list(*_APPLICATION_COLUMNS).iterator(chunk_size=CHUNK_SIZE):
        yield [
            # Application.reference, without an instance per row (the export tests compare them).
            f"KUR-{pk:06d}",
            programme,
            trading_name or legal_name,  # Vendor.display_name
            province or "",
            product,
            category,
            status,
            _local(submitted_at),
            _local(status_changed_at),
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
