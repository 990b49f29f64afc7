"""Test settings: the real settings with a throwaway data directory and a fast password hasher.

haystack reads HAYSTACK_CONNECTIONS once at start-up, so the temporary index path is fixed
here, before the real settings module is imported, and never overridden inside a test.
"""

import os
import tempfile

os.environ["ARCHIVE_DATA_DIR"] = tempfile.mkdtemp(prefix="archive-test-")
# DATABASE_URL is kept: Django's test runner makes its own test database on that server.
os.environ.pop("SEARCH_URL", None)

from archive.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ARCHIVE_INDEX_IN_BACKGROUND = False  # deterministic: edits reach the index before the response
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not shared-cache memory, so that tests with several threads (overlapping index
    # writers) see the locking and WAL behaviour of the real database.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}  # noqa: F405
# Tests render templates without running collectstatic first.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
