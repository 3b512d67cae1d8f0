#!/usr/bin/env bash
# One-time set-up for a fresh machine, idempotent (each step is skipped when
# its result is already present).
#   scripts/setup.sh          what building and running the binary needs
#                             (`make run`): build dependencies and a project
#                             venv with the pinned IREE tools
#   scripts/setup.sh --test   also what the tests need (`make test`)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

for_tests=0
[ "${1:-}" = "--test" ] && for_tests=1

# Building and running the binary.
debs=(cmake ninja-build g++ make pkg-config python3-venv nlohmann-json3-dev libcli11-dev
      libfmt-dev libssl-dev libcurl4-openssl-dev
      libsqlite3-dev libpq-dev)  # the benchmark history: SQLite file, PostgreSQL client
requirements=(requirements-iree.txt)
if [ $for_tests -eq 1 ]; then
  debs+=(libgtest-dev clang-format
         postgresql  # the history tests start a real server of their own
         chromium  # chromium: the e2e test opens the HTML report in a real headless browser
         clang libclang-rt-dev)  # `make fuzz`: libclang-rt-dev (libFuzzer, sanitizers) is only a Recommends of clang
  requirements+=(requirements-test.txt)
fi

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

# One stamp per requirements file, so `make run` then `make test` installs
# only what the second one adds.
venv="$root/.venv"
python=${PYTHON:-python3}
for req in "${requirements[@]}"; do
  stamp="$venv/.${req%.txt}.stamp"
  want=$(sha256sum "$req" | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    [ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
    echo "setup: installing $req into .venv"
    "$venv/bin/pip" install -q --disable-pip-version-check -r "$req"
    echo "$want" > "$stamp"
  fi
done
