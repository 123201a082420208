"""Idea photos: accepted by content, refused with a resident's message, re-encoded clean."""
from __future__ import annotations

import struct
import zlib
from io import BytesIO

import numpy as np
import pytest
from PIL import ExifTags, Image, PngImagePlugin

from app.ideas.photos import (
    DAMAGED,
    MAX_BYTES,
    NOT_A_PHOTO,
    PhotoError,
    ProcessedPhoto,
    process_photo,
)

TOO_MANY_PIXELS = "The photo has too many pixels (more than 40 megapixels)."
#: Marker bytes planted in every kind of metadata; none may survive re-encoding.
SECRET = "PlazaSecret-19.4326N"
#: JPEG at quality 85 moves a flat colour by a few levels.
JPEG_TOLERANCE = 8


def encode(image: Image.Image, fmt: str, **params) -> bytes:
    """The bytes of ``image`` saved as ``fmt``, as an upload would carry them."""
    out = BytesIO()
    image.save(out, fmt, **params)
    return out.getvalue()


def noise(size=(64, 48), mode="RGB", seed=0) -> Image.Image:
    """Incompressible pixels, so truncating a file really cuts into the image data."""
    channels = len(mode)
    pixels = np.random.default_rng(seed).integers(0, 256, (size[1], size[0], channels),
                                                   dtype=np.uint8)
    return Image.fromarray(pixels, mode)


def halves(size=(40, 20)) -> Image.Image:
    """Red left half, blue right half: shows which way the picture was turned."""
    image = Image.new("RGB", size, (255, 0, 0))
    image.paste((0, 0, 255), (size[0] // 2, 0, size[0], size[1]))
    return image


def exif_with_gps(orientation: int = 1) -> Image.Exif:
    """What a phone writes: orientation, camera make and GPS position (Mexico City)."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = SECRET
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (19.0, 25.0, 57.36)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (99.0, 7.0, 59.88)
    return exif


def png_header(width: int, height: int) -> bytes:
    """A PNG that declares ``width`` x ``height`` pixels but holds none (a bomb's header)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body)))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b""))
            + chunk(b"IEND", b""))


def reopen(photo: ProcessedPhoto) -> Image.Image:
    """Decode a result as a browser would."""
    image = Image.open(BytesIO(photo.data))
    image.load()
    return image


def assert_close(pixel, expected, tolerance=JPEG_TOLERANCE):
    """Each channel of ``pixel`` within ``tolerance`` of ``expected``."""
    assert all(abs(a - b) <= tolerance for a, b in zip(pixel, expected)), (pixel, expected)


# --- what comes out -----------------------------------------------------------------------

def test_phone_jpeg_is_turned_upright_and_loses_exif_and_gps():
    upload = encode(halves(), "JPEG", exif=exif_with_gps(orientation=6).tobytes(),
                    comment=SECRET.encode())
    source = Image.open(BytesIO(upload))
    assert source.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test plants real GPS data
    assert SECRET.encode() in upload

    photo = process_photo(upload)

    assert (photo.content_type, photo.extension) == ("image/jpeg", "jpg")
    # Orientation 6 means "turn 90 degrees clockwise to view": the left half ends on top.
    assert (photo.width, photo.height) == (20, 40)
    out = reopen(photo)
    assert out.format == "JPEG" and out.size == (20, 40)
    assert_close(out.getpixel((10, 5)), (255, 0, 0))
    assert_close(out.getpixel((10, 35)), (0, 0, 255))
    assert not out.getexif()
    assert "exif" not in out.info and "comment" not in out.info
    for marker in (b"Exif", SECRET.encode(), b"GPS"):
        assert marker not in photo.data


def test_png_with_transparency_stays_png_with_its_alpha_and_no_metadata():
    image = Image.new("RGBA", (30, 20), (0, 128, 0, 255))
    image.paste((0, 0, 0, 0), (0, 0, 15, 20))  # left half see-through
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", SECRET)
    upload = encode(image, "PNG", pnginfo=text, exif=exif_with_gps().tobytes())

    photo = process_photo(upload)

    assert (photo.content_type, photo.extension, photo.width, photo.height) == (
        "image/png", "png", 30, 20)
    out = reopen(photo)
    assert out.format == "PNG" and out.mode == "RGBA"
    assert out.getpixel((5, 5))[3] == 0
    assert out.getpixel((25, 5)) == (0, 128, 0, 255)
    assert not out.getexif() and not out.text
    for marker in (SECRET.encode(), b"eXIf", b"tEXt", b"zTXt", b"iTXt"):
        assert marker not in photo.data


@pytest.mark.parametrize(("fmt", "mode", "params", "content_type"), [
    ("PNG", "RGB", {}, "image/jpeg"),
    ("PNG", "RGBA-opaque", {}, "image/jpeg"),  # an all-opaque alpha channel needs no PNG
    ("PNG", "RGBA-holes", {}, "image/png"),
    ("PNG", "P-transparent", {}, "image/png"),
    ("WEBP", "RGB", {"quality": 90}, "image/jpeg"),
    ("WEBP", "RGB", {"lossless": True}, "image/jpeg"),
    ("WEBP", "RGBA-holes", {"quality": 90}, "image/png"),
    ("JPEG", "L", {}, "image/jpeg"),
    ("JPEG", "CMYK", {}, "image/jpeg"),
])
def test_accepted_formats_and_modes(fmt, mode, params, content_type):
    if mode == "RGBA-opaque":
        image = Image.new("RGBA", (24, 16), (10, 20, 30, 255))
    elif mode == "RGBA-holes":
        image = Image.new("RGBA", (24, 16), (10, 20, 30, 255))
        image.putpixel((0, 0), (0, 0, 0, 0))
    elif mode == "P-transparent":
        image = Image.new("P", (24, 16), 1)
        image.putpixel((0, 0), 0)
        image.info["transparency"] = 0
    else:
        image = Image.new(mode, (24, 16))
    photo = process_photo(encode(image, fmt, **params))
    assert photo.content_type == content_type
    assert photo.extension == {"image/jpeg": "jpg", "image/png": "png"}[content_type]
    assert (photo.width, photo.height) == (24, 16)
    out = reopen(photo)
    assert out.format == {"image/jpeg": "JPEG", "image/png": "PNG"}[content_type]
    assert out.mode in ("L", "RGB", "RGBA")
    if content_type == "image/png":
        assert out.getpixel((0, 0))[3] == 0


def test_phone_multi_picture_jpeg_is_accepted():
    # Phones save MPO files (a JPEG with extra pictures) under a .jpg name.
    upload = encode(halves(), "MPO", save_all=True, append_images=[noise((40, 20))])
    assert Image.open(BytesIO(upload)).format == "MPO"
    photo = process_photo(upload)
    assert (photo.content_type, photo.width, photo.height) == ("image/jpeg", 40, 20)
    assert_close(reopen(photo).getpixel((5, 10)), (255, 0, 0))


def test_sixteen_bit_grey_keeps_its_brightness():
    grey = Image.new("I;16", (10, 10), 32768)  # mid grey out of 65535
    out = reopen(process_photo(encode(grey, "PNG")))
    assert out.mode == "L"
    assert abs(out.getpixel((5, 5)) - 128) <= 1


@pytest.mark.parametrize(("size", "max_side", "expected"), [
    ((300, 100), 150, (150, 50)),
    ((100, 300), 150, (50, 150)),
    ((160, 160), 40, (40, 40)),  # JPEG decoded at 1/4 scale, no resize left to do
    ((120, 80), 150, (120, 80)),  # never enlarged
    ((2100, 50), 2048, (2048, 49)),  # the default limit
])
def test_longer_side_is_scaled_down_to_max_side(size, max_side, expected):
    photo = process_photo(encode(noise(size), "JPEG"), max_side=max_side)
    assert (photo.width, photo.height) == expected
    assert reopen(photo).size == expected


def test_result_is_frozen():
    photo = process_photo(encode(halves(), "JPEG"))
    with pytest.raises(AttributeError):
        photo.width = 1  # type: ignore[misc]


# --- what is refused ----------------------------------------------------------------------

def test_empty_upload():
    with pytest.raises(PhotoError, match=r"^The photo is empty\.$"):
        process_photo(b"")


def test_upload_over_5_mb_is_refused_before_decoding():
    # A valid JPEG padded to 20 MB: only the size check can refuse it.
    upload = encode(halves(), "JPEG")
    padded = upload + b"\0" * (20 * 1024 * 1024 - len(upload))
    with pytest.raises(PhotoError, match=r"^The photo is larger than 5 MB\.$") as caught:
        process_photo(padded)
    assert caught.value.__cause__ is None


def test_limit_is_inclusive():
    upload = encode(halves(), "JPEG")
    assert process_photo(upload, max_bytes=len(upload)).width == 40
    with pytest.raises(PhotoError, match="larger than"):
        process_photo(upload, max_bytes=len(upload) - 1)
    assert MAX_BYTES == 5 * 1024 * 1024


def _gif() -> bytes:
    """A GIF: a real picture, but not in an accepted format."""
    return encode(halves(), "GIF")


@pytest.mark.parametrize("upload", [
    pytest.param(b"Hello, this is a text file saved as photo.jpg\n", id="text"),
    pytest.param(np.random.default_rng(7).bytes(4096), id="random-bytes"),
    pytest.param(_gif(), id="gif"),
    pytest.param(b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', id="svg"),
    pytest.param(encode(halves(), "BMP"), id="bmp"),
    pytest.param(encode(halves(), "TIFF"), id="tiff"),
    pytest.param(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", id="pdf"),
    pytest.param(b"\xff\xd8\xff" + np.random.default_rng(8).bytes(500), id="jpeg-magic-then-junk"),
])
def test_not_a_supported_photo(upload):
    with pytest.raises(PhotoError) as caught:
        process_photo(upload)
    assert str(caught.value) == NOT_A_PHOTO == "This file is not a JPEG, PNG or WebP photo."


@pytest.mark.parametrize(("fmt", "keep"), [
    ("JPEG", 0.5),
    ("PNG", 0.5),
    ("WEBP", 0.5),
    ("JPEG", 0.05),
])
def test_truncated_photo_is_damaged(fmt, keep):
    upload = encode(noise((64, 64)), fmt)
    with pytest.raises(PhotoError) as caught:
        process_photo(upload[: int(len(upload) * keep)])
    assert str(caught.value) == DAMAGED == "The photo file is damaged or incomplete."


@pytest.mark.parametrize(("width", "height"), [
    (8000, 6000),  # 48 MP: over our limit, under Pillow's
    (10_000, 10_000),  # 100 MP: Pillow warns (raised here, as filterwarnings = error)
    (100_000, 100_000),  # 10 GP: Pillow refuses outright
    (1, 40_000_001),
])
def test_decompression_bomb_is_refused_from_its_header(width, height):
    with pytest.raises(PhotoError) as caught:
        process_photo(png_header(width, height))
    assert str(caught.value) == TOO_MANY_PIXELS


def test_pixel_limit_is_a_parameter():
    upload = encode(noise((100, 100)), "PNG")
    assert process_photo(upload, max_pixels=10_000).width == 100
    with pytest.raises(PhotoError, match="too many pixels"):
        process_photo(upload, max_pixels=9_999)


def test_corrupted_uploads_raise_only_photo_error():
    """Flip a few bytes of valid files: each either comes out clean or is a PhotoError."""
    rng = np.random.default_rng(2024)
    sources = [encode(noise(), "JPEG"), encode(noise(), "PNG"),
               encode(noise(mode="RGBA"), "WEBP"), encode(noise(), "WEBP", lossless=True),
               encode(halves(), "JPEG", exif=exif_with_gps(orientation=8).tobytes())]
    outcomes = {"ok": 0, "refused": 0}
    for trial in range(250):
        data = bytearray(sources[trial % len(sources)])
        for position in rng.integers(0, len(data), rng.integers(1, 6)):
            data[position] = rng.integers(0, 256)
        try:
            photo = process_photo(bytes(data))
        except PhotoError:
            outcomes["refused"] += 1
        else:
            assert reopen(photo).size == (photo.width, photo.height)
            outcomes["ok"] += 1
    assert outcomes["ok"] > 0 and outcomes["refused"] > 0


def test_photo_error_is_a_value_error():
    assert issubclass(PhotoError, ValueError)
