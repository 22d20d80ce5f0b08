"""The documents step (issue 20): a file uploaded through the record's form and downloaded
again, its throughput, and the worker's peak memory for two file sizes (a download
streams: its memory does not grow with the file)."""

import os
import re
import secrets

from django.utils import timezone

from crm.devtools.bench.server import Server

# The sizes uploaded and downloaded, in megabytes: the target's 5 MB and a smaller one to
# compare the download's memory with.
SIZES_MB = (1, 5)
DOWNLOAD = re.compile(rb'href="(/documents/versions/(\d+)/telecharger/)"')
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def pdf_bytes(megabytes: int) -> bytes:
    """A file the upload accepts as a PDF (decided by its first bytes), of that size."""
    head = b"%PDF-1.4\n"
    return head + os.urandom(megabytes * 1024 * 1024 - len(head))


def multipart(fields: dict, file_name: str, content: bytes) -> tuple[bytes, str]:
    boundary = secrets.token_hex(16)
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
        )
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
        f'filename="{file_name}"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def documents_step(server: Server, probe: dict) -> dict | None:
    """Upload then download a file of each size as the officer, on the coach's project."""
    url, category = probe.get("documents_url"), probe.get("document_category_pk")
    if not url or not category:
        return None
    cookies = {"sessionid": probe["cookies"]["officer"]}
    results = []
    for megabytes in SIZES_MB:
        form = server.send("GET", url, cookies, keep_body=True)
        token = TOKEN.search(form.body)
        if form.status != 200 or token is None:
            return {"error": f"the documents tab answered {form.status}"}
        sent = dict(cookies)
        if "csrftoken" in form.cookies:
            sent["csrftoken"] = form.cookies["csrftoken"]
        body, content_type = multipart(
            {
                "csrfmiddlewaretoken": token[1].decode(),
                "category": category,
                "title": f"Bench {megabytes} Mo",
                "date": timezone.localdate().isoformat(),
                "visibility": "internal",
            },
            f"bench-{megabytes}mo.pdf",
            pdf_bytes(megabytes),
        )
        origin = "https://127.0.0.1"
        headers = {"Content-Type": content_type, "Origin": origin, "Referer": origin + url}
        server.reset_peaks()
        upload = server.send("POST", url, sent, body, headers)
        upload_peak = server.worker_peak_rss_mb()
        if upload.status != 302:
            return {"error": f"the upload answered {upload.status}"}
        page = server.send("GET", url, cookies, keep_body=True)
        links = sorted(DOWNLOAD.findall(page.body), key=lambda link: int(link[1]))
        if not links:
            return {"error": "no download link on the documents tab"}
        server.reset_peaks()
        download = server.send("GET", links[-1][0].decode(), cookies)
        results.append(
            {
                "mb": megabytes,
                "upload_ms": upload.ms,
                "upload_mb_per_s": megabytes / (upload.ms / 1000),
                "upload_peak_mb": upload_peak,
                "download_ms": download.ms,
                "download_mb_per_s": megabytes / (download.ms / 1000),
                "download_peak_mb": server.worker_peak_rss_mb(),
                "download_status": download.status,
                "download_bytes": download.size,
            }
        )
    return {"sizes": results}
