#!/usr/bin/env bash
# Builds the Linux bundle: dist/relaydesk/ (run dist/relaydesk/relaydesk) and a tarball
# dist/relaydesk-<version>-linux-<arch>.tar.gz with a .desktop entry and an install script.
# Needs the project's venv with the desktop extra and PyInstaller (scripts/bootstrap.sh makes it).
set -euo pipefail
cd "$(dirname "$0")/../.."

python=${PYTHON:-.venv/bin/python}
out=${RELAYDESK_DIST:-dist}
work=${RELAYDESK_BUILD:-build/installer}
version=$("$python" -c 'import relaydesk; print(relaydesk.__version__)')
arch=$(uname -m)

"$python" installer/compile_translations.py "$work/qm"
RELAYDESK_QM_DIR="$work/qm" "$python" -m PyInstaller installer/relaydesk.spec \
  --noconfirm --clean --log-level WARN --distpath "$out" --workpath "$work/pyinstaller"

cp installer/linux/relaydesk.desktop installer/linux/install.sh "$out/relaydesk/"
cp resources/icons/relaydesk.svg "$out/relaydesk/relaydesk.svg"
tarball="$out/relaydesk-$version-linux-$arch.tar.gz"
tar -C "$out" -czf "$tarball" relaydesk
echo "built $out/relaydesk and $tarball"
