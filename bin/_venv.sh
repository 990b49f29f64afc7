# Sourced by bin/serve and bin/test: make .venv with the machine's python3 and install the
# pinned requirements whenever they change. Safe to run again and again.
# $1: the requirements file: requirements.txt (what serving needs; the default) or
# requirements-dev.txt (the tests and tooling too; it includes requirements.txt).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON=${PYTHON:-python3}
requirements=${1:-requirements.txt}
if [ ! -x .venv/bin/python ]; then
  echo "Creating the virtual environment in .venv ..."
  "$PYTHON" -m venv .venv
fi
stamp=".venv/.${requirements%.txt}.sha256"
wanted=$(cat requirements.txt "$requirements" | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
  echo "Installing the pinned $requirements ..."
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"
  echo "$wanted" > "$stamp"
fi
export PATH="$PWD/.venv/bin:$PATH"
