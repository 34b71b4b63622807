"""A built wheel carries what the app reads at run time, and an install finds its own copy."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the source tree to build from (the checkout stays untouched)."""
    tree = tmp_path_factory.mktemp("tree")
    for name in ("pyproject.toml", "setup.py", "README.md", "MANIFEST.in"):
        shutil.copy2(ROOT / name, tree / name)
    for name in ("resources", "translations"):
        shutil.copytree(ROOT / name, tree / name, ignore=shutil.ignore_patterns("*.qm"))
    shutil.copytree(
        ROOT / "src" / "relaydesk",
        tree / "src" / "relaydesk",
        ignore=shutil.ignore_patterns("__pycache__", "_shipped"),
    )
    return tree


@pytest.fixture(scope="module")
def wheel(tree: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel pip builds from the tree."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(out), str(tree)],
        check=True,
        timeout=240,
    )
    (built,) = out.glob("relaydesk-*.whl")
    return built


def test_the_wheel_carries_recipes_icons_themes_sandbox_and_compiled_chinese(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = "relaydesk/_shipped/"
    expected = {
        f"{shipped}resources/recipes/_common/common.js",
        f"{shipped}resources/recipes/whatsapp/recipe.js",
        f"{shipped}resources/icons/relaydesk.svg",
        f"{shipped}resources/icons/telegram.svg",
        f"{shipped}resources/desktop/light.qss",
        f"{shipped}resources/desktop/dark.qss",
        f"{shipped}resources/sandbox/pages/whatsapp.html",
        f"{shipped}resources/sandbox/static/sandbox.js",
        f"{shipped}translations/relaydesk_zh_CN.ts",
        f"{shipped}translations/relaydesk_zh_CN.qm",
    }
    assert expected <= names, sorted(expected - names)
    every_source = {
        f"{shipped}{path.relative_to(ROOT).as_posix()}"
        for folder in ("resources", "translations")
        for path in (ROOT / folder).rglob("*")
        if path.is_file() and path.suffix != ".qm" and "__pycache__" not in path.parts
    }
    assert every_source <= names, sorted(every_source - names)[:5]
    qm = zipfile.ZipFile(wheel).read(f"{shipped}translations/relaydesk_zh_CN.qm")
    assert qm[:16] == bytes.fromhex("3cb86418caef9c95cd211cbf60a1bddd")  # Qt's .qm magic
    assert "添加账号".encode("utf-16-be") in qm  # the translations are compiled in


def test_a_wheel_built_from_the_sdist_carries_them_too(
    tree: Path, wheel: Path, tmp_path: Path
) -> None:
    """``python -m build`` (and pip installing from an sdist) builds the wheel from the sdist."""
    out = tmp_path / "sdist"
    subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--no-isolation", "-o", str(out), str(tree)],
        check=True, timeout=240, capture_output=True,
    )
    (sdist,) = out.glob("relaydesk-*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {"setup.py", "resources/recipes/_common/common.js",
            "translations/relaydesk_zh_CN.ts"} <= names
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(out), str(sdist)],
        check=True, timeout=240,
    )
    (again,) = out.glob("relaydesk-*.whl")
    assert set(zipfile.ZipFile(again).namelist()) == set(zipfile.ZipFile(wheel).namelist())


def test_an_install_reads_its_own_copy_and_loads_the_precompiled_translation(
    wheel: Path, tmp_path: Path
) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
         str(wheel)],
        check=True,
        timeout=240,
    )
    probe = (
        "import relaydesk.shipped as s, relaydesk.desktop.resources as r, "
        "relaydesk.desktop.i18n as i, pathlib, sys;"
        "print(s.__file__); print(r.ICONS); print(r.THEMES / 'dark.qss');"
        "print(i.ready_translation('zh_CN', pathlib.Path(sys.argv[1])))"
    )
    env = {**os.environ, "PYTHONPATH": str(target), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path / "empty-cache")],
        capture_output=True, text=True, env=env, timeout=120, check=True, cwd=tmp_path,
    )
    module, icons, qss, qm = done.stdout.split("\n")[:4]
    site = target.resolve()
    assert Path(module).resolve().is_relative_to(site)
    assert Path(icons).resolve().is_relative_to(site) and (Path(icons) / "web.svg").is_file()
    assert Path(qss).is_file()
    assert qm != "None" and Path(qm).resolve().is_relative_to(site)  # no lrelease at run time
