"""A throwaway archive served by gunicorn on 127.0.0.1, for the soak and load benchmarks."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(data_dir, **extra):
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "SEARCH_URL")}
    env.update(
        ARCHIVE_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="archive.settings",
        SECRET_KEY="bench-" + "k" * 60,
        ALLOWED_HOSTS="127.0.0.1",
        **extra,
    )
    return env


def manage(env, *args, check=True):
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if check and result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


@contextlib.contextmanager
def archive(files, workers=2, access_log=False, **extra_env):
    """Yields (base URL, env): a fresh archive with these transcripts, served by gunicorn."""
    with tempfile.TemporaryDirectory(prefix="bench-server-") as data_dir:
        env = environment(data_dir, **extra_env)
        folder = Path(data_dir) / "transcripts"
        folder.mkdir()
        for path in files:
            (folder / path.name).write_bytes(path.read_bytes())
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "ingest", str(folder))
        manage(env, "collectstatic", "--noinput", "-v0")
        port = free_port()
        server_env = dict(
            env,
            GUNICORN_BIND=f"127.0.0.1:{port}",
            GUNICORN_WORKERS=str(workers),
            GUNICORN_ACCESS_LOG="-" if access_log else "",
        )
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "archive/gunicorn.conf.py", "archive.wsgi:application"],
            cwd=ROOT,
            env=server_env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(200):
                try:
                    urllib.request.urlopen(url + "/healthz", timeout=2)
                    break
                except OSError:
                    time.sleep(0.1)
            yield url, env
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
