"""Product-like pictures drawn with Pillow, so the demo needs no downloaded photos."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw


def product_picture(
    *, colour: tuple[int, int, int], shape: str, variant: int, size=(1200, 900)
) -> SimpleUploadedFile:
    img = Image.new("RGB", size, (246, 244, 240))
    draw = ImageDraw.Draw(img)
    w, h = size
    shade = tuple(max(0, c - 40 * variant) for c in colour)
    if shape == "mask":
        draw.rounded_rectangle((w * 0.2, h * 0.3, w * 0.8, h * 0.7), radius=80, fill=shade)
        for i in range(1, 4):
            y = h * (0.3 + 0.1 * i)
            draw.line((w * 0.22, y, w * 0.78, y), fill=(255, 255, 255), width=6)
        draw.line((w * 0.2, h * 0.35, w * 0.08, h * 0.5), fill=(90, 90, 90), width=8)
        draw.line((w * 0.8, h * 0.35, w * 0.92, h * 0.5), fill=(90, 90, 90), width=8)
    elif shape == "bottle":
        draw.rectangle((w * 0.4, h * 0.15, w * 0.6, h * 0.28), fill=(60, 60, 60))
        draw.rounded_rectangle((w * 0.32, h * 0.28, w * 0.68, h * 0.9), radius=40, fill=shade)
        draw.rectangle((w * 0.36, h * 0.5, w * 0.64, h * 0.7), fill=(255, 255, 255))
    else:
        draw.polygon(
            [
                (w * 0.5, h * 0.1),
                (w * 0.75, h * 0.3),
                (w * 0.7, h * 0.9),
                (w * 0.3, h * 0.9),
                (w * 0.25, h * 0.3),
            ],
            fill=shade,
        )
    buffer = io.BytesIO()
    img.save(buffer, format="JPEG", quality=88)
    return SimpleUploadedFile(
        f"demo-{shape}-{variant}.jpg", buffer.getvalue(), content_type="image/jpeg"
    )
