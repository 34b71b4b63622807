#!/usr/bin/env sh
# Installs this unpacked bundle for the current user: the program under ~/.local/opt/relaydesk,
# the command ~/.local/bin/relaydesk and a menu entry. `install.sh --uninstall` removes all three
# (your accounts and data stay; see the README for where they live and how to remove them).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
opt="$HOME/.local/opt/relaydesk"
bin="$HOME/.local/bin"
apps="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
icons="${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor/scalable/apps"

if [ "${1:-}" = "--uninstall" ]; then
  rm -rf "$opt" "$bin/relaydesk" "$apps/relaydesk.desktop" "$icons/relaydesk.svg"
  echo "Relaydesk removed (data kept under ~/.local/share/Relaydesk and ~/.config/Relaydesk)."
  exit 0
fi

mkdir -p "$opt" "$bin" "$apps" "$icons"
if [ "$here" != "$opt" ]; then
  rm -rf "$opt"
  cp -R "$here" "$opt"
fi
ln -sf "$opt/relaydesk" "$bin/relaydesk"
sed "s|^Exec=.*|Exec=$opt/relaydesk|" "$here/relaydesk.desktop" > "$apps/relaydesk.desktop"
cp "$here/relaydesk.svg" "$icons/relaydesk.svg"
echo "Relaydesk installed: run 'relaydesk' or find it in your applications menu."
