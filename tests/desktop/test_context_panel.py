"""The customer side panel: what the agent sees of a contact and what the quick actions do."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from relaydesk.store.repository import Store
from relaydesk.store.views import ContactCard, HistoryLine, NoteView

pytestmark = pytest.mark.qt

SEEN = datetime(2026, 11, 23, 9, tzinfo=UTC)


def _card(**changes: object) -> ContactCard:
    values: dict[str, object] = dict(
        contact_id=7, account_id="wa1", name="王芳", handle="+8613800138000",
        phone="+8613800138000", language="zh", tags=("refund", "vip-lead"), value=1200.0,
        segment="gold", vip=False, notes=(NoteView(3, 7, "prefers WeChat", SEEN),),
        first_seen=SEEN, last_seen=SEEN, previous_agent="Mei", accounts=("tg1", "wa1"),
        history=(HistoryLine("wa1", "in", "我想申请退款", SEEN),
                 HistoryLine("tg1", "out", "好的", SEEN)),
        open_conversation=True,
    )  # fmt: skip
    values.update(changes)
    return ContactCard(**values)  # type: ignore[arg-type]


@pytest.fixture
def panel(qtbot):  # type: ignore[no-untyped-def]
    from relaydesk.desktop.context_panel import ContactCardPanel

    widget = ContactCardPanel()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_no_customer_shows_an_empty_state(panel) -> None:  # type: ignore[no-untyped-def]
    assert panel.empty.isVisible() and not panel.details.isVisible()


def test_the_card_shows_who_the_customer_is(panel) -> None:  # type: ignore[no-untyped-def]
    panel.show_card(_card())
    assert panel.name.text() == "王芳"
    assert panel.fields["language"].text() == "zh"
    assert panel.fields["tags"].text() == "refund, vip-lead"
    assert panel.fields["value"].text() == "1200 · gold"
    assert panel.fields["previous_agent"].text() == "Mei"
    assert panel.fields["accounts"].text() == "tg1, wa1"
    assert panel.notes.item(0).text() == "prefers WeChat"
    history = [panel.history.item(i).text() for i in range(panel.history.count())]
    assert "[wa1] → 我想申请退款" in history[0] and "[tg1] ← 好的" in history[1]
    assert panel.close_button.isEnabled()


def test_accounts_are_named_as_the_agent_named_them(qtbot) -> None:  # type: ignore[no-untyped-def]
    from relaydesk.desktop.context_panel import ContactCardPanel

    names = {"wa1": "Sales WA", "tg1": "Support TG"}
    panel = ContactCardPanel(account_name=lambda account: names.get(account, account))
    qtbot.addWidget(panel)
    panel.show_card(_card(accounts=("tg1", "wa1", "gone1")))
    assert panel.fields["accounts"].text() == "Support TG, Sales WA, gone1"
    history = [panel.history.item(i).text() for i in range(panel.history.count())]
    assert "[Sales WA] → 我想申请退款" in history[0] and "[Support TG] ← 好的" in history[1]
    assert not any("wa1" in line or "tg1" in line for line in history)


def test_unknown_fields_say_so(panel) -> None:  # type: ignore[no-untyped-def]
    panel.show_card(_card(language=None, value=None, segment=None, previous_agent=None, tags=()))
    assert panel.fields["language"].text() == "unknown"
    assert panel.fields["tags"].text() == "none"
    assert panel.fields["previous_agent"].text() == "none known"


def test_quick_actions_emit_what_the_agent_asked(panel, qtbot) -> None:  # type: ignore[no-untyped-def]
    panel.show_card(_card())
    with qtbot.waitSignal(panel.vip_requested) as vip:
        panel.vip.click()
    assert vip.args == [7, True]
    with qtbot.waitSignal(panel.tag_requested) as tag:
        qtbot.keyClicks(panel.tag_input, "urgent")
        qtbot.keyClick(panel.tag_input, "\r")
    assert tag.args == [7, "urgent"]
    with qtbot.waitSignal(panel.note_requested) as note:
        qtbot.keyClicks(panel.note_input, "call back at 5")
        qtbot.keyClick(panel.note_input, "\r")
    assert note.args == [7, "call back at 5"]
    with qtbot.waitSignal(panel.note_edited) as edited:
        panel.notes.item(0).setText("prefers phone calls")
    assert edited.args == [3, "prefers phone calls"]
    with qtbot.waitSignal(panel.close_requested) as closed:
        panel.close_button.click()
    assert closed.args == [7]


def test_closing_is_offered_only_while_a_conversation_is_open(panel) -> None:  # type: ignore[no-untyped-def]
    panel.show_card(_card(open_conversation=False))
    assert not panel.close_button.isEnabled()


def test_the_controller_keeps_the_card_on_the_store(panel, loop, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from relaydesk.desktop.context_panel import ContextPanelController
    from relaydesk.store.async_store import AsyncStore

    async def scenario() -> None:
        store = await AsyncStore.open(tmp_path / "store.db")
        try:
            await store.call(Store.ensure_account, "wa1", "whatsapp")
            await store.call(
                Store.record_message, "wa1", "+8613800138000", "m1", "in", "你好", SEEN
            )
            controller = ContextPanelController(panel, store)
            await controller.show_chat("wa1", "+8613800138000")
            assert panel.fields["handle"].text() == "+8613800138000"
            await controller._change(lambda s: s.tag(controller.contact_id or 0, "refund"))
            assert panel.fields["tags"].text() == "refund"
            await controller._change(lambda s: s.tag(controller.contact_id or 0, "  "))
            assert controller.failures == ["a tag needs a name"]
            await controller.show_chat("wa1", "nobody")
            assert panel.empty.isVisible()
        finally:
            await store.close()

    loop.run_until_complete(scenario())


def test_both_panels_dock_in_the_main_window(make_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    from relaydesk.desktop.context_panel import ContactCardPanel
    from relaydesk.desktop.intake_panel import IntakeDashboardPanel

    window = make_window()
    card = window.add_side_panel(ContactCardPanel(), "Customer", "customer-card")
    intake = window.add_side_panel(IntakeDashboardPanel(), "Intake", "intake")
    qtbot.waitUntil(lambda: card.isVisible() and intake.isVisible(), timeout=5000)
    assert card.widget().widget().empty.isVisible()  # the panel, in the dock's scroll area
