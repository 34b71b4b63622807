"""The committed Simplified Chinese translation covers every UI string of the desktop.

lupdate (the tool translators use) extracts the strings from the sources into a temporary file;
each must be in ``translations/relaydesk_zh_CN.ts`` with a finished translation that keeps the
placeholders. After adding UI strings, run the lupdate step of docs/desktop.md and translate.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DESKTOP = ROOT / "src" / "relaydesk" / "desktop"
COMMITTED = ROOT / "translations" / "relaydesk_zh_CN.ts"
PLACEHOLDER = re.compile(r"%\d|\{\w+\}")


def lupdate_tool() -> str:
    import PySide6

    bundled = Path(PySide6.__file__).parent / "lupdate"
    found = str(bundled) if bundled.is_file() else shutil.which("pyside6-lupdate")
    if found is None:
        pytest.fail("pyside6-lupdate is missing (it ships with PySide6)")
    return found


def messages(path: Path) -> dict[tuple[str, str], tuple[str, bool]]:
    """(context, source) → (translation, finished) of a .ts file."""
    found: dict[tuple[str, str], tuple[str, bool]] = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            text = translation.text or ""
            finished = translation.get("type") not in ("unfinished", "obsolete", "vanished")
            found[(name, message.findtext("source") or "")] = (text, finished and bool(text))
    return found


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], object]:
    """What lupdate finds in the desktop's sources now."""
    target = tmp_path_factory.mktemp("lupdate") / "relaydesk_zh_CN.ts"
    sources = sorted(str(path) for path in DESKTOP.glob("*.py"))
    subprocess.run(
        [lupdate_tool(), "-silent", *sources, "-ts", str(target)],
        check=True,
        timeout=120,
        capture_output=True,
    )
    return dict(messages(target))


def test_lupdate_finds_the_desktops_strings(extracted) -> None:  # type: ignore[no-untyped-def]
    contexts = {context for context, _ in extracted}
    assert {"MainWindow", "AppSettings", "SecretStore", "AccountError", "SecretsBox"} <= contexts
    assert len(extracted) > 100


def test_every_string_is_in_the_committed_translation_and_finished(extracted) -> None:  # type: ignore[no-untyped-def]
    committed = messages(COMMITTED)
    missing = sorted(key for key in extracted if key not in committed)
    unfinished = sorted(key for key in extracted if key in committed and not committed[key][1])
    assert not missing, f"{len(missing)} strings not in {COMMITTED.name}: {missing[:10]}"
    assert not unfinished, f"{len(unfinished)} untranslated: {unfinished[:10]}"


def test_translations_keep_their_placeholders() -> None:
    wrong = [
        (context, source, text)
        for (context, source), (text, finished) in messages(COMMITTED).items()
        if finished and sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text))
    ]
    assert not wrong, wrong[:5]


def test_every_declared_setting_and_secret_has_its_texts_extracted(extracted) -> None:  # type: ignore[no-untyped-def]
    from relaydesk.desktop.secrets import SECRET_FIELDS
    from relaydesk.desktop.settings import choices, describe
    from relaydesk.desktop.settings_dialog import _CHOICE_LABELS, _NATIVE_CHOICES

    wanted = set()
    for name, section, description, _default in describe():
        wanted |= {("AppSettings", section), ("AppSettings", description)}
        wanted |= {
            ("AppSettings", _CHOICE_LABELS.get(c, c))
            for c in choices(name)
            if c not in _NATIVE_CHOICES  # shown by their own name in every language
        }
    for secret in SECRET_FIELDS:
        wanted |= {("SecretStore", secret.label), ("SecretStore", secret.description)}
    absent = sorted(key for key in wanted if key not in extracted)
    assert not absent, f"add them to settings_dialog._TEXTS / secrets.py: {absent}"


# Where a text reaches Qt's translate() as a variable, lupdate cannot see it: each of these
# places gets its texts from literals lupdate reads elsewhere (declared beside them, checked
# above). A new wrapper such as ``def _tr(text): return translate(CONTEXT, text)`` hides every
# string passed to it from the translators; write ``translate("Context", "literal")`` instead.
_DYNAMIC_TRANSLATE = {
    ("accounts.py", "AccountError.translated"),
    ("page_notes.py", "page_note"),
    ("secrets.py", "translated"),
    ("settings_dialog.py", "tr"),
}


def _dynamic_translations(tree: object, file: str) -> set[tuple[str, str]]:
    """(file, Class.function) of each translate() call whose text is not a literal."""
    import ast

    found: set[tuple[str, str]] = set()

    def visit(node: ast.AST, scopes: tuple[str, ...]) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            scopes = (*scopes, node.name)
        if isinstance(node, ast.Call) and len(node.args) >= 2:
            func = node.func
            is_qt = (isinstance(func, ast.Attribute) and func.attr == "translate"
                     and ast.unparse(func.value).endswith("QCoreApplication")) or (
                isinstance(func, ast.Name) and func.id == "translate")  # fmt: skip
            text = node.args[1]
            if is_qt and not (isinstance(text, ast.Constant) and isinstance(text.value, str)):
                found.add((file, ".".join(scopes)))
        for child in ast.iter_child_nodes(node):
            visit(child, scopes)

    visit(tree, ())  # type: ignore[arg-type]
    return found


def test_no_new_wrapper_hides_texts_from_lupdate() -> None:
    import ast

    found: set[tuple[str, str]] = set()
    for path in sorted(DESKTOP.glob("*.py")):
        found |= _dynamic_translations(ast.parse(path.read_text(encoding="utf-8")), path.name)
    hidden = sorted(found - _DYNAMIC_TRANSLATE)
    assert not hidden, f"texts lupdate cannot see (translate() given a variable): {hidden}"
