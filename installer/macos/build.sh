#!/usr/bin/env bash
# Builds dist/Relaydesk.app and dist/Relaydesk-<version>.dmg on macOS 12+ (run on the
# architecture you ship: an arm64 Mac for Apple silicon, an Intel Mac or Rosetta for x86_64).
#
#   python3 -m venv .venv && .venv/bin/pip install -e ".[installer]"
#   bash installer/macos/build.sh
#
# Signing and notarization (installer/README.md): set RELAYDESK_SIGN_IDENTITY to your
# "Developer ID Application: …" identity and RELAYDESK_NOTARY_PROFILE to a notarytool keychain
# profile; without them the app is built unsigned (fine for testing on the build Mac).
set -euo pipefail
cd "$(dirname "$0")/../.."

python=${PYTHON:-.venv/bin/python}
version=$("$python" -c 'import relaydesk; print(relaydesk.__version__)')
work=build/installer

"$python" installer/compile_translations.py "$work/qm"
QT_QPA_PLATFORM=offscreen "$python" installer/make_icons.py iconset "$work/relaydesk.iconset"
iconutil -c icns "$work/relaydesk.iconset" -o installer/macos/relaydesk.icns
RELAYDESK_QM_DIR="$PWD/$work/qm" "$python" -m PyInstaller installer/relaydesk.spec \
  --noconfirm --clean --log-level WARN --distpath dist --workpath "$work/pyinstaller"
/usr/libexec/PlistBuddy -c "Set :CFBundleShortVersionString $version" dist/Relaydesk.app/Contents/Info.plist 2>/dev/null \
  || /usr/libexec/PlistBuddy -c "Add :CFBundleShortVersionString string $version" dist/Relaydesk.app/Contents/Info.plist
/usr/libexec/PlistBuddy -c "Add :CFBundleVersion string $version" dist/Relaydesk.app/Contents/Info.plist 2>/dev/null || true

if [ -n "${RELAYDESK_SIGN_IDENTITY:-}" ]; then
  # Hardened runtime; Qt WebEngine's helper needs JIT and unsigned executable memory.
  codesign --force --deep --options runtime --timestamp \
    --entitlements installer/macos/entitlements.plist \
    --sign "$RELAYDESK_SIGN_IDENTITY" dist/Relaydesk.app
  codesign --verify --deep --strict dist/Relaydesk.app
fi

dmg="dist/Relaydesk-$version.dmg"
rm -f "$dmg"
staging="$work/dmg"
rm -rf "$staging" && mkdir -p "$staging"
cp -R dist/Relaydesk.app "$staging/"
ln -s /Applications "$staging/Applications"
hdiutil create -volname "Relaydesk $version" -srcfolder "$staging" -ov -format UDZO "$dmg"

if [ -n "${RELAYDESK_SIGN_IDENTITY:-}" ] && [ -n "${RELAYDESK_NOTARY_PROFILE:-}" ]; then
  codesign --sign "$RELAYDESK_SIGN_IDENTITY" --timestamp "$dmg"
  xcrun notarytool submit "$dmg" --keychain-profile "$RELAYDESK_NOTARY_PROFILE" --wait
  xcrun stapler staple "$dmg"
fi
echo "built dist/Relaydesk.app and $dmg"
