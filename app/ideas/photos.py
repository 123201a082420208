"""An idea's optional photo: checked by content, re-encoded, and stripped of its metadata.

Phone photos carry EXIF with GPS coordinates, which would publish where a resident lives.
Re-encoding the decoded pixels (rather than editing the file) guarantees nothing of the
upload survives but the picture: no EXIF, GPS, XMP, comments or colour profile, and no
trailing bytes smuggling a script.

Output format, one rule: JPEG (quality 85) unless the picture really uses transparency, then
PNG, so a logo keeps its see-through background and a photo stays small. Colour profiles
are dropped with the rest, so a wide-gamut phone photo may look slightly less saturated.
"""
from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

from PIL import Image, ImageOps, UnidentifiedImageError

from app.text import N_, _

MAX_BYTES = 5 * 1024 * 1024
MAX_SIDE = 2048
#: Decoding allocates ~4 bytes a pixel whatever the file size: 40 MP is ~160 MB, and more
#: than any phone camera produces.
MAX_PIXELS = 40_000_000
JPEG_QUALITY = 85
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")

NOT_A_PHOTO = N_("This file is not a JPEG, PNG or WebP photo.")
DAMAGED = N_("The photo file is damaged or incomplete.")


class PhotoError(ValueError):
    """An upload that cannot become an idea's photo; the message is meant for the resident."""


@dataclass(frozen=True)
class ProcessedPhoto:
    """A re-encoded photo, safe to store and serve as is."""

    data: bytes
    content_type: str  # "image/jpeg" or "image/png"
    extension: str  # "jpg" or "png", without the dot
    width: int
    height: int


def process_photo(data: bytes, *, max_bytes: int = MAX_BYTES, max_side: int = MAX_SIDE,
                  max_pixels: int = MAX_PIXELS) -> ProcessedPhoto:
    """Check ``data`` is a JPEG, PNG or WebP picture and re-encode it upright, at most
    ``max_side`` pixels on its longer side, without metadata.

    Raises ``PhotoError`` for empty, oversized, unsupported, damaged or over-large-in-pixels
    uploads; no Pillow exception escapes otherwise.
    """
    if not data:
        raise PhotoError(_("The photo is empty."))
    if len(data) > max_bytes:
        size = f"{max_bytes / 2**20:.3g}"
        raise PhotoError(_("The photo is larger than %(size)s MB.", size=size))
    image = _decode(data, max_side, max_pixels)
    image = _upright(image)
    image = _plain_mode(image)
    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return _encode(image)


def _decode(data: bytes, max_side: int, max_pixels: int) -> Image.Image:
    """Identify the format from the bytes, refuse too many pixels, then decode."""
    try:
        image = Image.open(BytesIO(data), formats=ACCEPTED_FORMATS)
    except UnidentifiedImageError as exc:
        raise PhotoError(_(NOT_A_PHOTO)) from exc
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # The warning arrives as an exception only under a warnings filter set to "error";
        # otherwise it is just printed, and the check below refuses the picture anyway.
        raise PhotoError(_too_many_pixels(max_pixels)) from exc
    except Exception as exc:
        # Pillow's format plugins raise a zoo of types (OSError, SyntaxError, struct.error,
        # ValueError...) on a malformed header.
        raise PhotoError(_(DAMAGED)) from exc
    width, height = image.size
    if width * height > max_pixels:
        raise PhotoError(_too_many_pixels(max_pixels))
    # A JPEG can be decoded at 1/2, 1/4 or 1/8 scale for free when that is still at least
    # max_side: a 40 MP photo then never occupies 160 MB.
    image.draft(None, (max_side, max_side))
    try:
        image.load()
    except Exception as exc:
        raise PhotoError(_(DAMAGED)) from exc
    return image


def _too_many_pixels(max_pixels: int) -> str:
    """The resident's message for a picture over ``max_pixels``."""
    megapixels = f"{max_pixels / 1e6:.3g}"
    return _("The photo has too many pixels (more than %(megapixels)s megapixels).", megapixels=megapixels)


def _upright(image: Image.Image) -> Image.Image:
    """Apply the EXIF orientation, which is about to be stripped, to the pixels."""
    try:
        return ImageOps.exif_transpose(image)
    except Exception:
        # Unreadable EXIF is no reason to refuse a picture that decoded fine; it just stays
        # the way the camera stored it.
        return image


def _plain_mode(image: Image.Image) -> Image.Image:
    """Convert to L, RGB or RGBA, the modes the encoders and a smooth resize handle."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        # 16-bit grey would be clipped at 255 (almost all white) by a plain convert.
        return image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    if image.has_transparency_data:
        rgba = image.convert("RGBA")
        if rgba.getchannel("A").getextrema()[0] < 255:
            return rgba
    if image.mode in ("1", "L"):
        return image.convert("L")
    return image.convert("RGB")


def _encode(image: Image.Image) -> ProcessedPhoto:
    """Save without passing any metadata on: the encoders fall back to ``image.info``."""
    image.info.clear()
    out = BytesIO()
    if image.mode == "RGBA":
        image.save(out, "PNG")
        content_type, extension = "image/png", "png"
    else:
        image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
        content_type, extension = "image/jpeg", "jpg"
    return ProcessedPhoto(data=out.getvalue(), content_type=content_type, extension=extension,
                          width=image.width, height=image.height)
