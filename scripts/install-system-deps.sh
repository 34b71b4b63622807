#!/usr/bin/env bash
# System packages the test suite needs beyond PyPI: a virtual X server and Qt's xcb libraries
# (real windows for the desktop tests), CJK and Thai fonts (Chinese UI; the sandbox customers
# write in Chinese, Japanese and Thai too: no boxes in the screenshots), ImageMagick (screenshots)
# PostgreSQL (the team server's PostgreSQL tests) and binutils (the Linux bundle's build). Debian/Ubuntu only; elsewhere it says what
# to install and carries on, and the tests that need a missing piece are reported as skipped.
set -euo pipefail

packages=(
  xvfb xauth libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxcb-image0 libxcb-render-util0
  libxcb-xkb1 libxkbcommon-x11-0 libxcb-shape0 libxcb-randr0 libxcb-xinerama0 libegl1 libgl1
  libnss3 libxcomposite1 libxdamage1 libxrandr2 libxtst6 libxkbfile1 libasound2
  fonts-noto-cjk fonts-tlwg-loma imagemagick postgresql
  binutils  # objdump: PyInstaller reads the libraries' dependencies (tests/installer)
)

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-system-deps: not a Debian-like system; install by hand: ${packages[*]}" >&2
  exit 0
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

sudo=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "install-system-deps: need root to install: ${missing[*]}" >&2
    exit 1
  fi
fi
echo "install-system-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
