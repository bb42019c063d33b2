"""The upload handler that hashes while Django spools.

Django's ``TemporaryFileUploadHandler`` writes each file part of a multipart body to a
temporary file in ``FILE_UPLOAD_TEMP_DIR``. This one does the same and, chunk by chunk as it
writes, feeds a ``storage.Inspection`` (size, SHA-256, the head for the type sniffer, the plain
text check). ``storage.store_upload`` then reads nothing again: it judges the inspection and
hard-links that one temporary file to its content address. So a large upload is written once
and read by Python once, as it arrives.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import TemporaryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, TemporaryFileUploadHandler

from assay.files.storage import Inspection


class InspectedUpload(TemporaryUploadedFile):
    """A temporary upload file with what was learnt of it as it was written."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.inspection = Inspection()


class InspectingUploadHandler(TemporaryFileUploadHandler):
    """``TemporaryFileUploadHandler`` that inspects each chunk as it writes it; see the module."""

    file: InspectedUpload

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        FileUploadHandler.new_file(self, *args, **kwargs)  # not the parent's: it opens a file
        self.file = InspectedUpload(
            self.file_name, self.content_type, 0, self.charset, self.content_type_extra
        )

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.file.inspection.feed(raw_data)
        self.file.write(raw_data)
