"""Documents' tests run against each storage: the local disk (a folder of the test) and a
local S3 endpoint (moto's server, started here), through the same Django storage API."""

import datetime
import io
import os
import shutil
import socket
import struct
import tempfile
import threading

import pytest
from django.test import override_settings

from crm.config.env import storage_config
from crm.documents import services
from crm.documents.models import DocumentCategory

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


@pytest.fixture(scope="session")
def s3_endpoint():
    """A local S3-compatible endpoint (moto in server mode) for the whole session."""
    moto_server = pytest.importorskip("moto.server")
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def _s3_storage(endpoint: str, bucket: str) -> dict:
    import boto3

    boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    ).create_bucket(Bucket=bucket)
    return storage_config(
        f"s3://testing:testing@{bucket}?endpoint_url={endpoint}&region=us-east-1&prefix=crm",
        location=None,
    )


@pytest.fixture(params=["local", "s3"])
def document_storage(request):
    """Each test with a fresh, empty store: a temporary folder, or a new S3 bucket."""
    from django.conf import settings

    if request.param == "local":
        folder = tempfile.mkdtemp(prefix="crm-documents-")
        config = {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": folder},
        }
        cleanup = lambda: shutil.rmtree(folder, ignore_errors=True)  # noqa: E731
    else:
        endpoint = request.getfixturevalue("s3_endpoint")
        bucket = f"docs-{os.getpid()}-{request.node.name.lower()}"[:60]
        bucket = "".join(c if c.isalnum() or c == "-" else "-" for c in bucket).strip("-")
        config = _s3_storage(endpoint, bucket)
        cleanup = lambda: None  # noqa: E731
    with override_settings(STORAGES={**settings.STORAGES, "documents": config}):
        yield request.param
    cleanup()


def stored_names() -> list[str]:
    from crm.documents.storage import all_names

    return sorted(all_names())


def upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def category(name="Business plan") -> DocumentCategory:
    return DocumentCategory.objects.get_or_create(name=name)[0]


def attach(record, by, *, kind="project", visibility="internal", title="Plan", content=PDF):
    return services.document_upload(
        record_kind=kind,
        record=record,
        file=upload(f"{title}.pdf", content),
        by=by,
        category=category(),
        title=title,
        date=datetime.date(2026, 11, 27),
        visibility=visibility,
    )


class FakeClamd:
    """A ClamAV daemon speaking INSTREAM on a unix socket: FOUND for EICAR, else OK."""

    def __init__(self):
        self.folder = tempfile.mkdtemp(prefix="clamd-")
        self.path = os.path.join(self.folder, "clamd.sock")
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(self.path)
        self.server.listen(4)
        self.scanned = 0
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _read(self, connection, size):
        data = b""
        while len(data) < size:
            chunk = connection.recv(size - len(data))
            if not chunk:
                raise ConnectionError
            data += chunk
        return data

    def _serve(self):
        while True:
            try:
                connection, _address = self.server.accept()
            except OSError:
                return
            with connection:
                command = b""
                while not command.endswith(b"\n"):
                    command += connection.recv(1)
                body = io.BytesIO()
                while True:
                    (length,) = struct.unpack("!L", self._read(connection, 4))
                    if not length:
                        break
                    body.write(self._read(connection, length))
                self.scanned += 1
                found = EICAR in body.getvalue()
                reply = b"stream: Eicar-Test-Signature FOUND\n" if found else b"stream: OK\n"
                connection.sendall(reply)

    def close(self):
        self.server.close()
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def clamd_socket(settings):
    daemon = FakeClamd()
    settings.CLAMD_SOCKET = daemon.path
    yield daemon
    daemon.close()
