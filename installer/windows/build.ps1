# Builds the Windows installer: dist\relaydesk\ (PyInstaller) and dist\Relaydesk-<version>-setup.exe
# (Inno Setup 6: start-menu entry, optional desktop icon, uninstaller in "Apps & features").
#
#   py -3.12 -m venv .venv
#   .venv\Scripts\pip install -e ".[installer]"
#   powershell -ExecutionPolicy Bypass -File installer\windows\build.ps1
#
# Needs Inno Setup 6 (https://jrsoftware.org/isinfo.php; ISCC.exe on PATH or in its default
# folder). Sign the executables and the setup with signtool before shipping (see installer/README.md).
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..\..")

$python = if ($env:PYTHON) { $env:PYTHON } else { ".venv\Scripts\python.exe" }
$version = & $python -c "import relaydesk; print(relaydesk.__version__)"
$work = "build\installer"

& $python installer\compile_translations.py "$work\qm"
if ($LASTEXITCODE) { throw "compiling the translations failed" }
$env:QT_QPA_PLATFORM = "offscreen"
& $python installer\make_icons.py ico installer\windows\relaydesk.ico
if ($LASTEXITCODE) { throw "rendering the icon failed" }
$env:RELAYDESK_QM_DIR = (Resolve-Path "$work\qm").Path
& $python -m PyInstaller installer\relaydesk.spec --noconfirm --clean --log-level WARN `
  --distpath dist --workpath "$work\pyinstaller"
if ($LASTEXITCODE) { throw "PyInstaller failed" }

$iscc = (Get-Command ISCC.exe -ErrorAction SilentlyContinue).Source
if (-not $iscc) { $iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe" }
& $iscc "/DAppVersion=$version" installer\windows\relaydesk.iss
if ($LASTEXITCODE) { throw "Inno Setup failed" }
Write-Host "built dist\relaydesk and dist\Relaydesk-$version-setup.exe"
