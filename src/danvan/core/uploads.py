"""Checks for uploaded documents: a known type, a size limit, and content that really is
of that type (magic bytes), before anything is stored."""

import hashlib
from pathlib import Path

from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse
from django.utils.translation import gettext as _

from .errors import DomainError

DOCUMENT_TYPES = {
    # extension: (content type, magic prefix)
    ".pdf": ("application/pdf", b"%PDF"),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    ".png": ("image/png", b"\x89PNG"),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK"),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK"),
}
MAX_BYTES = 10 * 1024 * 1024


def check_upload(
    upload: UploadedFile, *, field: str = "files", error=DomainError
) -> tuple[str, str]:
    """The file's safe base name and content type, or `error` with a clear message."""
    name = Path(upload.name or "").name[:255]
    ext = Path(name).suffix.lower()
    kind = DOCUMENT_TYPES.get(ext)
    if kind is None:
        raise error(
            _("%(name)s: only PDF, JPEG, PNG, DOCX and XLSX files are accepted.") % {"name": name},
            field=field,
        )
    if upload.size > MAX_BYTES:
        raise error(
            _("%(name)s is larger than %(mb)d MB.") % {"name": name, "mb": MAX_BYTES // 2**20},
            field=field,
        )
    content_type, magic = kind
    head = upload.read(len(magic))
    upload.seek(0)
    if head != magic:
        raise error(
            _("%(name)s is not really a %(ext)s file.") % {"name": name, "ext": ext[1:].upper()},
            field=field,
        )
    return name, content_type


def sha256_of(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def attachment(stored) -> FileResponse:
    """A stored document (with `file`, `original_name`, `content_type`) as a download, never
    shown inline. Raises FileNotFoundError when the file is gone from storage."""
    try:
        handle = stored.file.open("rb")
    except ValueError as exc:
        raise FileNotFoundError(stored.original_name) from exc
    response = FileResponse(
        handle, as_attachment=True, filename=stored.original_name, content_type=stored.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
