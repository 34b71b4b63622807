; Inno Setup 6 script of the Windows installer; installer\windows\build.ps1 runs it with
; /DAppVersion=<version> after PyInstaller has made dist\relaydesk\.
; Per-user install by default (no administrator rights needed); the uninstaller removes the
; program and its shortcuts, and asks whether to remove the accounts and data as well.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif

[Setup]
AppId={{6B0F3C51-2E0B-4C8E-9F31-8D2D6A7C4E10}
AppName=Relaydesk
AppVersion={#AppVersion}
AppPublisher=Relaydesk
DefaultDirName={autopf}\Relaydesk
DefaultGroupName=Relaydesk
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=Relaydesk-{#AppVersion}-setup
SetupIconFile=relaydesk.ico
UninstallDisplayIcon={app}\relaydesk.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
Name: "zh_CN"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\..\dist\relaydesk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\Relaydesk"; Filename: "{app}\relaydesk.exe"
Name: "{group}\{cm:UninstallProgram,Relaydesk}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\Relaydesk"; Filename: "{app}\relaydesk.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\relaydesk.exe"; Description: "{cm:LaunchProgram,Relaydesk}"; Flags: nowait postinstall skipifsilent

[Code]
// Accounts, web profiles and the customer cache live in %LOCALAPPDATA%\Relaydesk\Relaydesk
// (platformdirs); secrets live in the Windows Credential Manager. Both stay unless the user asks.
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  DataDir: String;
begin
  if CurUninstallStep = usPostUninstall then
  begin
    DataDir := ExpandConstant('{localappdata}\Relaydesk');
    if DirExists(DataDir) and
       (MsgBox('Also remove your Relaydesk accounts, web profiles and customer cache in ' + DataDir + '?',
               mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES) then
      DelTree(DataDir, True, True, True);
  end;
end;
