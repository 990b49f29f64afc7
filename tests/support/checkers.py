"""The third-party checkers that tests and benchmarks run on what the archive serves: jing with
RFC 4287's RELAX NG schema for the Atom feeds, the Nu HTML Checker (vnu.jar, from npm) for pages,
and axe-core (npm) for accessibility in the browser. .ci/run installs them (jing and a Java
runtime from Debian, the npm packages with `npm ci`); locally a test without its tool is skipped."""

import json
import os
import shutil
import subprocess
from pathlib import Path

from tests.support import ROOT

ATOM_SCHEMA = Path(__file__).with_name("atom.rnc")  # RFC 4287 Appendix B, see its header
NODE_MODULES = ROOT / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_SCRIPT = NODE_MODULES / "axe-core" / "axe.min.js"


def require(available, what):
    """Skip the calling test when a checker is missing, except in CI, where that is a failure."""
    import pytest

    if available:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing: .ci/run installs it")
    pytest.skip(f"{what} is not installed (.ci/run installs it)")


def have_jing():
    return shutil.which("jing") is not None


def have_vnu():
    return shutil.which("java") is not None and VNU_JAR.is_file()


def jing(paths):
    """jing's complaints about Atom documents (none: valid by RFC 4287's schema)."""
    result = subprocess.run(
        ["jing", "-c", str(ATOM_SCHEMA), *map(str, paths)], capture_output=True, text=True, timeout=120
    )
    return [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]


def vnu(paths):
    """The Nu HTML Checker's messages about HTML files, in one Java start: [{type, url, message, ...}]."""
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--format", "json", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    return json.loads(result.stderr or '{"messages": []}')["messages"]
