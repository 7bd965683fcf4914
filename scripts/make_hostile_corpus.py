"""Generate the hostile upload corpus in tests/data/hostile/ (run from the repository root).

Every file is made here, from Pillow and hand-written bytes with fixed seeds, never downloaded:
decompression bombs (small files that declare huge dimensions), truncated and corrupt JPEG, PNG
and WebP, polyglots, SVG/HTML/PHP renamed to .jpg, animated images, CMYK and 16-bit images,
photos carrying EXIF/GPS/XMP and script in their comments, and PDFs for the permit documents.
``manifest.json`` says, for each file, what the product photo upload and the permit document
upload must do with it (``accepted`` or the code of the refusal) and which bytes of the upload
must not survive into what Kurasi stores. tests/security/test_hostile_uploads.py reads it.

Usage: ``.venv/bin/python scripts/make_hostile_corpus.py [--out DIR]``. The output is the same
on every run (PNG and WebP bytes may differ between zlib/libwebp versions, never the meaning).
"""

from __future__ import annotations

import argparse
import io
import json
import random
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, PngImagePlugin

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "tests" / "data" / "hostile"
BUDGET_BYTES = 2 * 1024 * 1024  # the folder is committed: keep it small

SCRIPT = b"<script>alert(1)</script>"
HTML = b"<!doctype html><html><body><img src=x onerror=alert(1)>" + SCRIPT + b"</body></html>"
# Bandung, as a phone would record it: degrees, minutes, seconds.
GPS_IFD = {1: "S", 2: (6.0, 54.0, 52.0), 3: "E", 4: (107.0, 36.0, 35.0), 18: "WGS-84"}
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf'
    b'-syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" '
    b'exif:GPSLatitude="6,54.87S" exif:GPSLongitude="107,36.58E"/></rdf:RDF></x:xmpmeta>'
)


@dataclass(frozen=True)
class Entry:
    name: str
    what: str
    build: Callable[[], bytes]
    photo: str  # "accepted" or the ValidationError code (or "empty": the form refuses it)
    document: str
    # Byte strings present in the upload that must be absent from every stored file.
    forbidden: tuple[bytes, ...] = ()
    # The upload carries EXIF GPS (checked on the input, so the test cannot pass vacuously).
    gps: bool = False
    # EXIF orientation 6: the stored photo is turned upright (width and height swap).
    rotated: bool = False


# --- building blocks ------------------------------------------------------------------------


def encode(img: Image.Image, fmt: str, **kwargs) -> bytes:
    buffer = io.BytesIO()
    img.save(buffer, format=fmt, **kwargs)
    return buffer.getvalue()


def noise(size: tuple[int, int], seed: int) -> Image.Image:
    """Random RGB pixels: JPEG cannot compress them, so the scan data is long and cuttable."""
    rng = random.Random(seed)
    return Image.frombytes("RGB", size, rng.randbytes(size[0] * size[1] * 3))


def picture(size=(120, 90)) -> Image.Image:
    """A plain picture with a distinct top-left corner, so orientation can be checked."""
    img = Image.new("RGB", size, (40, 120, 200))
    img.paste((230, 40, 40), (0, 0, size[0] // 3, size[1] // 3))
    return img


def png_chunk(kind: bytes, data: bytes, *, crc: int | None = None) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF if crc is None else crc
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def raw_png(
    width: int,
    height: int,
    *,
    bit_depth: int = 8,
    colour_type: int = 2,
    rows: bytes | None = None,
    idat: bytes | None = None,
    before_idat: tuple[bytes, ...] = (),
    ihdr_crc: int | None = None,
) -> bytes:
    """A PNG written by hand: any declared size, bit depth and chunk, valid or not."""
    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    if idat is None:
        idat = zlib.compress(rows if rows is not None else b"\x00" * 16, 9)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header, crc=ihdr_crc)
        + b"".join(before_idat)
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


def zeros_png(width: int, height: int, bit_depth: int, colour_type: int) -> bytes:
    """A real, fully decodable all-black PNG: filter byte plus zeroed samples per row."""
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[colour_type]
    row = 1 + (width * channels * bit_depth + 7) // 8
    compressor = zlib.compressobj(9)
    chunk_rows = max(1, (1 << 20) // row)
    parts = []
    remaining = height
    while remaining:
        n = min(chunk_rows, remaining)
        parts.append(compressor.compress(b"\x00" * row * n))
        remaining -= n
    parts.append(compressor.flush())
    return raw_png(
        width, height, bit_depth=bit_depth, colour_type=colour_type, idat=b"".join(parts)
    )


def gradient_rows(width: int, height: int, channels: int) -> bytes:
    """16-bit samples (big-endian) with a visible gradient, filter type 0 on every row."""
    out = bytearray()
    for y in range(height):
        out.append(0)
        for x in range(width):
            value = (x * 65535) // max(1, width - 1)
            for c in range(channels):
                sample = 65535 if c == 3 else (value if c != 1 else (y * 65535) // height)
                out += struct.pack(">H", sample)
    return bytes(out)


def jpeg_segment(marker: int, payload: bytes) -> bytes:
    return struct.pack(">BBH", 0xFF, marker, len(payload) + 2) + payload


def insert_after_soi(jpeg: bytes, *segments: bytes) -> bytes:
    assert jpeg[:2] == b"\xff\xd8"
    return jpeg[:2] + b"".join(segments) + jpeg[2:]


def with_sof_size(jpeg: bytes, width: int, height: int) -> bytes:
    """The same JPEG with its frame header claiming another size (the scan data is unchanged)."""
    for marker in (b"\xff\xc0", b"\xff\xc2"):
        at = jpeg.find(marker)
        if at != -1:
            patched = bytearray(jpeg)
            patched[at + 5 : at + 9] = struct.pack(">HH", height, width)
            return bytes(patched)
    raise ValueError("no SOF marker")


def phone_exif(*, orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "KurasiCam"  # Make
    exif[0x0110] = "Hostile Model <script>alert(1)</script>"  # Model
    exif[0x0131] = "Firmware 1.0"  # Software
    exif[0x0112] = orientation
    exif.get_ifd(0x8825).update(GPS_IFD)
    exif.get_ifd(0x8769)[0x9286] = b"ASCII\x00\x00\x00" + SCRIPT  # UserComment
    return exif


def xmp_segment() -> bytes:
    return jpeg_segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + XMP)


def zip_with_html() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo("index.html", date_time=(2020, 1, 1, 0, 0, 0))
        archive.writestr(info, HTML)
    return buffer.getvalue()


def minimal_pdf(body: bytes = b"") -> bytes:
    return (
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
        + body
        + b"trailer\n<< /Root 1 0 R >>\nstartxref\n0\n%%EOF\n"
    )


# --- the corpus -----------------------------------------------------------------------------


def _jpeg_exif_gps() -> bytes:
    data = encode(
        picture(), "JPEG", quality=85, exif=phone_exif(orientation=6), comment=b"COM " + SCRIPT
    )
    return insert_after_soi(data, xmp_segment())


def _png_exif_gps() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", SCRIPT.decode())
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    return encode(picture(), "PNG", exif=phone_exif(), pnginfo=info)


def _webp_exif_gps() -> bytes:
    return encode(picture(), "WEBP", quality=80, exif=phone_exif().tobytes(), xmp=XMP)


def _mpo() -> bytes:
    # Phones write a second (depth or preview) picture after the first: a "multi-picture" JPEG.
    return encode(
        picture(), "MPO", save_all=True, append_images=[Image.new("RGB", (60, 45), (0, 0, 0))]
    )


def _broken_exif() -> bytes:
    broken = b"Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08\x7f\xff" + b"\xff" * 24
    return insert_after_soi(encode(picture(), "JPEG"), jpeg_segment(0xE1, broken))


def _jpeg_zip_polyglot() -> bytes:
    # Valid JPEG first, ZIP after EOI: a ZIP reader finds its directory at the end.
    return encode(picture(), "JPEG") + zip_with_html()


def _jpeg_html_polyglot() -> bytes:
    data = encode(picture(), "JPEG", comment=HTML)
    return insert_after_soi(data, jpeg_segment(0xE0 + 15, HTML)) + HTML


def _png_html_polyglot() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("html", HTML.decode())
    return encode(picture(), "PNG", pnginfo=info) + HTML


def _truncated(data: bytes) -> bytes:
    return data[: len(data) * 6 // 10]


def _vp8_size(data: bytes, width: int, height: int) -> bytes:
    at = data.index(b"\x9d\x01\x2a")
    patched = bytearray(data)
    patched[at + 3 : at + 7] = struct.pack("<HH", width, height)
    return bytes(patched)


def _vp8l_size(data: bytes, width: int, height: int) -> bytes:
    at = data.index(b"VP8L") + 9  # after the chunk size and the 0x2f signature byte
    bits = int.from_bytes(data[at : at + 4], "little")
    bits = (bits & ~((1 << 28) - 1)) | (width - 1) | ((height - 1) << 14)
    patched = bytearray(data)
    patched[at : at + 4] = bits.to_bytes(4, "little")
    return bytes(patched)


def _text_chunk_bomb(kind: bytes) -> bytes:
    # 8 MB of zeros in ~8 KB: over Pillow's 1 MB limit for one decompressed text/ICC chunk.
    payload = zlib.compress(b"\x00" * (8 * 1024 * 1024), 9)
    data = b"Comment\x00\x00" + payload if kind == b"zTXt" else b"bomb\x00\x00" + payload
    return raw_png(4, 4, rows=b"\x00" * 13 * 4, before_idat=(png_chunk(kind, data),))


def _corrupt_sof() -> bytes:
    data = bytearray(encode(picture(), "JPEG"))
    at = data.find(b"\xff\xc0")
    data[at + 2 : at + 4] = b"\x00\x03"  # a frame header too short to hold its components
    return bytes(data)


def _bad_idat() -> bytes:
    return raw_png(40, 30, idat=random.Random(7).randbytes(200))


def _frames(n: int = 3) -> list[Image.Image]:
    return [Image.new("RGB", (40, 40), (80 * i, 40, 200 - 60 * i)) for i in range(n)]


def _animated(fmt: str) -> bytes:
    first, *rest = _frames()
    return encode(first, fmt, save_all=True, append_images=rest, duration=100, loop=0)


def corpus() -> list[Entry]:
    noisy_jpeg = encode(noise((240, 180), seed=1), "JPEG", quality=90)
    noisy_png = encode(noise((120, 90), seed=2), "PNG")
    noisy_webp = encode(noise((160, 120), seed=3), "WEBP", quality=90)
    small_jpeg = encode(picture(), "JPEG")
    small_webp = encode(picture(), "WEBP", quality=80)
    small_webp_lossless = encode(picture(), "WEBP", lossless=True)
    pdf = minimal_pdf()
    refused_doc = "bad_type"
    return [
        # Accepted, re-encoded without metadata
        Entry("ok_baseline.jpg", "a plain JPEG", lambda: small_jpeg, "accepted", "accepted"),
        Entry(
            "ok_alpha.png",
            "RGBA PNG with transparency",
            lambda: encode(Image.new("RGBA", (50, 40), (10, 200, 10, 90)), "PNG"),
            "accepted",
            "accepted",
        ),
        Entry(
            "ok_lossless.webp", "lossless WebP", lambda: small_webp_lossless, "accepted", "accepted"
        ),
        Entry(
            "exif_gps_rotated.jpg",
            "phone JPEG: EXIF with GPS, orientation 6, script in Model, UserComment, COM and XMP",
            _jpeg_exif_gps,
            "accepted",
            "accepted",
            forbidden=(b"<script", b"KurasiCam", b"GPSLatitude", b"Exif\x00\x00"),
            gps=True,
            rotated=True,
        ),
        Entry(
            "exif_gps.png",
            "PNG with an eXIf chunk (GPS), script in tEXt and XMP in iTXt",
            _png_exif_gps,
            "accepted",
            "accepted",
            forbidden=(b"<script", b"KurasiCam", b"GPSLatitude"),
            gps=True,
        ),
        Entry(
            "exif_gps.webp",
            "WebP with EXIF (GPS) and XMP chunks",
            _webp_exif_gps,
            "accepted",
            "accepted",
            forbidden=(b"<script", b"KurasiCam", b"GPSLatitude"),
            gps=True,
        ),
        Entry(
            "cmyk.jpg",
            "CMYK JPEG (print workflow export)",
            lambda: encode(picture().convert("CMYK"), "JPEG"),
            "accepted",
            "accepted",
        ),
        Entry(
            "gray16.png",
            "16-bit greyscale PNG",
            lambda: raw_png(64, 48, bit_depth=16, colour_type=0, rows=gradient_rows(64, 48, 1)),
            "accepted",
            "accepted",
        ),
        Entry(
            "rgb48.png",
            "16-bit per channel RGB PNG",
            lambda: raw_png(64, 48, bit_depth=16, colour_type=2, rows=gradient_rows(64, 48, 3)),
            "accepted",
            "accepted",
        ),
        Entry(
            "rgba64.png",
            "16-bit per channel RGBA PNG",
            lambda: raw_png(64, 48, bit_depth=16, colour_type=6, rows=gradient_rows(64, 48, 4)),
            "accepted",
            "accepted",
        ),
        Entry(
            "gray_alpha.png",
            "greyscale with alpha (LA)",
            lambda: encode(Image.new("LA", (50, 40), (120, 128)), "PNG"),
            "accepted",
            "accepted",
        ),
        Entry(
            "palette_transparency.png",
            "palette PNG with a transparent colour (tRNS)",
            lambda: encode(picture().convert("P"), "PNG", transparency=0),
            "accepted",
            "accepted",
        ),
        Entry(
            "bilevel.png",
            "1-bit black and white PNG",
            lambda: encode(picture().convert("1"), "PNG"),
            "accepted",
            "accepted",
        ),
        Entry(
            "png_named_as.jpg",
            "a PNG with a .jpg name: decoded by content, not by name",
            lambda: encode(picture(), "PNG"),
            "accepted",
            "accepted",
        ),
        Entry(
            "mpo_two_pictures.jpg",
            "multi-picture JPEG (MPO) as phones write with a depth or preview picture",
            _mpo,
            "accepted",
            "accepted",
        ),
        Entry(
            "broken_exif.jpg",
            "JPEG whose EXIF block is garbage",
            _broken_exif,
            "accepted",
            "accepted",
            forbidden=(b"Exif\x00\x00",),
        ),
        Entry(
            "tiny_1x1.png",
            "a 1×1 pixel PNG",
            lambda: encode(picture((1, 1)), "PNG"),
            "accepted",
            "accepted",
        ),
        Entry(
            "limit_edge_6000x6000.png",
            "1-bit PNG of 36 megapixels in 5 KB: just under the pixel limit, decoded",
            lambda: zeros_png(6000, 6000, 1, 0),
            "accepted",
            "accepted",
        ),
        # Polyglots: valid images that are also something else; the re-encoding drops the rest
        Entry(
            "polyglot_jpeg_zip.jpg",
            "JPEG followed by a ZIP archive holding HTML (GIFAR-style)",
            _jpeg_zip_polyglot,
            "accepted",
            "accepted",
            forbidden=(b"PK\x03\x04", b"<script", b"index.html"),
        ),
        Entry(
            "polyglot_jpeg_html.jpg",
            "JPEG with HTML in a COM and an APP15 segment and after the end marker",
            _jpeg_html_polyglot,
            "accepted",
            "accepted",
            forbidden=(b"<script", b"onerror", b"<html"),
        ),
        Entry(
            "polyglot_png_html.png",
            "PNG with HTML in a tEXt chunk and after IEND",
            _png_html_polyglot,
            "accepted",
            "accepted",
            forbidden=(b"<script", b"onerror", b"<html"),
        ),
        # Decompression bombs: small files declaring huge dimensions
        Entry(
            "bomb_png_100000x100000.png",
            "PNG header claiming 10 gigapixels, 70 bytes of data",
            lambda: raw_png(100_000, 100_000),
            "too_many_pixels",
            "too_many_pixels",
        ),
        Entry(
            "bomb_png_zlib_20000x20000.png",
            "real zlib bomb: 400-megapixel 1-bit PNG (50 MB of pixels) in ~50 KB",
            lambda: zeros_png(20_000, 20_000, 1, 0),
            "too_many_pixels",
            "too_many_pixels",
        ),
        Entry(
            "bomb_png_8000x8000.png",
            "64-megapixel PNG in 8 KB: under Pillow's own bomb limit, over Kurasi's",
            lambda: zeros_png(8000, 8000, 1, 0),
            "too_many_pixels",
            "too_many_pixels",
        ),
        Entry(
            "bomb_jpeg_65000x65000.jpg",
            "JPEG frame header claiming 65000×65000",
            lambda: with_sof_size(small_jpeg, 65000, 65000),
            "too_many_pixels",
            "too_many_pixels",
        ),
        Entry(
            "bomb_jpeg_10000x10000.jpg",
            "JPEG claiming 100 megapixels (Pillow only warns at this size)",
            lambda: with_sof_size(small_jpeg, 10000, 10000),
            "too_many_pixels",
            "too_many_pixels",
        ),
        Entry(
            "bomb_webp_16383x16383.webp",
            "lossy WebP frame header claiming 16383×16383",
            lambda: _vp8_size(small_webp, 16383, 16383),
            "too_many_pixels",
            "too_many_pixels",
        ),
        Entry(
            "bomb_webp_lossless_16383x16383.webp",
            "lossless WebP header claiming 16383×16383",
            lambda: _vp8l_size(small_webp_lossless, 16383, 16383),
            "too_many_pixels",
            "too_many_pixels",
        ),
        Entry(
            "strip_30000x1.png",
            "a 30000×1 pixel strip: few pixels, absurd width",
            lambda: zeros_png(30_000, 1, 8, 2),
            "too_many_pixels",
            "too_many_pixels",
        ),
        Entry(
            "ztxt_bomb.png",
            "PNG whose compressed text chunk inflates to 8 MB",
            lambda: _text_chunk_bomb(b"zTXt"),
            "corrupt",
            "corrupt",
        ),
        Entry(
            "iccp_bomb.png",
            "PNG whose ICC profile chunk inflates to 8 MB",
            lambda: _text_chunk_bomb(b"iCCP"),
            "corrupt",
            "corrupt",
        ),
        # Animated
        Entry(
            "animated.png", "animated PNG (APNG)", lambda: _animated("PNG"), "animated", "animated"
        ),
        Entry("animated.webp", "animated WebP", lambda: _animated("WEBP"), "animated", "animated"),
        Entry(
            "animated.gif",
            "animated GIF: GIF is not an accepted format at all",
            lambda: _animated("GIF"),
            "not_image",
            refused_doc,
        ),
        # Truncated and corrupt
        Entry(
            "truncated.jpg", "JPEG cut at 60%", lambda: _truncated(noisy_jpeg), "corrupt", "corrupt"
        ),
        Entry(
            "truncated.png", "PNG cut at 60%", lambda: _truncated(noisy_png), "corrupt", "corrupt"
        ),
        Entry(
            "truncated.webp",
            "WebP cut at 60%",
            lambda: _truncated(noisy_webp),
            "corrupt",
            "corrupt",
        ),
        Entry(
            "jpeg_header_only.jpg",
            "nothing but a JPEG start marker",
            lambda: b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
            "corrupt",
            "corrupt",
        ),
        Entry(
            "corrupt_sof.jpg",
            "JPEG whose frame header length is wrong",
            _corrupt_sof,
            "corrupt",
            "corrupt",
        ),
        Entry(
            "bad_crc_ihdr.png",
            "PNG whose header checksum is wrong",
            lambda: raw_png(40, 30, ihdr_crc=0xDEADBEEF),
            "corrupt",
            "corrupt",
        ),
        Entry(
            "bad_zlib_idat.png",
            "PNG whose pixel data is not zlib",
            _bad_idat,
            "corrupt",
            "corrupt",
        ),
        # Not images at all, named .jpg
        Entry(
            "svg_script.jpg",
            "SVG with a script, renamed .jpg",
            lambda: (
                b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">' + SCRIPT + b"</svg>"
            ),
            "not_image",
            refused_doc,
        ),
        Entry("html_script.jpg", "HTML page renamed .jpg", lambda: HTML, "not_image", refused_doc),
        Entry(
            "php_shell.jpg",
            "PHP web shell renamed .jpg",
            lambda: b"<?php system($_GET['c']); ?>\n",
            "not_image",
            refused_doc,
        ),
        Entry(
            "gif_js_polyglot.jpg",
            "a GIF header that is also JavaScript (GIF89a=...)",
            lambda: b"GIF89a/*\x01\x00\x01\x00\x00\x00\x00*/=alert(1);//;",
            "not_image",
            refused_doc,
        ),
        Entry(
            "garbage.jpg",
            "random bytes",
            lambda: random.Random(11).randbytes(4096),
            "not_image",
            refused_doc,
        ),
        Entry(
            "tiff_renamed.jpg",
            "TIFF image renamed .jpg",
            lambda: encode(picture(), "TIFF"),
            "not_image",
            refused_doc,
        ),
        Entry(
            "bmp_renamed.jpg",
            "BMP image renamed .jpg",
            lambda: encode(picture(), "BMP"),
            "not_image",
            refused_doc,
        ),
        Entry("empty.jpg", "zero bytes", lambda: b"", "empty", "empty"),
        # PDFs: permit documents are stored as sent (and only ever downloaded), never photos
        Entry("document_ok.pdf", "a small well-formed PDF", lambda: pdf, "not_image", "accepted"),
        Entry(
            "polyglot_pdf_html.pdf",
            "PDF that is also an HTML page with a script",
            lambda: minimal_pdf(b"% " + HTML + b"\n"),
            "not_image",
            "accepted",
        ),
        Entry(
            "pdf_truncated.pdf",
            "PDF cut before its end marker",
            lambda: pdf[: len(pdf) // 2],
            "not_image",
            "corrupt",
        ),
        Entry(
            "pdf_magic_only.pdf",
            "only the PDF signature",
            lambda: b"%PDF-",
            "not_image",
            "corrupt",
        ),
        Entry(
            "html_then_pdf.pdf",
            "HTML with a PDF signature further down",
            lambda: HTML + b"\n" + pdf,
            "not_image",
            refused_doc,
        ),
    ]


def write(out: Path) -> list[dict]:
    out.mkdir(parents=True, exist_ok=True)
    entries = corpus()
    names = [entry.name for entry in entries]
    if len(set(names)) != len(names):
        raise SystemExit("duplicate file names in the corpus")
    for stale in out.iterdir():
        if stale.name not in names and stale.name != "manifest.json":
            stale.unlink()
    manifest = []
    for entry in entries:
        data = entry.build()
        (out / entry.name).write_bytes(data)
        manifest.append(
            {
                "name": entry.name,
                "what": entry.what,
                "bytes": len(data),
                "photo": entry.photo,
                "document": entry.document,
                "forbidden": [f.decode("latin-1") for f in entry.forbidden],
                "gps": entry.gps,
                "rotated": entry.rotated,
            }
        )
    (out / "manifest.json").write_text(
        json.dumps({"files": manifest}, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    total = sum(p.stat().st_size for p in out.iterdir())
    if total > BUDGET_BYTES:
        raise SystemExit(f"corpus is {total} bytes, over the {BUDGET_BYTES} byte budget")
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    manifest = write(args.out)
    total = sum(p.stat().st_size for p in args.out.iterdir())
    print(f"{len(manifest)} hostile files written to {args.out} ({total} bytes)")


if __name__ == "__main__":
    main()
