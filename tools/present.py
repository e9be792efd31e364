"""Present the decks live: a local Jupyter server that serves ``_build/`` and runs the code.

``make present`` runs this. It starts ``jupyter server`` from this interpreter (the
project's venv, where ``jaxecon`` is importable) on 127.0.0.1 with a random token and
the book's root as its root folder, so the server itself serves the built decks (same
origin: no CORS) under ``/static/`` and a page's kernel starts in the page's
folder, as at build time. The deck index opens with the token in its address; the
decks keep it for the tab, take it out of the address bar, and offer live mode (key
``E``). Nothing listens beyond this machine and nothing is fetched from the network.
Ctrl-C stops the server and its kernels.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import webbrowser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INDEX = Path("_build", "revealjs", "decks.html")
# The deck index the server serves in place of the built one: the same page, whose links
# to the decks carry the token of its own address (the built index has no scripts).
PASS_TOKEN = """<script>
(function () {
  const token = new URLSearchParams(location.search).get("token");
  if (!token) return;
  document.querySelectorAll("a.deck").forEach((a) => {
    const url = new URL(a.href);
    url.searchParams.set("token", token);
    a.href = url.href;
  });
  history.replaceState(null, "", location.pathname);
})();
</script>
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def deck_url(base: str, token: str, page: str = "revealjs/decks.html") -> str:
    """The address of a page of ``_build`` on the server, with the token the decks use."""
    return f"{base}/static/{page}?token={token}"


@contextlib.contextmanager
def serve(root: Path = ROOT, *, port: int = 0, timeout: float = 60.0):
    """Run the server while the block runs; yield ``(base_url, token)`` once it answers."""
    if not (root / INDEX).is_file():
        raise SystemExit(f"{INDEX} is missing: build the decks first (make book)")
    with tempfile.TemporaryDirectory(prefix="present-") as overlay:
        index = Path(overlay, "revealjs", "decks.html")
        index.parent.mkdir()
        index.write_text((root / INDEX).read_text(encoding="utf-8")
                         .replace("</body>", PASS_TOKEN + "</body>"), encoding="utf-8")
        process, base, token = _start(root, Path(overlay), port, timeout)
        try:
            yield base, token
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _start(root: Path, overlay: Path, port: int, timeout: float):
    token = secrets.token_hex(24)
    port = port or free_port()
    command = [
        sys.executable, "-m", "jupyter_server",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
        "--ServerApp.open_browser=False", "--ServerApp.terminals_enabled=False",
        "--ServerApp.allow_remote_access=False", "--ServerApp.allow_root=True",
        f"--ServerApp.extra_static_paths={[str(overlay), str(root / '_build')]}",
    ]
    env = {**os.environ, "XLA_PYTHON_CLIENT_PREALLOCATE": "false"}
    code = str(root / "code")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [code, env.get("PYTHONPATH")]))
    process = subprocess.Popen(command, cwd=root, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"jupyter server exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                return process, base, token
        except OSError:
            time.sleep(0.2)
    process.kill()
    process.wait()
    raise SystemExit(f"jupyter server did not answer on {base} within {timeout:.0f} s")


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-browser", action="store_true", help="print the address only")
    parser.add_argument("--port", type=int, default=0,
                        help="port on 127.0.0.1 (default: a free one)")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)  # stop the server and its kernels on TERM too
    with serve(port=args.port) as (base, token):
        url = deck_url(base, token)
        print(f"\nDecks, live (press E in a deck): {url}\nCtrl-C stops the server.\n",
              flush=True)
        if not args.no_browser:
            webbrowser.open(url)
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)
    return 0


if __name__ == "__main__":
    sys.exit(main())
