"""Uploads are streamed to a temporary file (above FILE_UPLOAD_MAX_MEMORY_SIZE), never held in
memory whole, and never stored beyond UPLOAD_MAX_BYTES + 1 bytes: the rest is counted, not kept.
The file's `size` stays the real one, so every size check ("文件过大") refuses it, and a huge
upload cannot fill the disk either."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import TemporaryFileUploadHandler


class BoundedTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.kept = 0
        self.limit = getattr(settings, "UPLOAD_MAX_BYTES", 10 * 1024 * 1024) + 1

    def receive_data_chunk(self, raw_data, start):
        room = self.limit - self.kept
        if room > 0:
            chunk = raw_data[:room]
            self.file.write(chunk)
            self.kept += len(chunk)
        return None  # this is the last handler: nothing is passed on
