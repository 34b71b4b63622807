"""The account list: order, names and ids as the agent sees them, surviving restarts and damage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from relaydesk.desktop.accounts import AccountError, AccountList


def fresh(tmp_path: Path) -> AccountList:
    return AccountList(tmp_path / "accounts.json").load()


def test_accounts_survive_a_restart_in_their_order(tmp_path: Path) -> None:
    accounts = fresh(tmp_path)
    a = accounts.add("whatsapp", "Sales")
    b = accounts.add("telegram", "Support", team_account=True)
    c = accounts.add("web", "Shop", url="https://shop.example")
    accounts.move(c.id, 0)
    again = fresh(tmp_path)
    assert [x.id for x in again] == [c.id, a.id, b.id]
    assert again.get(b.id).team_account is True
    assert again.get(c.id).url == "https://shop.example"


def test_ids_are_unique_and_safe_as_folder_names(tmp_path: Path) -> None:
    accounts = fresh(tmp_path)
    ids = {accounts.add("LINE OA/../x", f"n{i}").id for i in range(50)}
    assert len(ids) == 50
    assert all("/" not in i and ".." not in i for i in ids)


def test_rename_requires_a_name_and_keeps_the_id(tmp_path: Path) -> None:
    accounts = fresh(tmp_path)
    a = accounts.add("whatsapp", "Sales")
    assert accounts.rename(a.id, "  Sales EU ").name == "Sales EU"
    with pytest.raises(AccountError, match="needs a name"):
        accounts.rename(a.id, "   ")
    with pytest.raises(AccountError, match="never changes"):
        accounts.update(a.id, id="other")
    assert fresh(tmp_path).get(a.id).name == "Sales EU"


def test_reorder_after_a_drag_must_name_every_account(tmp_path: Path) -> None:
    accounts = fresh(tmp_path)
    a, b = accounts.add("whatsapp", "A"), accounts.add("telegram", "B")
    accounts.reorder([b.id, a.id])
    assert [x.name for x in fresh(tmp_path)] == ["B", "A"]
    with pytest.raises(AccountError, match="every account"):
        accounts.reorder([a.id])


def test_remove_forgets_the_account(tmp_path: Path) -> None:
    accounts = fresh(tmp_path)
    a, b = accounts.add("whatsapp", "A"), accounts.add("telegram", "B")
    accounts.remove(a.id)
    assert [x.id for x in fresh(tmp_path)] == [b.id]
    with pytest.raises(AccountError, match="no account"):
        accounts.get(a.id)


def test_a_damaged_file_never_stops_the_app(tmp_path: Path) -> None:
    path = tmp_path / "accounts.json"
    good = {"id": "w-1", "platform": "whatsapp", "name": "Sales"}
    path.write_text(
        json.dumps({"accounts": [good, {"id": "w-2"}, "junk", dict(good), {**good, "x": 1}]})
    )
    accounts = AccountList(path).load()
    assert [a.id for a in accounts] == ["w-1"]
    assert len(accounts.problems) == 4
    path.write_text("{not json")
    broken = AccountList(path).load()
    assert len(broken) == 0 and broken.problems


def test_a_failed_save_keeps_the_previous_file(tmp_path: Path, monkeypatch) -> None:
    accounts = fresh(tmp_path)
    accounts.add("whatsapp", "Sales")
    before = (tmp_path / "accounts.json").read_text()

    def boom(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("relaydesk.desktop.accounts.os.replace", boom)
    with pytest.raises(OSError):
        accounts.add("telegram", "Support")
    assert (tmp_path / "accounts.json").read_text() == before
    assert [p.name for p in tmp_path.iterdir()] == ["accounts.json"]


def test_delayed_saves_write_the_last_state_off_the_callers_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    path = tmp_path / "accounts.json"
    accounts = AccountList(path, save_delay_s=0.2).load()
    writers: list[str] = []
    real_write = AccountList._write

    def recording(self: AccountList, data: dict[str, object]) -> None:
        writers.append(threading.current_thread().name)
        real_write(self, data)

    monkeypatch.setattr(AccountList, "_write", recording)
    ids = [accounts.add("web", name).id for name in "ABCD"]
    for step in range(20):  # a drag moves the tab many times
        accounts.move(ids[step % 4], step % 3)
    assert not path.exists()  # nothing written while the changes keep coming
    done = threading.Event()
    for _ in range(100):
        if path.exists():
            break
        done.wait(0.05)
    assert [a.id for a in AccountList(path).load()] == [a.id for a in accounts]
    assert len(writers) == 1 and writers[0] != threading.main_thread().name
    accounts.rename(ids[0], "Alpha")
    accounts.flush()  # at quit: written at once, on the caller's thread
    assert AccountList(path).load().get(ids[0]).name == "Alpha"
    assert writers[-1] == threading.main_thread().name


def test_the_spellcheck_language_is_a_dictionary_code_or_off(tmp_path: Path) -> None:
    accounts = fresh(tmp_path)
    a = accounts.add("whatsapp", "Sales", spellcheck_language="de-DE")
    assert fresh(tmp_path).get(a.id).spellcheck_language == "de-DE"
    assert accounts.update(a.id, spellcheck_language=" fr ").spellcheck_language == "fr"
    assert accounts.update(a.id, spellcheck_language="").spellcheck_language == ""  # off
    with pytest.raises(AccountError, match="not a language code") as raised:
        accounts.update(a.id, spellcheck_language="english; rm -rf")
    assert raised.value.template == "%1 is not a language code such as en-US or de-DE."
    assert fresh(tmp_path).get(a.id).spellcheck_language == ""
