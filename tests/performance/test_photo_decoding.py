"""A 12-megapixel phone photo is decoded at reduced scale, and still fills the display copy.

libjpeg can decode a JPEG at 1/2, 1/4 or 1/8 of its size for a fraction of the work (Pillow's
``draft``); the pipeline asks for that whenever the display copy is much smaller than the photo.
This is the largest part of the photo bench's figure (bench/run.py), so it is pinned here.
"""

from __future__ import annotations

import io

import pytest
from PIL import Image
from PIL.JpegImagePlugin import JpegImageFile

from tests import factories
from vendors.images import DISPLAY_SIZE, process_photo


@pytest.fixture
def decoded_sizes(monkeypatch) -> list[tuple[int, int]]:
    """The size each JPEG is decoded at, as set by ``draft``."""
    sizes: list[tuple[int, int]] = []
    original = JpegImageFile.draft

    def recording(self, mode, size):
        result = original(self, mode, size)
        sizes.append(self.size)
        return result

    monkeypatch.setattr(JpegImageFile, "draft", recording)
    return sizes


def sideways_phone_photo(size=(4000, 3000)) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = 6  # taken with the phone turned: shown rotated by 90°
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def test_a_12_megapixel_photo_is_decoded_at_half_size_and_comes_out_upright_and_full_size(
    decoded_sizes,
):
    result = process_photo(factories.upload(sideways_phone_photo()))

    assert decoded_sizes == [(2000, 1500)]
    assert (result.width, result.height) == (1200, DISPLAY_SIZE)  # upright, long side 1600


def test_a_photo_barely_larger_than_the_display_copy_is_decoded_at_full_size(decoded_sizes):
    result = process_photo(factories.upload(sideways_phone_photo((2400, 1800))))

    # Half size (1200×900) would leave the display copy short of 1600 pixels.
    assert decoded_sizes == [(2400, 1800)]
    assert (result.width, result.height) == (1200, DISPLAY_SIZE)
