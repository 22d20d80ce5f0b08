"""The policy every uploaded file goes through (imports now, attachments later).

`validate_upload(file)` checks the size against MAX_UPLOAD_SIZE, the extension against the
allowed list, and the content itself: an .xlsx/.ods must be a zip archive holding the
matching document type, within IMPORT_MAX_UNCOMPRESSED_BYTES once decompressed
(`check_archive`), a .csv must be text. Files are stored under MEDIA_ROOT (var/media),
outside the static root, and never served by the app: nothing uploaded can run.
"""

import io
import re
import unicodedata
import zipfile
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

ZIP_MAGIC = b"PK\x03\x04"
# What the "mimetype" member (ODF) or a required member (OOXML) must say.
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
XLSX_MEMBER = "xl/workbook.xml"
TEXT_SNIFF_BYTES = 64 * 1024
TEXT_ENCODINGS = ("utf-8-sig", "cp1252")
# A spreadsheet has a few dozen members; XML compresses about 10 to 30 times, a zip bomb
# thousands of times. The ratio is checked only on members large enough to matter.
MAX_ARCHIVE_MEMBERS = 1000
MAX_COMPRESSION_RATIO = 200
RATIO_CHECKED_FROM_BYTES = 1024 * 1024


def check_archive(archive: zipfile.ZipFile, limit: int | None = None) -> None:
    """Refuse a zip-based document (XLSX, ODS) before anything decompresses it, from its
    central directory: members, total and per-member uncompressed size, compression ratio.
    Python's zipfile never inflates a member past the size the directory declares."""
    limit = settings.IMPORT_MAX_UNCOMPRESSED_BYTES if limit is None else limit
    members = archive.infolist()
    if len(members) > MAX_ARCHIVE_MEMBERS:
        raise ValidationError(
            _("Le fichier contient %(count)s éléments compressés : ce n'est pas un tableur.")
            % {"count": len(members)},
            code="archive_members",
        )
    total = sum(member.file_size for member in members)
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size >= RATIO_CHECKED_FROM_BYTES and ratio > MAX_COMPRESSION_RATIO:
            raise ValidationError(
                _(
                    "Le fichier est anormalement compressé (%(ratio)s fois) : il a été refusé "
                    "pour protéger le serveur. Enregistrez-le à nouveau depuis le tableur, "
                    "ou en CSV."
                )
                % {"ratio": int(ratio)},
                code="archive_ratio",
            )
    if total > limit:
        raise ValidationError(
            _(
                "Une fois décompressé, le fichier occuperait %(size)s ; la limite est de "
                "%(max)s. Découpez-le en plusieurs fichiers, ou enregistrez-le en CSV."
            )
            % {"size": filesizeformat(total), "max": filesizeformat(limit)},
            code="archive_too_large",
        )


def _head(file, size: int) -> bytes:
    file.seek(0)
    data = file.read(size)
    file.seek(0)
    return data


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    for encoding in TEXT_ENCODINGS:
        try:
            data.decode(encoding)
        except UnicodeDecodeError as error:
            # The sniffed block may cut a multi-byte character at its end.
            if encoding == "utf-8-sig" and error.start >= len(data) - 3:
                return True
            continue
        return True
    return False


def _zip_names(file) -> tuple[zipfile.ZipFile | None, list[str]]:
    file.seek(0)
    try:
        archive = zipfile.ZipFile(io.BytesIO(file.read()))
    except zipfile.BadZipFile:
        return None, []
    finally:
        file.seek(0)
    return archive, archive.namelist()


def _content_matches(file, extension: str) -> bool:
    head = _head(file, TEXT_SNIFF_BYTES)
    if extension == "csv":
        return _is_text(head)
    if not head.startswith(ZIP_MAGIC):
        return False
    archive, names = _zip_names(file)
    if archive is None:
        return False
    check_archive(archive)
    if extension == "xlsx":
        return XLSX_MEMBER in names
    if extension == "ods":
        return "mimetype" in names and archive.read("mimetype").strip() == ODS_MIMETYPE
    return False


SUPPORTED = ("csv", "xlsx", "ods")


def validate_upload(file, allowed: tuple[str, ...] = SUPPORTED) -> str:
    """Raise ValidationError (French message) unless `file` is an allowed, honest file of at
    most MAX_UPLOAD_SIZE bytes. Returns the extension, lower case, for the caller's parser."""
    unknown = set(allowed) - set(SUPPORTED)
    if unknown:
        raise ValueError(f"validate_upload cannot sniff {sorted(unknown)}")
    if file.size > settings.MAX_UPLOAD_SIZE:
        raise ValidationError(
            _("Le fichier pèse %(size)s ; la limite est de %(max)s.")
            % {
                "size": filesizeformat(file.size),
                "max": filesizeformat(settings.MAX_UPLOAD_SIZE),
            },
            code="too_large",
        )
    extension = PurePath(file.name or "").suffix.lower().lstrip(".")
    if extension not in allowed:
        raise ValidationError(
            _("Type de fichier refusé : seuls les fichiers %(kinds)s sont acceptés.")
            % {"kinds": ", ".join(f".{kind}" for kind in allowed)},
            code="bad_extension",
        )
    if not _content_matches(file, extension):
        raise ValidationError(
            _("Le contenu du fichier ne correspond pas à un fichier .%(kind)s valide.")
            % {"kind": extension},
            code="bad_content",
        )
    return extension


# Attachments (crm.documents) -----------------------------------------------------------

# What an attachment may be, decided by its content (filetype reads the magic bytes):
# detected extension -> the content type it is served with. Never HTML, SVG, scripts or
# executables: they are either refused by type or by the markup check of text files.
ATTACHMENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "rtf": "application/rtf",
    "txt": "text/plain",
    "csv": "text/csv",
}
ZIP_DOCUMENTS = {"docx", "xlsx", "pptx", "odt", "ods", "odp"}
# A text file that opens like markup would be rendered by a browser told otherwise.
MARKUP_MARKERS = (b"<!doctype", b"<html", b"<svg", b"<script", b"<?xml", b"<body", b"<iframe")
SAFE_NAME = re.compile(r"[^\w.\- ]+")


def sanitised_name(name: str, extension: str) -> str:
    """The file's name as the user knew it, safe for any storage and header: no folder,
    no control or special character, at most 100 characters, ending in `extension`."""
    stem = PurePath((name or "").replace("\\", "/")).name
    stem = unicodedata.normalize("NFKC", stem)
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    stem = " ".join(SAFE_NAME.sub("_", stem).split()).strip("._- ") or "document"
    return f"{stem[:100]}.{extension}"


def _is_markup(head: bytes) -> bool:
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return any(marker in lowered[:TEXT_SNIFF_BYTES] for marker in MARKUP_MARKERS)


def attachment_type(file) -> tuple[str, str]:
    """Validate an attachment and return (extension, content type) decided by its content.
    Raise ValidationError naming the reason: empty, too large, type not allowed."""
    if not file.size:
        raise ValidationError(_("Le fichier est vide."), code="empty")
    if file.size > settings.MAX_UPLOAD_SIZE:
        raise ValidationError(
            _("Le fichier pèse %(size)s ; la limite est de %(max)s.")
            % {
                "size": filesizeformat(file.size),
                "max": filesizeformat(settings.MAX_UPLOAD_SIZE),
            },
            code="too_large",
        )
    head = _head(file, TEXT_SNIFF_BYTES)
    kind = filetype.guess(head)
    if kind is None:
        if _is_text(head) and not _is_markup(head):
            name_extension = PurePath(file.name or "").suffix.lower().lstrip(".")
            extension = "csv" if name_extension == "csv" else "txt"
            return extension, ATTACHMENT_TYPES[extension]
    elif kind.extension in ATTACHMENT_TYPES:
        if kind.extension in ZIP_DOCUMENTS:
            archive, _names = _zip_names(file)
            if archive is None:
                raise _refused()
            check_archive(archive)
        return kind.extension, ATTACHMENT_TYPES[kind.extension]
    raise _refused()


def _refused() -> ValidationError:
    return ValidationError(
        _(
            "Type de fichier refusé : seuls les PDF, images (PNG, JPEG, GIF, WebP), documents "
            "bureautiques, textes et CSV sont acceptés, d'après le contenu du fichier."
        ),
        code="bad_type",
    )
