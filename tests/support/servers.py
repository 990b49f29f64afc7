"""Throwaway processes of the real thing: `manage.py` commands and gunicorn with the
repository's configuration on a free port of 127.0.0.1, for the serving tests and the soak and
load benchmarks. Every server started here is stopped by its context manager."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from tests.support import ROOT


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(data_dir, **extra):
    """The caller's environment with the real settings on a data folder of its own (never the
    test run's database or index, nor a PostgreSQL server the test run uses)."""
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "SEARCH_URL")}
    env.update(ARCHIVE_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="archive.settings", **extra)
    return env


def manage(env, *args, check=True):
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if check and result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def wait_for(url, attempts=200):
    for _ in range(attempts):
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer")


@contextlib.contextmanager
def gunicorn(env, workers=2, access_log=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL):
    """Yields the base URL of gunicorn serving the archive that env points at (workers=None:
    gunicorn.conf.py's default, as bin/serve runs it)."""
    port = free_port()
    server_env = dict(env, GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_ACCESS_LOG="-" if access_log else "")
    server_env.pop("GUNICORN_WORKERS", None)
    if workers is not None:
        server_env["GUNICORN_WORKERS"] = str(workers)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "archive/gunicorn.conf.py", "archive.wsgi:application"],
        cwd=ROOT,
        env=server_env,
        stdout=stdout,
        stderr=stderr,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(url + "/healthz")
        yield url
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
