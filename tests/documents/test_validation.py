"""Upload validation: content sniffing, sizes, PDF safety, image integrity."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from motcua.documents.validation import UploadRejected, validate_upload


def _pdf(pages: int = 1, build=None) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=420, height=595)
    if build:
        build(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _image(fmt: str, size=(64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=fmt)
    return out.getvalue()


def _rejected(code: str, data, **kwargs) -> UploadRejected:
    with pytest.raises(UploadRejected) as info:
        validate_upload(data, **kwargs)
    assert info.value.code == code
    message = info.value.message
    assert any(ch in message for ch in "ạảãáàâấầăắđệếểơờưứ"), message  # Vietnamese, to people
    return info.value


def test_a_clean_pdf_passes_with_its_page_count():
    checked = validate_upload(_pdf(3), name="to-khai.pdf")
    assert (checked.kind, checked.content_type, checked.pages) == ("pdf", "application/pdf", 3)


def test_rendered_forms_pass(mau01_pdf):
    assert validate_upload(mau01_pdf, name="mau01.pdf").pages == 2


@pytest.mark.parametrize(
    ("fmt", "name", "kind"), [("JPEG", "cccd.jpg", "jpeg"), ("PNG", "a.png", "png")]
)
def test_clean_images_pass(fmt, name, kind):
    checked = validate_upload(_image(fmt), name=name)
    assert checked.kind == kind and checked.pages is None


@pytest.mark.parametrize(
    "data",
    [
        b"PK\x03\x04" + b"\0" * 200,  # a .docx / zip
        b"MZ\x90\x00" + b"\0" * 200,  # a Windows program
        b"<html><script>alert(1)</script></html>",
        b"GIF89a" + b"\0" * 50,
    ],
)
def test_wrong_type_with_a_pdf_extension(data):
    error = _rejected("unsupported_type", data, name="ho-so.pdf")
    assert "PDF, JPEG, PNG" in error.message


def test_extension_must_agree_with_the_content():
    _rejected("extension_mismatch", _image("JPEG"), name="scan.pdf")


def test_too_large_file(settings):
    settings.UPLOAD_MAX_FILE_MB = 1
    big = _pdf() + b"%" * (1024 * 1024)
    error = _rejected("too_large", big, name="big.pdf")
    assert "1 MB" in error.message


def test_too_large_upload_is_refused_before_reading(settings):
    settings.UPLOAD_MAX_FILE_MB = 1

    class Huge:
        name = "huge.pdf"
        size = 5 * 1024 * 1024

        def read(self, n=-1):
            raise AssertionError("must not be read")

    _rejected("too_large", Huge(), name="huge.pdf")


def test_dossier_total_limit(settings):
    settings.UPLOAD_MAX_DOSSIER_MB = 1
    _rejected("dossier_too_large", _pdf(), name="a.pdf", dossier_total=1024 * 1024 - 10)


def test_empty_file():
    _rejected("empty", SimpleUploadedFile("a.pdf", b""), name="a.pdf")


def test_encrypted_pdf():
    _rejected("pdf_encrypted", _pdf(build=lambda w: w.encrypt("mat-khau")), name="a.pdf")


def _document_javascript(writer):
    """A document-level script in the /Names /JavaScript tree (runs when the file opens)."""
    action = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("1")}
    )
    tree = DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("x"), writer._add_object(action)])}
    )
    names = DictionaryObject({NameObject("/JavaScript"): writer._add_object(tree)})
    writer._root_object[NameObject("/Names")] = writer._add_object(names)


def test_pdf_with_javascript():
    _rejected("pdf_javascript", _pdf(build=_document_javascript), name="a.pdf")


def test_pdf_with_obfuscated_javascript_names():
    """``/J#61vaScript`` is ``/JavaScript`` in PDF syntax: a byte scan would miss it."""
    data = _pdf(build=_document_javascript).replace(b"/JavaScript", b"/J#61vaScript")
    assert b"/JavaScript" not in data
    _rejected("pdf_javascript", data, name="a.pdf")


def test_pdf_with_a_javascript_open_action():
    def build(writer):
        action = DictionaryObject(
            {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("1")}
        )
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)

    _rejected("pdf_javascript", _pdf(build=build), name="a.pdf")


def test_pdf_with_a_launch_action():
    def build(writer):
        action = DictionaryObject(
            {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("cmd")}
        )
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)

    _rejected("pdf_launch", _pdf(build=build), name="a.pdf")


def test_pdf_with_an_embedded_file():
    _rejected(
        "pdf_embedded_file", _pdf(build=lambda w: w.add_attachment("x.exe", b"MZ")), name="a.pdf"
    )


def test_pdf_with_too_many_pages(settings):
    settings.UPLOAD_MAX_PDF_PAGES = 5
    error = _rejected("pdf_too_many_pages", _pdf(6), name="a.pdf")
    assert "6 trang" in error.message


def test_broken_pdf():
    _rejected("pdf_malformed", b"%PDF-1.7\n" + b"\x00garbage" * 50, name="a.pdf")


def test_broken_png():
    png = _image("PNG", size=(400, 300))
    _rejected("image_malformed", png[: len(png) // 2], name="a.png")


def test_broken_jpeg():
    jpeg = _image("JPEG", size=(400, 300))
    _rejected("image_malformed", jpeg[:200], name="a.jpg")


def test_png_header_on_other_content():
    _rejected("image_malformed", b"\x89PNG\r\n\x1a\n" + b"not really a png" * 10, name="a.png")


def test_uploaded_file_objects_are_read_in_full():
    upload = SimpleUploadedFile("cccd.png", _image("PNG"), content_type="image/png")
    assert validate_upload(upload, name=upload.name).content_type == "image/png"


def test_rejections_are_django_validation_errors():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_upload(b"hello", name="a.pdf")
