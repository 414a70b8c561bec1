"""A real headless Chromium driven by Selenium, for the browser layer: finding the browser (or
saying how to get it), logging in as a person would (a server's login form, JupyterHub's login
form and OAuth redirects), and running script in a page of the server the way a JupyterLab
extension's code runs there."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hub_support import Hub
from support import Server

#: Where Debian's `chromium` and `chromium-driver` packages put them (override with these names).
CHROMIUM_ENV_VAR, CHROMEDRIVER_ENV_VAR = "CHROMIUM", "CHROMEDRIVER"
#: Screenshots and other evidence for people; a directory under pytest's tmp dir unless set.
ARTIFACTS_ENV_VAR = "TEMPLATE_TEST_ARTIFACTS"
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--window-size=1280,900",
    "--disable-dev-shm-usage",  # containers' /dev/shm (64 MB in Docker) is too small for it
)  # fmt: skip
TIMEOUT = 30  # seconds for a page load or a script; the scripts below time out sooner
HOW_TO_GET_CHROMIUM = (
    "install Debian's `chromium` and `chromium-driver` packages (`apt-get install chromium "
    "chromium-driver`; Ubuntu's apt `chromium` is a snap stub: use a Debian container), or set "
    f"{CHROMIUM_ENV_VAR} and {CHROMEDRIVER_ENV_VAR} to a Chromium and its matching chromedriver"
)


def find_chromium() -> tuple[tuple[str, str] | None, str]:
    """((chromium, chromedriver), "") when both are installed, (None, what to install) if not."""
    if importlib.util.find_spec("selenium") is None:
        return None, "selenium is not installed: `.venv/bin/pip install --group test`"
    browser = _executable(os.environ.get(CHROMIUM_ENV_VAR) or shutil.which("chromium"))
    driver = _executable(os.environ.get(CHROMEDRIVER_ENV_VAR) or shutil.which("chromedriver"))
    if browser and driver:
        return (browser, driver), ""
    missing = " and ".join(
        name for name, path in (("chromium", browser), ("chromedriver", driver)) if not path
    )
    return None, f"{missing} not found: {HOW_TO_GET_CHROMIUM}"


def _executable(path: str | None) -> str | None:
    return path if path and os.path.isfile(path) and os.access(path, os.X_OK) else None


def artifacts_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """$TEMPLATE_TEST_ARTIFACTS, or `artifacts` under this run's pytest tmp dir."""
    configured = os.environ.get(ARTIFACTS_ENV_VAR)
    path = Path(configured) if configured else tmp_path_factory.getbasetemp() / "artifacts"
    path.mkdir(parents=True, exist_ok=True)
    return path


# Script run in the page with Selenium's execute_async_script: its arguments are the call's,
# and `done` gets the answer. Each script ends by itself (a bounded timer) before TIMEOUT.
_ASYNC = """
const done = arguments[arguments.length - 1];
(async (...args) => {{ {body} }})(...Array.from(arguments).slice(0, -1))
  .then(done, (error) => done({{ error: String(error) }}));
"""

#: fetch with the session cookie, as JupyterLab's ServerConnection.makeRequest sends it: the
#: X-XSRFToken header holds the `_xsrf` cookie's value (read from document.cookie as it does).
FETCH = """
const [method, url, body, sendXsrf] = args;
const xsrf = document.cookie.match(/\\b_xsrf=([^;]*)\\b/)?.[1];
const headers = {};
if (sendXsrf && xsrf) headers["X-XSRFToken"] = xsrf;
if (body !== null) headers["Content-Type"] = "application/json";
const reply = await fetch(url, {
  method, headers, body, credentials: "same-origin", cache: "no-store", redirect: "manual",
});
const text = await reply.text();
return {
  status: reply.type === "opaqueredirect" ? "redirect" : reply.status,
  body: text.slice(0, 2000), xsrfSent: Boolean(sendXsrf && xsrf),
};
"""

#: A WebSocket opened by the page: send one JSON message, answer the first message back.
SOCKET = """
const [url, message] = args;
return await new Promise((resolve) => {
  const socket = new WebSocket(url);
  const timer = setTimeout(() => { socket.close(); resolve({ error: "no answer in 10 s" }); }, 10000);
  socket.onopen = () => socket.send(JSON.stringify(message));
  socket.onmessage = (event) => {
    clearTimeout(timer);
    socket.close();
    resolve({ message: JSON.parse(event.data) });
  };
  socket.onclose = (event) => { clearTimeout(timer); resolve({ error: `closed ${event.code}` }); };
});
"""

#: An EventSource read until the stream's `done` event (or an error, or 15 s).
STREAM = """
const [url] = args;
return await new Promise((resolve) => {
  const source = new EventSource(url);
  const events = [];
  const finish = (extra) => { clearTimeout(timer); source.close(); resolve({ events, ...extra }); };
  const timer = setTimeout(() => finish({ error: "no done event in 15 s" }), 15000);
  source.onmessage = (event) => events.push(JSON.parse(event.data));
  source.addEventListener("done", (event) => {
    events.push({ event: "done", ...JSON.parse(event.data) });
    finish({});
  });
  source.onerror = () => finish({ error: "error event", readyState: source.readyState });
});
"""


class Browser:
    """One headless Chromium with its own profile, driven through chromedriver."""

    def __init__(self, driver: Any) -> None:
        self.driver = driver

    @property
    def url(self) -> str:
        return str(self.driver.current_url)

    def open(self, url: str) -> None:
        """Navigate (a page navigation, as a person following a link)."""
        self.driver.get(url)

    def stay_on(self, url: str) -> None:
        if self.url != url:
            self.open(url)

    def cookie(self, name: str) -> str | None:
        found = self.driver.get_cookie(name)
        return found["value"] if found else None

    def text(self) -> str:
        return str(self.driver.find_element("tag name", "body").text)

    def title(self) -> str:
        return str(self.driver.title)

    def run(self, body: str, *args: Any) -> dict[str, Any]:
        """Run `body` (one of the scripts above) as async script in the current page."""
        answer = self.driver.execute_async_script(_ASYNC.format(body=body), *args)
        assert isinstance(answer, dict), answer
        return answer

    def fetch(self, method: str, url: str, body: str | None, *, xsrf: bool) -> dict[str, Any]:
        return self.run(FETCH, method, url, body, xsrf)

    def submit_form(self, **fields: str) -> None:
        """Type into the current page's form fields (by name) and submit it."""
        form = None
        for name, value in fields.items():
            field = self.driver.find_element("name", name)
            field.clear()
            field.send_keys(value)
            form = field
        assert form is not None
        form.submit()

    def screenshot(self, path: Path) -> Path:
        assert self.driver.save_screenshot(str(path)), path
        return path


@contextlib.contextmanager
def chromium(binaries: tuple[str, str], profile: Path) -> Iterator[Browser]:
    """Start headless Chromium with a fresh profile under `profile`; quit it afterwards."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    browser_path, driver_path = binaries
    options = Options()
    options.binary_location = browser_path
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    profile.mkdir(parents=True, exist_ok=True)
    service = Service(driver_path, log_output=str(profile.parent / f"{profile.name}-driver.log"))
    driver = webdriver.Chrome(service=service, options=options)
    try:
        driver.set_page_load_timeout(TIMEOUT)
        driver.set_script_timeout(TIMEOUT)
        yield Browser(driver)
    finally:
        driver.quit()


def log_in_to_server(browser: Browser, server: Server) -> str:
    """Log in through the server's own login form with its token as the password; returns the
    page the form leads to (a page of the server, which sets the `_xsrf` cookie)."""
    browser.open(server.url("login"))
    browser.submit_form(password=server.token)
    return landed(browser, server.root, "the login form")


def log_in_through_hub(browser: Browser, hub: Hub, name: str) -> str:
    """Log in on JupyterHub's login form and follow the hub's redirects (the OAuth handshake
    with the user's server) to a page of `name`'s server; returns that page's URL."""
    browser.open(f"{hub.url}/hub/login?next=/user/{name}/")
    browser.submit_form(username=name, password=name)
    return landed(browser, hub.user_url(name), "JupyterHub's login and OAuth redirects")


def landed(browser: Browser, prefix: str, how: str) -> str:
    """The URL `how` led to, which must be a page under `prefix` that set an `_xsrf` cookie."""
    url = browser.url
    assert url.startswith(prefix), f"{how} led to {url}, not under {prefix}: {browser.text()[:500]}"
    assert browser.cookie("_xsrf"), f"{how} led to {url} without an _xsrf cookie"
    return url
