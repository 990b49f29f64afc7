"""Writing benchmark figures: one section per script in bench/RESULTS.md, one key per script in
bench/results.json."""

import json
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def update_json(values):
    path = BENCH / "results.json"
    data = json.loads(path.read_text()) if path.exists() else {}
    data.update(values)
    path.write_text(json.dumps(data, indent=2, sort_keys=True, default=str) + "\n")
    return data


def write_section(heading, body):
    """Replace (or append) the section of RESULTS.md that starts with heading."""
    path = BENCH / "RESULTS.md"
    text = path.read_text() if path.exists() else "# Benchmark results\n"
    section = f"{heading}\n\n{body.strip()}\n"
    if heading in text:
        before, _, rest = text.partition(heading)
        after = rest[rest.find("\n## ") :] if "\n## " in rest else ""
        text = before + section + after
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text)
