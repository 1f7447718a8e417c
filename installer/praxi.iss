; Inno Setup script: per-user installer of the PyInstaller bundle dist\praxi\ (no admin rights).
; Build (after `uv run python installer/build.py`), from the repository root:
;   iscc /DAppVersion=0.1.0 installer\praxi.iss      → dist\installer\PraxiApp-Setup-0.1.0.exe
; The program goes to %LOCALAPPDATA%\Programs\PraxiApp; the data (database, secret, logs) lives
; in %LOCALAPPDATA%\PraxiApp and is kept or removed on uninstall as the user chooses.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "PraxiApp"
#define AppExe "praxi.exe"

[Setup]
; A fixed AppId keeps upgrades and the uninstaller entry together; never change it.
AppId={{6C1F4B8E-3F7A-4C52-9D0E-8A2B5E7C41D3}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=PraxiApp
DefaultDirName={localappdata}\Programs\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\dist\installer
OutputBaseFilename=PraxiApp-Setup-{#AppVersion}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
; The app (and its server child and PostgreSQL) must not run while files are replaced.
CloseApplications=yes

[Languages]
Name: "german"; MessagesFile: "compiler:Languages\German.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\dist\praxi\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
{ After the program files are removed: ask whether the practice data should go too.
  Silent uninstalls (/SILENT, /VERYSILENT) always keep the data. }
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  DataDir: String;
begin
  if CurUninstallStep = usPostUninstall then
  begin
    DataDir := ExpandConstant('{localappdata}\{#AppName}');
    if DirExists(DataDir) and not UninstallSilent() then
    begin
      if MsgBox('Sollen auch die Praxisdaten (Datenbank, Sicherungen, Einstellungen) in' + #13#10 +
                DataDir + #13#10 + 'gelöscht werden?' + #13#10#13#10 +
                'Wählen Sie "Nein", um die Daten für eine spätere Installation zu behalten.',
                mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES then
      begin
        if not DelTree(DataDir, True, True, True) then
          MsgBox('Der Ordner ' + DataDir + ' konnte nicht vollständig gelöscht werden.',
                 mbError, MB_OK);
      end;
    end;
  end;
end;
