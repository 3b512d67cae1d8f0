#!/usr/bin/env bash
# One-time set-up for a fresh machine: Debian build dependencies and the
# project-local venv with the pinned IREE tools and the test helpers.
# Idempotent: each step is skipped when its result is already present.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

debs=(cmake ninja-build g++ make pkg-config python3-venv nlohmann-json3-dev libcli11-dev
      libfmt-dev libssl-dev libcurl4-openssl-dev libgtest-dev clang-format
      chromium)  # chromium: the e2e test opens the HTML report in a real headless browser
missing=()
for d in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$d" 2>/dev/null | grep -q "install ok installed" || missing+=("$d")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

venv="$root/.venv"
stamp="$venv/.requirements.stamp"
want=$(cat requirements-iree.txt requirements-test.txt | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  python=${PYTHON:-python3}
  [ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
  echo "setup: installing pinned IREE tools and test helpers into .venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r requirements-iree.txt -r requirements-test.txt
  echo "$want" > "$stamp"
fi
