"""Headless Chromium with the network cut: prints reports to PDF (``crmlab report --pdf``) and serves the browser tests.

Driven by the Python ``playwright`` package (``pip install 'crmlab[pdf]'``) with the Chromium the
system provides — Debian's ``chromium`` package, or the file ``CRMLAB_CHROMIUM`` names; crmlab
never downloads a browser (``playwright install`` is not used).  Pages load from ``file:`` and
``data:`` URLs only: any other request is aborted and recorded, and the browser's proxy points
nowhere as a second guard.
"""
from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/lib/chromium/chromium", "chromium", "chromium-browser",
                       "google-chrome", "google-chrome-stable")
LAUNCH_ARGS = [
    "--no-sandbox",  # needed when running as root (CI, containers)
    "--disable-dev-shm-usage", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--disable-default-apps", "--disable-extensions", "--no-first-run",
    "--no-default-browser-check", "--metrics-recording-only", "--disable-domain-reliability", "--disable-breakpad",
    "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",  # anything that escapes the route goes nowhere
    "--font-render-hinting=none",
]
PRINTABLE_WIDTH_PX = 703  # A4 (210 mm) less two 12 mm margins, at 96 px per inch: the template's @page
INSTALL_HINT = "install it with `apt-get install chromium` (Debian/Ubuntu) or set CRMLAB_CHROMIUM to a Chromium binary"


class BrowserUnavailable(OSError):
    """No usable headless Chromium (or no playwright package) on this machine."""


def chromium_path() -> str:
    """The Chromium binary to drive: ``$CRMLAB_CHROMIUM`` if set, else the first of :data:`CHROMIUM_CANDIDATES` found."""
    chosen = os.environ.get("CRMLAB_CHROMIUM")
    if chosen:
        if not (Path(chosen).is_file() and os.access(chosen, os.X_OK)):
            raise BrowserUnavailable(f"CRMLAB_CHROMIUM={chosen} is not an executable file; {INSTALL_HINT}")
        return chosen
    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    raise BrowserUnavailable(f"no Chromium browser found; {INSTALL_HINT}")


def check_browser() -> str:
    """Raise :class:`BrowserUnavailable` unless playwright and a Chromium binary are there; return the binary."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        raise BrowserUnavailable("the Python package 'playwright' is not installed; pip install 'crmlab[pdf]'") from exc
    return chromium_path()


@contextlib.contextmanager
def launch(*, env: dict | None = None):
    """A headless Chromium (playwright ``Browser``), closed on exit; ``env`` is the browser process's environment."""
    from playwright.sync_api import sync_playwright

    executable = check_browser()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, headless=True, args=LAUNCH_ARGS,
                                     env=env if env is not None else dict(os.environ))
        try:
            yield browser
        finally:
            browser.close()


def offline_page(browser, *, width: int = 1000, height: int = 800, blocked: list | None = None,
                 errors: list | None = None):
    """A page in a fresh offline context: non-file requests are aborted (URL appended to ``blocked``);
    console errors, uncaught exceptions and failed requests are appended to ``errors``."""
    context = browser.new_context(viewport={"width": width, "height": height}, service_workers="block", offline=True)
    page = context.new_page()

    def route(r):
        if r.request.url.startswith(("file:", "data:", "blob:", "about:")):
            r.continue_()
        else:
            if blocked is not None:
                blocked.append(r.request.url)
            r.abort("internetdisconnected")

    page.route("**/*", route)
    if errors is not None:
        page.on("console", lambda m: errors.append(f"console.{m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
        page.on("requestfailed", lambda r: errors.append(f"requestfailed: {r.url} {r.failure}"))
    return page


def print_pdf(browser, html_path: Path, pdf_path: Path) -> Path:
    """Print an HTML report to an A4 PDF as the template's print styles lay it out (wide tables fitted)."""
    page = offline_page(browser, width=PRINTABLE_WIDTH_PX, height=1000)
    try:
        page.goto(Path(html_path).resolve().as_uri(), wait_until="load")
        page.evaluate("async () => { await document.fonts.ready; }")
        page.emulate_media(media="print")
        page.evaluate("w => window.crmlabFitTables ? window.crmlabFitTables(w) : 0", PRINTABLE_WIDTH_PX)
        page.pdf(path=str(pdf_path), format="A4", print_background=True, prefer_css_page_size=True)
    finally:
        page.context.close()
    return Path(pdf_path)


def print_pdfs(pairs: list[tuple[Path, Path]]) -> list[Path]:
    """Print each ``(html, pdf)`` pair with one browser."""
    with launch() as browser:
        return [print_pdf(browser, html, pdf) for html, pdf in pairs]
