#!/usr/bin/env python3
"""browser.py - renders a local HTML file in headless Chromium through the
DevTools protocol (--remote-debugging-pipe: no network port, no websocket
library), for tests/e2e/t_reports.sh.

    browser.py CHROMIUM PAGE.html SCREENSHOT.png RESULT.json

Loads the page, waits for the load event and a quiet moment, evaluates a
probe in the page (every element with a data-zone attribute and its SVG
maps: rendered size, drawn paths and circles with a non-empty box, their
computed fill per class), takes
a full-page screenshot, and writes RESULT.json:

    {"errors": [...], "requests": [...], "probe": {...}}

errors: console.error/assert calls, uncaught exceptions, and log entries of
level error (failed loads among them); requests: every URL the page asked
for that is not the page itself or a data: URL. Exit status 0 when the page
was rendered (whatever it logged), 2 when Chromium could not be driven.
"""
import base64
import json
import os
import subprocess
import sys
import tempfile
import time

PROBE = r"""
(() => {
  const box = (e) => { const r = e.getBoundingClientRect(); return [r.width, r.height]; };
  const zones = [...document.querySelectorAll('[data-zone]')].map((s) => ({
    zone: s.getAttribute('data-zone'),
    id: s.id,
    maps: [...s.querySelectorAll('svg.map')].map((m) => {
      const [w, h] = box(m);
      const shapes = [...m.querySelectorAll('path, circle')].filter((p) => !p.closest('g.north'));
      const drawn = shapes.filter((p) => { const b = p.getBBox(); return b.width > 0 || b.height > 0; });
      return { cls: m.getAttribute('class'), width: w, height: h, shapes: shapes.length,
               drawn: drawn.length,
               rules: [...new Set(shapes.map((p) => p.getAttribute('class')))].sort(),
               fills: Object.fromEntries(shapes.map((p) => [p.getAttribute('class'),
                                                            getComputedStyle(p).fill])),
               legend: m.querySelectorAll('g.legend text').length,
               scalebar: m.querySelectorAll('g.scalebar').length,
               north: m.querySelectorAll('g.north').length,
               crs: (m.querySelector('text.crs') || {}).textContent || '' };
    }),
    tables: s.querySelectorAll('table').length,
  }));
  return JSON.stringify({
    title: document.title, lang: document.documentElement.lang,
    verdict: (document.getElementById('verdict') || {}).textContent || '',
    scripts: document.scripts.length,
    width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight,
    viewport: window.innerWidth,
    zones: zones,
  });
})()
"""


class Pipe:
    """The DevTools pipe: NUL-terminated JSON messages on fds 3 (to Chromium)
    and 4 (from Chromium)."""

    def __init__(self, write_fd, read_fd):
        self.w = os.fdopen(write_fd, "wb", buffering=0)
        self.r = os.fdopen(read_fd, "rb", buffering=0)
        self.buf = b""
        self.next_id = 0
        self.events = []

    def send(self, method, params=None, session=None):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        self.w.write(json.dumps(msg).encode() + b"\0")
        return self.next_id

    def read(self):
        while b"\0" not in self.buf:
            chunk = self.r.read(1 << 16)
            if not chunk:
                raise EOFError("Chromium closed the DevTools pipe")
            self.buf += chunk
        raw, self.buf = self.buf.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method, params=None, session=None, timeout=60):
        want = self.send(method, params, session)
        deadline = time.time() + timeout
        while time.time() < deadline:
            msg = self.read()
            if msg.get("id") == want:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            self.events.append(msg)
        raise TimeoutError(method)

    def wait_event(self, name, timeout=60):
        deadline = time.time() + timeout
        for i, e in enumerate(self.events):
            if e.get("method") == name:
                del self.events[i]
                return e
        while time.time() < deadline:
            msg = self.read()
            if msg.get("method") == name:
                return msg
            self.events.append(msg)
        raise TimeoutError(name)


def main():
    chromium, page, shot, result = sys.argv[1:5]
    url = "file://" + os.path.abspath(page)
    profile = tempfile.mkdtemp(prefix="hegui-chromium-")
    to_chrome_r, to_chrome_w = os.pipe()
    from_chrome_r, from_chrome_w = os.pipe()

    def plumb():
        os.dup2(to_chrome_r, 3)
        os.dup2(from_chrome_w, 4)

    args = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-extensions", "--hide-scrollbars",
            "--host-resolver-rules=MAP * ~NOTFOUND",  # no name resolves: never the network
            "--user-data-dir=" + profile, "--remote-debugging-pipe", "--window-size=1280,1600",
            "about:blank"]
    proc = subprocess.Popen(args, pass_fds=(3, 4), preexec_fn=plumb, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    os.close(to_chrome_r)
    os.close(from_chrome_w)
    pipe = Pipe(to_chrome_w, from_chrome_r)
    errors, requests = [], []
    try:
        target = pipe.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = pipe.call("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            pipe.call(domain + ".enable", session=session)
        pipe.call("Emulation.setDeviceMetricsOverride",
                  {"width": 1280, "height": 1600, "deviceScaleFactor": 1, "mobile": False},
                  session=session)
        pipe.call("Page.navigate", {"url": url}, session=session)
        pipe.wait_event("Page.loadEventFired")
        time.sleep(0.5)  # late console messages and failed loads
        probe = json.loads(pipe.call("Runtime.evaluate", {"expression": PROBE,
                                                          "returnByValue": True},
                                     session=session)["result"]["value"])
        metrics = pipe.call("Page.getLayoutMetrics", session=session)
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        width, height = int(size["width"]), int(min(size["height"], 16000))
        png = pipe.call("Page.captureScreenshot",
                        {"format": "png", "captureBeyondViewport": True,
                         "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}},
                        session=session)["data"]
        with open(shot, "wb") as f:
            f.write(base64.b64decode(png))
        for e in pipe.events:
            m, p = e.get("method"), e.get("params", {})
            if m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                errors.append("console." + p["type"] + ": " +
                              " ".join(str(a.get("value", a.get("description", "")))
                                       for a in p.get("args", [])))
            elif m == "Runtime.exceptionThrown":
                d = p.get("exceptionDetails", {})
                errors.append("exception: " + d.get("text", "") + " " +
                              str(d.get("exception", {}).get("description", "")))
            elif m == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
                errors.append("log: " + p["entry"].get("text", "") + " " +
                              p["entry"].get("url", ""))
            elif m == "Network.loadingFailed":
                errors.append("load failed: " + p.get("errorText", ""))
            elif m == "Network.requestWillBeSent":
                u = p.get("request", {}).get("url", "")
                if u != url and not u.startswith("data:"):
                    requests.append(u)
    except Exception as exc:  # noqa: BLE001 - reported, then exit 2
        print(f"browser.py: {exc}", file=sys.stderr)
        proc.kill()
        return 2
    finally:
        try:
            pipe.send("Browser.close")
        except OSError:
            pass
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        subprocess.run(["rm", "-rf", profile], check=False)
    with open(result, "w", encoding="utf-8") as f:
        json.dump({"errors": errors, "requests": requests, "probe": probe}, f, ensure_ascii=False,
                  indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
