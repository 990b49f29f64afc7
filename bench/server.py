"""A throwaway archive served by gunicorn on 127.0.0.1, for the soak and load benchmarks."""

import contextlib
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.servers import environment, gunicorn, manage  # noqa: E402


@contextlib.contextmanager
def archive(files, workers=2, access_log=False, **extra_env):
    """Yields (base URL, env): a fresh archive with these transcripts, served by gunicorn."""
    with tempfile.TemporaryDirectory(prefix="bench-server-") as data_dir:
        env = environment(data_dir, SECRET_KEY="bench-" + "k" * 60, ALLOWED_HOSTS="127.0.0.1", **extra_env)
        folder = Path(data_dir) / "transcripts"
        folder.mkdir()
        for path in files:
            (folder / path.name).write_bytes(path.read_bytes())
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "ingest", str(folder))
        manage(env, "collectstatic", "--noinput", "-v0")
        with gunicorn(env, workers=workers, access_log=access_log) as url:
            yield url, env
