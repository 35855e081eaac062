"""Forms of 年终材料 (every one with ZhibuFormMixin)."""

from __future__ import annotations

import io

import docx
from django import forms

from zhibu.core.forms import ZhibuFormMixin
from zhibu.core.uploads import UploadError, check_zip_bomb, read_limited
from zhibu.yearend import rules


class SubmitForm(ZhibuFormMixin, forms.Form):
    summary = forms.FileField(label="修改后的工作总结（.docx，可不传；不传则报送初稿）", required=False)
    note = forms.CharField(label="说明（可不填）", max_length=300, required=False)

    def clean_summary(self) -> bytes | None:
        upload = self.cleaned_data.get("summary")
        if not upload:
            return None
        if not (upload.name or "").lower().endswith(".docx"):
            raise forms.ValidationError("工作总结须为 Word 文档（.docx）。", code="not_docx")
        try:
            content = read_limited(upload, rules.MAX_SUMMARY_BYTES)
            check_zip_bomb(content)
        except UploadError as exc:
            raise forms.ValidationError(str(exc), code=exc.code) from None
        try:
            docx.Document(io.BytesIO(content))
        except Exception:  # python-docx raises many kinds on a damaged file
            raise forms.ValidationError("文件已损坏或不是有效的 Word 文档（.docx）。", code="bad_docx") from None
        return content
