"""Download responses shared by every app."""
import unicodedata
from urllib.parse import quote

from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ICS = "text/calendar; charset=utf-8"


def download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    # Names come from user text: control characters (a newline is a header injection) and quotes go.
    filename = "".join(ch for ch in filename if unicodedata.category(ch)[0] != "C"
                       and unicodedata.category(ch) not in ("Zl", "Zp") and ch not in '"\\/') or "download"
    response = HttpResponse(content, content_type=content_type)
    ascii_name = filename.encode("ascii", "ignore").decode() or "download"
    response["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "private, no-store"
    return response


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    return download(content, filename, XLSX)


def docx_response(content: bytes, filename: str) -> HttpResponse:
    return download(content, filename, DOCX)
