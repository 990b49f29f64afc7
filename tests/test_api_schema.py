"""The API against its own OpenAPI schema, with schemathesis generating the requests (valid and
invalid ones): no server error, no status or content type the schema does not document, every
response body conforming. Requests go straight to the WSGI app; no server is started.
ARCHIVE_API_EXAMPLES sets the examples per operation (60; bench/api_schemathesis.py runs the
schemathesis command against gunicorn and the whole corpus for the figures)."""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from archive.wsgi import application

# Loaded here, not at every start of pytest (pyproject.toml names the plugins); tests/conftest.py
# leaves this module out of runs without slow tests.
pytest_plugins = ["schemathesis.pytest.plugin"]

# Loaded when the module is collected (the schema itself needs no database); schemathesis's
# lazy `from_fixture` does not run under pytest 9.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture(autouse=True)
def archive_data(reference_event, awkward_event):
    """Something to find: the reference transcript and an event whose turns name no speaker."""


@pytest.fixture(autouse=True)
def keep_the_test_database_open():
    """What Django's test client does around each request: the WSGI handler would otherwise
    close the connection that holds the test's transaction."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=int(os.environ.get("ARCHIVE_API_EXAMPLES", "60")),
    deadline=None,
    derandomize=True,  # the same cases on every run: the test is deterministic
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@pytest.mark.django_db
@pytest.mark.slow
def test_api_conforms_to_its_schema(case):
    case.call_and_validate()
