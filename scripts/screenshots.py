"""Screenshots of the docs site as a newcomer sees it, served locally with no network.

Builds the site (``mkdocs build --strict``), serves it on 127.0.0.1 from a thread
(``http.server``), and has headless Chromium take a picture of a few pages: the home
page, the escrow guide, the state-machine diagram, an API page and the notebook page.
Chromium resolves no host but the loopback one, so a page that still needed a CDN
(Mermaid, fonts) would show it: the pictures are of the site as it works offline.

Not part of CI: it needs Chromium (Debian: ``apt-get install chromium``) and is for a
person to look at. Run from the checkout::

    python scripts/screenshots.py --out /tmp/shots
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = {
    "home": "",
    "escrow-guide": "escrow/",
    "diagram": "diagram/",
    "api-money": "api/money/",
    "api-escrow": "api/escrow/",
    "notebook": "notebook-views/",
}
_BROWSERS = ("chromium", "chromium-browser", "google-chrome")


def build(site: Path) -> None:
    """Build the site into ``site``, strictly, from this checkout's sources."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        env=env,
        check=True,
    )


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve ``site`` on a free loopback port from a daemon thread; return the server and
    its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def screenshot(browser: str, url: str, out: Path, width: int, height: int) -> None:
    """One picture of ``url``, with every host but the loopback one unresolvable."""
    subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            # Time for the page's scripts (Mermaid draws the diagram after load).
            "--virtual-time-budget=10000",
            f"--window-size={width},{height}",
            f"--screenshot={out}",
            url,
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=120,
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="folder for the PNG files")
    parser.add_argument("--site", type=Path, help="a built site to use instead of building")
    parser.add_argument("--browser", help="the Chromium executable (default: found on PATH)")
    parser.add_argument("--size", default="1280,2000", help="window WIDTH,HEIGHT")
    args = parser.parse_args(argv)
    browser = args.browser or next(filter(None, map(shutil.which, _BROWSERS)), None)
    if browser is None:
        parser.error("no Chromium on PATH: apt-get install chromium, or pass --browser")
    width, height = (int(n) for n in args.size.split(","))
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        site = args.site or Path(scratch) / "site"
        if args.site is None:
            build(site)
        server, base = serve(site)
        try:
            for name, path in PAGES.items():
                out = args.out / f"{name}.png"
                screenshot(browser, base + path, out, width, height)
                print(f"{out}  <- {base}{path}")
        finally:
            server.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
