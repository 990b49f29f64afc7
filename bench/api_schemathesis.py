"""The API against its OpenAPI schema with the schemathesis command, as an API client's author
would run it: every check, against gunicorn serving the whole corpus (issue 12's figures).

    .venv/bin/python bench/api_schemathesis.py [--max-examples 200] [--max-time 600]

Serves the corpus in transcripts/ from a fresh archive (gunicorn, 2 workers), then runs
`schemathesis run URL/api/openapi.json --checks all` (examples, coverage, fuzzing and stateful
phases, valid and invalid requests). The test suite runs a smaller version of this against the
WSGI app (tests/test_api_schema.py). Writes the "API conformance" section of bench/RESULTS.md
and the key "api_schemathesis" of bench/results.json.
"""

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

from results_file import update_json, write_section
from server import archive

ROOT = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=ROOT / "transcripts")
    parser.add_argument("--max-examples", type=int, default=200, help="examples per operation and phase")
    parser.add_argument("--max-time", type=int, default=600, help="seconds for the whole schemathesis run")
    args = parser.parse_args()
    with archive(sorted(args.corpus.glob("*/*.txt")), workers=2) as (url, env):
        command = [
            str(Path(sys.executable).with_name("schemathesis")), "run", f"{url}/api/openapi.json", "--checks", "all",
            "--max-examples", str(args.max_examples), "--max-time", str(args.max_time), "--workers", "1",
            "--no-color", "--seed", "12",
        ]  # fmt: skip
        started = time.monotonic()
        result = subprocess.run(command, capture_output=True, text=True)
        seconds = time.monotonic() - started
    out = result.stdout
    print(out[-4000:], result.stderr[-2000:])
    cases = re.search(r"(\d+) generated, (.*)", out)
    failures = re.search(r"(\d+) unique failures?", out)
    scenarios = re.search(r"Scenarios:\s+(\d+)", out)
    figures = {
        "cases": int(cases.group(1)) if cases else None,
        "outcome": cases.group(2).strip() if cases else out[-300:],
        "unique_failures": int(failures.group(1)) if failures else 0,
        "stateful_scenarios": int(scenarios.group(1)) if scenarios else 0,
        "exit_code": result.returncode,
        "seconds": round(seconds),
        "max_examples": args.max_examples,
    }
    update_json({"api_schemathesis": figures})
    row = " | ".join(str(figures[name]) for name in ("cases", "outcome", "unique_failures", "stateful_scenarios"))
    write_section(
        "## API conformance (`bench/api_schemathesis.py`)",
        f"""
`.venv/bin/python bench/api_schemathesis.py --max-examples {args.max_examples}` ({time.strftime("%Y-%m-%d")}):
schemathesis 4.32.5, `--checks all --max-time {args.max_time}` (the stateful phase runs until that budget is
spent), against gunicorn (2 workers) serving the whole corpus, seed 12.

| cases | outcome | unique failures | stateful scenarios | exit code | seconds |
|---|---|---|---|---|---|
| {row} | {figures["exit_code"]} | {figures["seconds"]} |
""",
    )
    sys.exit(result.returncode)


if __name__ == "__main__":
    main()
