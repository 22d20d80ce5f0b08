"""Screenshots of the main pages for every role (`make screenshots`, docs/screenshots/).

A throwaway VAR_DIR and SQLite database get the migrations and the demo data, a development
server serves them on a free loopback port, and Playwright (Debian's Chromium) logs in as
each demo user and photographs the home page, the project list, the board, a project, the
meeting form and the dashboard at 1366×768 and 375×812. The pictures are full-page, capped
in height, and saved as palette PNGs (Pillow) so that the repository stays small.
"""

import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from crm.devtools.bench.server import free_port

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ROLES = ("officer", "coach", "manager")
VIEWPORTS = {"desktop": (1366, 768), "phone": (375, 812)}
# A full page taller than this is cut: the top is what a newcomer needs to see.
MAX_HEIGHT = {"desktop": 2400, "phone": 2600}
COLOURS = 128


@dataclass(frozen=True)
class Shot:
    key: str
    path: str  # "{project}" is replaced by a project the user may open


SHOTS = (
    Shot("home", "/"),
    Shot("list", "/projects/"),
    Shot("board", "/projects/board/"),
    Shot("project", "/projects/{project}/"),
    Shot("meeting-form", "/projects/{project}/meetings/new/"),
    Shot("dashboard", "/reports/"),
)


def _manage(env: dict, *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


class DemoServer:
    """The development server over a fresh demo database in a temporary VAR_DIR."""

    def __init__(self, log=print):
        self.var_dir = Path(tempfile.mkdtemp(prefix="crm-screenshots-"))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DATABASE_URL", "CACHE_URL", "STORAGE_URL"}
        }
        env.update(
            DEBUG="1",
            VAR_DIR=str(self.var_dir),
            DATABASE_URL=f"sqlite:///{self.var_dir}/db.sqlite3",
            LANGUAGE_CODE="fr",
            # Every page computed for the picture, whatever a previous one cached.
            REPORTS_CACHE_SECONDS="0",
        )
        self.env = env
        log("migrating a throwaway database…")
        _manage(env, "migrate", "--no-input", "-v0")
        log("loading the demo data…")
        _manage(env, "seed_demo")
        self.log_file = (self.var_dir / "server.log").open("w")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "runserver",
                f"127.0.0.1:{self.port}",
                "--noreload",
                "--nothreading",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/accounts/login/", timeout=5)
                return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("the development server did not start")

    def stop(self) -> None:
        process = getattr(self, "process", None)
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
            self.log_file.close()
        shutil.rmtree(self.var_dir, ignore_errors=True)


def save_png(data: bytes, target: Path) -> int:
    """`data` (a PNG) written to `target` as an optimised palette PNG; its size in bytes."""
    from PIL import Image

    image = Image.open(io.BytesIO(data)).convert("RGB")
    palette = image.quantize(colors=COLOURS, method=Image.Quantize.MEDIANCUT, dither=0)
    palette.save(target, format="PNG", optimize=True)
    return target.stat().st_size


def _log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", f"ess-demo-{username}")
    page.locator("form [type=submit]").first.click()
    page.wait_for_url("**/")


def _first_project(page) -> str:
    """The id of the first project of the user's list."""
    page.goto("/projects/")
    href = page.locator("table a[href^='/projects/']").first.get_attribute("href")
    return href.strip("/").split("/")[1]


def take(out_dir: Path, url: str, roles=ROLES, log=print) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        for role in roles:
            for name, (width, height) in VIEWPORTS.items():
                phone = name == "phone"
                context = browser.new_context(
                    base_url=url,
                    locale="fr-FR",
                    viewport={"width": width, "height": height},
                    is_mobile=phone,
                    has_touch=phone,
                    device_scale_factor=1,
                )
                page = context.new_page()
                _log_in(page, role)
                project = _first_project(page)
                for shot in SHOTS:
                    response = page.goto(shot.path.format(project=project))
                    if response is None or response.status != 200:
                        status = response.status if response else "none"
                        log(f"  {role} {shot.key} {name}: HTTP {status}, skipped")
                        continue
                    full = page.evaluate("document.documentElement.scrollHeight")
                    clip = {
                        "x": 0,
                        "y": 0,
                        "width": width,
                        "height": min(full, MAX_HEIGHT[name]),
                    }
                    data = page.screenshot(full_page=True, clip=clip)
                    target = out_dir / f"{role}-{shot.key}-{name}.png"
                    size = save_png(data, target)
                    written.append(target)
                    log(f"  {target.name}: {full} px tall, {size // 1024} KB")
                context.close()
        browser.close()
    return written


TITLES = {
    "home": "Accueil",
    "list": "Liste des projets",
    "board": "Pipeline",
    "project": "Page d'un projet",
    "meeting-form": "Compte rendu de rendez-vous",
    "dashboard": "Tableau de bord",
}


def write_index(out_dir: Path, written: list[Path]) -> None:
    """docs/screenshots/README.md: every picture, by page and role."""
    names = {path.name for path in written}
    lines = [
        "# Screenshots",
        "",
        "The demo data (`seed_demo`) seen by each role, at 1366×768 (desktop, full page, cut "
        f"at {MAX_HEIGHT['desktop']} px) and 375×812 (phone). Regenerated by "
        "`make screenshots`; do not edit by hand.",
        "",
    ]
    for shot in SHOTS:
        lines += [f"## {TITLES[shot.key]}", ""]
        for role in ROLES:
            pictures = [
                f"![{TITLES[shot.key]}, {role}, {view}]({role}-{shot.key}-{view}.png)"
                for view in VIEWPORTS
                if f"{role}-{shot.key}-{view}.png" in names
            ]
            if pictures:
                lines += [f"**{role}**", "", " ".join(pictures), ""]
    (out_dir / "README.md").write_text("\n".join(lines))


def run(out_dir: Path, log=print) -> list[Path]:
    server = DemoServer(log=log)
    try:
        written = take(out_dir, server.url, log=log)
    finally:
        server.stop()
    write_index(out_dir, written)
    return written
