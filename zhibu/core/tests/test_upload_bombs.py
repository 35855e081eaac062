"""Uploads that unpack to far more than they weigh, sheets of endless blank rows and broken sheet XML
are refused early, in Chinese, through the real pages (never a 500, nothing written); big uploads
are size-checked before they are read."""
from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhibu.core import xlsx
from zhibu.core.uploads import UploadError, check_zip_bomb
from zhibu.orgs import roster

MB = 1024 * 1024


def _rezip(data: bytes, replace: dict[str, bytes | None]) -> bytes:
    """The archive with members replaced (None: removed) or added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in replace:
                continue
            dst.writestr(info, src.read(info.filename))
        for name, content in replace.items():
            if content is not None:
                dst.writestr(name, content)
    return out.getvalue()


def _sheet_xml(rows: int, *, dimension: str | None = None, tail: bytes = b"</sheetData></worksheet>") -> bytes:
    """A sheet with the roster header in row 1 and `rows` blank (but present) rows under it."""
    ns = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    dim = f'<dimension ref="{dimension}"/>'.encode() if dimension else b""
    header = b"".join(f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{h}</t></is></c>'.encode()
                      for i, h in enumerate(roster.HEADERS))
    body = b"".join(b'<row r="%d"><c r="A%d" s="0"/></row>' % (i, i) for i in range(2, rows + 2))
    return ns + dim + b'<sheetData><row r="1">' + header + b"</row>" + body + tail


def _roster(sheet: bytes | None = None, **extra: bytes | None) -> bytes:
    members = {"xl/worksheets/sheet1.xml": sheet} if sheet is not None else {}
    return _rezip(roster._workbook_bytes([]), {**members, **extra})


def _docx(**extra: bytes) -> bytes:
    import docx

    buf = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("2026年党支部工作计划")
    document.save(buf)
    return _rezip(buf.getvalue(), extra)


BAD_SHEETS = {
    "bomb": lambda: _roster(**{"xl/media/padding.xml": b" " * (40 * MB)}),
    "blank rows beyond the bound": lambda: _roster(_sheet_xml(12_000)),
    "a million declared rows": lambda: _roster(_sheet_xml(3, dimension="A1:M1048576")),
    "30 MB of blank rows": lambda: _roster(_sheet_xml(700_000)),
    "malformed sheet XML": lambda: _roster(_sheet_xml(3, tail=b"<row r=")),
    "sheet missing": lambda: _roster(**{"xl/worksheets/sheet1.xml": None}),
    "not a zip": lambda: b"PK\x03\x04" + b"\x00" * 200,
}


@pytest.mark.parametrize("case", BAD_SHEETS, ids=list(BAD_SHEETS))
def test_bad_sheets_are_refused_in_chinese_by_the_reader(case):
    with pytest.raises(xlsx.TableFileError) as exc:
        xlsx.read_table(BAD_SHEETS[case](), roster.HEADERS)
    message = str(exc.value)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message) and not any("a" <= ch.lower() <= "z" for ch in
                                                                          message.replace(".xlsx", "").replace("Excel", "")
                                                                          .replace("WPS", "").replace("MB", ""))


@pytest.mark.parametrize("case", ["bomb", "a million declared rows", "malformed sheet XML", "sheet missing"])
def test_bad_sheets_through_the_import_pages(case, cast, client_for):
    from zhibu.dues.models import DuesBase
    from zhibu.orgs.models import Person

    c = client_for("secretary")
    before = Person.objects.count(), DuesBase.objects.count()  # (an attempt may be audited: nothing else is written)
    for url in (reverse("orgs:roster_import", args=[cast.branch.pk]), f"/o/{cast.branch.pk}/dues/bases/import/"):
        response = c.post(url, {"file": SimpleUploadedFile("花名册.xlsx", BAD_SHEETS[case]()), "default_month": "2026-03"})
        assert response.status_code == 400, url
        assert response.context["file_error"], url
        assert response.context["file_error"] in response.content.decode()
    assert (Person.objects.count(), DuesBase.objects.count()) == before


def test_blank_rows_after_the_data_are_read_up_to_the_bound():
    data = _roster(_sheet_xml(2_000).replace(b'<row r="2"><c r="A2" s="0"/></row>',
                                             b'<row r="2"><c r="A2" t="inlineStr"><is><t>\xe5\xbc\xa0\xe4\xb8\x89</t></is></c></row>'))
    rows = xlsx.read_table(data, roster.HEADERS)
    assert [(n, cells[0]) for n, cells in rows] == [(2, "张三")]


def test_the_zip_check_reads_only_the_directory():
    bomb = _docx(**{"word/media/padding.bin": b"\x00" * (60 * MB)})
    with pytest.raises(UploadError) as exc:
        check_zip_bomb(io.BytesIO(bomb))
    assert exc.value.code in ("too_large", "ratio") and "异常文件" in str(exc.value)
    check_zip_bomb(_docx())  # an ordinary document passes
    with pytest.raises(UploadError) as exc:
        check_zip_bomb(b"not a zip")
    assert exc.value.code == "not_zip"


def test_plan_docx_bomb_is_refused_before_parsing(cast, client_for):
    bomb = _docx(**{"word/document2.xml": b"<w:p/>" * (10 * MB)})
    response = client_for("secretary").post(reverse("plans:import", args=[cast.branch.pk]),
                                            {"file": SimpleUploadedFile("计划.docx", bomb), "step": "preview"})
    assert response.status_code == 400
    assert "异常文件" in response.content.decode()


def test_development_uploads_refuse_bombs_and_big_files_before_reading(cast, client_for):
    from zhibu.development.models import Document, DocTemplate
    from zhibu.development.tests.access_cases import make_candidate

    candidate, _doc = make_candidate(cast)
    c = client_for("secretary")
    url = reverse("development:upload", kwargs={"org_id": cast.branch.pk, "candidate_id": candidate.pk})
    bomb = _docx(**{"word/media/padding.bin": b"\x00" * (60 * MB)})
    before = Document.objects.count()
    response = c.post(url, {"file": SimpleUploadedFile("申请书.docx", bomb), "kind": "other", "step": ""})
    assert response.status_code == 400 and "异常文件" in response.content.decode()
    big = SimpleUploadedFile("扫描件.pdf", b"%PDF-1.4\n" + b"0" * (10 * MB))
    response = c.post(url, {"file": big, "kind": "other", "step": ""})
    assert response.status_code == 400 and "文件过大" in response.content.decode()
    assert Document.objects.count() == before
    response = c.post(reverse("development:templates", kwargs={"org_id": cast.branch.pk}),
                      {"kind": "ballot", "file": SimpleUploadedFile("表决票.docx", bomb)})
    assert response.status_code < 500 and "异常文件" in response.content.decode()
    assert not DocTemplate.objects.exists()


def test_a_huge_upload_is_streamed_to_disk_but_not_kept_and_refused_by_size(cast, client_for, settings):
    from django.core.files.uploadhandler import MemoryFileUploadHandler

    from zhibu.core.uploadhandler import BoundedTemporaryFileUploadHandler

    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 2 * MB and settings.FILE_UPLOAD_HANDLERS == [
        "django.core.files.uploadhandler.MemoryFileUploadHandler", "zhibu.core.uploadhandler.BoundedTemporaryFileUploadHandler"]
    assert MemoryFileUploadHandler  # the small ones stay in memory
    handler = BoundedTemporaryFileUploadHandler()
    handler.new_file("file", "big.xlsx", "application/octet-stream", 0)
    chunk = b"\x00" * MB
    for i in range(settings.UPLOAD_MAX_BYTES // MB + 5):
        handler.receive_data_chunk(chunk, i * MB)
    f = handler.file_complete((settings.UPLOAD_MAX_BYTES // MB + 5) * MB)
    assert f.size > settings.UPLOAD_MAX_BYTES and len(f.read()) == settings.UPLOAD_MAX_BYTES + 1
    f.close()
    response = client_for("secretary").post(reverse("orgs:roster_import", args=[cast.branch.pk]),
                                            {"file": SimpleUploadedFile("花名册.xlsx", b"PK" + b"\x00" * (6 * MB))})
    assert response.status_code == 400 and "文件过大" in response.content.decode()
