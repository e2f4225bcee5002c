"""The nginx configuration we recommend in front of gunicorn, rendered with its port and
upstream, and a way to run it (the load test, the slow-client demonstration and tests).

    python -m quiz.deploy.nginx --listen 80 --upstream 127.0.0.1:8000 \\
        > /etc/nginx/sites-available/quiz        # Debian's nginx: the site only
    python -m quiz.deploy.nginx --standalone --prefix /tmp/quiz-nginx ...   # a whole nginx.conf
    python -m quiz.deploy.nginx --upstream 10.0.0.11:8000 10.0.0.12:8000  # two app nodes
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def find_nginx() -> str | None:
    """Debian installs nginx in /usr/sbin, which is not on every user's PATH."""
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None
    )


def render_site(listen: str, upstream: str | list[str]) -> str:
    """The site, proxying to ``upstream``: one gunicorn's BIND, or several (app nodes)."""
    upstreams = [upstream] if isinstance(upstream, str) else list(upstream)
    servers = "\n    ".join(f"server {u};" for u in upstreams)
    text = (HERE / "site.conf").read_text()
    return text.replace("{{listen}}", listen).replace("{{servers}}", servers)


def render_standalone(listen: str, upstream: str | list[str], prefix: str) -> str:
    site = "\n".join(
        ("    " + line) if line else "" for line in render_site(listen, upstream).splitlines()
    )
    # As root, nginx's workers drop to an unprivileged user: name one that exists on Debian.
    user = "user nobody nogroup;" if os.geteuid() == 0 else ""
    text = (HERE / "standalone.conf").read_text()
    return text.replace("{{user}}", user).replace("{{prefix}}", prefix).replace("{{site}}", site)


class Nginx:
    """nginx in the foreground with the standalone configuration, for as long as the
    ``with`` block lasts; ``Nginx(listen_port, "127.0.0.1:8000")``."""

    def __init__(self, port: int, upstream: str | list[str], binary: str | None = None):
        self.port = port
        self.upstream = upstream
        self.binary = binary or find_nginx()
        if self.binary is None:
            raise FileNotFoundError("nginx is not installed (apt-get install nginx)")
        self.prefix = ""
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Nginx:
        # Under /tmp and world-readable: nginx's workers run as nobody when started as root.
        self.prefix = tempfile.mkdtemp(prefix="quiz-nginx-")
        os.chmod(self.prefix, 0o755)
        conf = Path(self.prefix) / "nginx.conf"
        conf.write_text(render_standalone(f"127.0.0.1:{self.port}", self.upstream, self.prefix))
        args = [self.binary, "-p", self.prefix, "-e", f"{self.prefix}/error.log", "-c", str(conf)]
        checked = subprocess.run([*args, "-t", "-q"], capture_output=True, text=True)
        if checked.returncode != 0:
            raise RuntimeError(f"nginx -t failed: {checked.stderr}")
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited: {self.process.stderr.read().decode()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"nginx did not listen on port {self.port}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # SIGTERM: fast shutdown of master and workers
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        if self.prefix:
            shutil.rmtree(self.prefix, ignore_errors=True)

    def __exit__(self, *exc) -> None:
        self.stop()

    def error_log(self) -> str:
        path = Path(self.prefix) / "error.log"
        return path.read_text() if path.exists() else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", default="80")
    parser.add_argument(
        "--upstream",
        default=None,
        action="extend",
        nargs="+",
        help="gunicorn's BIND; several for several app nodes",
    )
    parser.add_argument("--standalone", action="store_true", help="a whole nginx.conf")
    parser.add_argument("--prefix", default="/var/lib/quiz-nginx")
    o = parser.parse_args()
    o.upstream = o.upstream or ["127.0.0.1:8000"]
    if o.standalone:
        print(render_standalone(o.listen, o.upstream, o.prefix))
    else:
        print(render_site(o.listen, o.upstream))


if __name__ == "__main__":
    main()
