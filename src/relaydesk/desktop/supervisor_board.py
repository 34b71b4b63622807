"""The supervisor board (role supervisor or admin): agents, queue, warnings, today's intake, the
forecast with recommended staffing, split links and the routing-rules editor.

Every figure comes from the team server through ``relaydesk.sync.supervisor`` and is summed
there (``summarize_board``, ``board_warnings``); this widget only shows it. The refresh runs on
the qasync loop in the background every ``refresh_ms``; a refused or failed read shows its
sentence in place of that part and the rest of the board keeps working.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from relaydesk.desktop.reports_view import ReportsView
from relaydesk.desktop.shifts_view import ShiftsView
from relaydesk.desktop.table_columns import fit_columns
from relaydesk.desktop.workload_view import WorkloadTab, duration_text
from relaydesk.sync.errors import ActionRefused, SyncError
from relaydesk.sync.shifts import ShiftsApi
from relaydesk.sync.supervisor import (
    BoardSummary,
    BoardWarning,
    ConversationView,
    RulesRejected,
    SupervisorApi,
    board_warnings,
    intake_name,
    summarize_board,
)
from relaydesk.sync.workload import WorkloadApi

REFRESH_MS = 10_000
LAPSED_LOOKUPS = 10  # customers of lapsed replies read per refresh (one request each)


def usual_text(value: Any) -> str:
    """A usual count as people say it: "2", "7.7" (not "2.0")."""
    return f"{float(value or 0):.1f}".removesuffix(".0")


def local_hour(anomaly: dict[str, Any]) -> str:
    """The anomaly's hour on the workstation's clock (the server names it in the team's zone)."""
    start = anomaly.get("hour_start")
    if isinstance(start, int | float):
        return datetime.fromtimestamp(start).astimezone().strftime("%H:%M")
    return str(anomaly.get("hour", ""))[11:16]


def _table(headers: list[str], rows: list[list[str]], table: QTableWidget) -> None:
    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(value))
    table.verticalHeader().setVisible(False)
    fit_columns(table)  # headers and names whole, not elided or wrapped


class SupervisorBoard(QWidget):
    """The board's tabs; ``refreshed`` after every completed refresh (tests wait on it)."""

    refreshed = Signal()

    def __init__(self, api: SupervisorApi, parent: QWidget | None = None,
                 refresh_ms: int = REFRESH_MS) -> None:  # fmt: skip
        super().__init__(parent)
        self.api = api
        self.summary: BoardSummary | None = None
        self.errors: dict[str, str] = {}  # part -> why it could not be read
        self.links: list[dict[str, Any]] = []
        # Warnings pushed since the board opened, newest first: (as shown, the server's text).
        self.live: list[tuple[str, str]] = []
        self.anomalies: list[dict[str, Any]] = []  # volume anomalies of the last hour
        self.account_names: dict[str, str] = {}  # account id -> name, from the intake report
        self.contact_names: dict[str, str] = {}  # contact id -> name or handle (lapsed replies)
        self._task: asyncio.Task[None] | None = None
        self._edits: set[asyncio.Future[None]] = set()
        self.headline = QLabel(self)
        self.headline.setObjectName("boardHeadline")
        self.tabs = QTabWidget(self)
        # Nine tabs: the theme's minimum tab width would hide two of them behind scroll arrows
        # at the board's usual width (a dock beside the chats).
        self.tabs.tabBar().setStyleSheet("QTabBar::tab { min-width: 0px; }")
        self.agents = QTableWidget(self)
        self.agents.setObjectName("boardAgents")
        self.warnings = QListWidget(self)
        self.warnings.setObjectName("boardWarnings")
        self.warnings.setWordWrap(True)  # an anomaly's line is longer than the board is wide
        self.intake = QTableWidget(self)
        self.intake.setObjectName("boardIntake")
        self.forecast = QTableWidget(self)
        self.forecast.setObjectName("boardForecast")
        self.links_table = QTableWidget(self)
        self.links_table.setObjectName("boardLinks")
        self.link_editor = QPlainTextEdit(self)
        self.link_editor.setObjectName("boardLinkEditor")
        self.link_editor.setPlaceholderText(
            '{"slug": "spring", "targets": [{"account_id": "…", "weight": 1}]}  '
            + self.tr('(add "id" to change a link)')
        )
        self.link_save = QPushButton(self.tr("Save the link"), self)
        self.link_save.clicked.connect(lambda: self._run(self.save_link()))
        self.link_message = QLabel(self)
        self.link_message.setObjectName("boardLinkMessage")
        self.link_message.setWordWrap(True)
        self.rules = QPlainTextEdit(self)
        self.rules.setObjectName("boardRules")
        self.rules_save = QPushButton(self.tr("Save the rules"), self)
        self.rules_save.clicked.connect(lambda: self._run(self.save_rules()))
        self.rules_message = QLabel(self)
        self.rules_message.setObjectName("boardRulesMessage")
        self.rules_message.setWordWrap(True)
        self._rules_loaded = False

        links_page = QWidget(self)
        links_column = QVBoxLayout(links_page)
        links_column.addWidget(self.links_table, 1)
        links_column.addWidget(self.link_editor)
        links_row = QHBoxLayout()
        links_row.addWidget(self.link_save)
        links_row.addWidget(self.link_message, 1)
        links_column.addLayout(links_row)
        rules_page = QWidget(self)
        rules_column = QVBoxLayout(rules_page)
        rules_column.addWidget(self.rules, 1)
        rules_row = QHBoxLayout()
        rules_row.addWidget(self.rules_save)
        rules_row.addWidget(self.rules_message, 1)
        rules_column.addLayout(rules_row)
        for widget, title in ((self.agents, self.tr("Agents")),
                              (self.warnings, self.tr("Warnings")),
                              (self.intake, self.tr("Intake today")),
                              (self.forecast, self.tr("Forecast")),
                              (links_page, self.tr("Links")),
                              (rules_page, self.tr("Rules"))):  # fmt: skip
            self.tabs.addTab(widget, title)
        self.shifts = ShiftsView(lambda: ShiftsApi(self.api.client), self)
        self.tabs.addTab(self.shifts, self.tr("Shifts"))
        self.workload = WorkloadTab(lambda: WorkloadApi(self.api.client), self)
        self.tabs.addTab(self.workload, self.tr("Workload"))
        self.reports = ReportsView(api, self)  # reads when first shown, on its own period
        self.tabs.addTab(self.reports, self.tr("Reports"))
        column = QVBoxLayout(self)
        column.addWidget(self.headline)
        column.addWidget(self.tabs, 1)
        self.timer = QTimer(self)
        self.timer.setInterval(refresh_ms)
        self.timer.timeout.connect(self.refresh_soon)

    # -- running -----------------------------------------------------------------------------
    def start(self) -> None:
        self.timer.start()
        self.refresh_soon()
        self.shifts.start()
        self.workload.start()

    def stop(self) -> None:
        self.timer.stop()
        self.shifts.stop()
        self.workload.stop()

    def refresh_soon(self) -> None:
        """Start a refresh unless one is running (never blocks the UI thread)."""
        if self._task is None or self._task.done():
            self._task = asyncio.ensure_future(self.refresh())

    def _run(self, work: Any) -> None:
        task = asyncio.ensure_future(work)
        self._edits.add(task)
        task.add_done_callback(self._edits.discard)

    async def _read(self, part: str, work: Any) -> Any:
        try:
            result = await work
        except SyncError as error:
            self.errors[part] = str(error)
            return None
        self.errors.pop(part, None)
        return result

    async def refresh(self) -> None:
        now = time.time()
        day_start = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        start = day_start.timestamp()
        intake = [
            self._read(f"intake:{g}", self.api.report("intake", start=start, end=now, group_by=g))
            for g in ("agent", "account", "link")
        ]
        agents, conversations, forecast, service, *intakes = await asyncio.gather(
            self._read("agents", self.api.agents()),
            self._read("conversations", self.api.open_conversations()),
            self._read("forecast", self.api.report("forecast")),
            self._read("service", self.api.report("service", start=start, end=now + 1)),
            *intake,
        )
        if conversations is not None:
            await self._name_lapsed(conversations, now)
        links = await self._read("links", self.api.links())
        surges = await self._read("anomalies", self.api.report("anomalies", start=now - 3600,
                                                               end=now + 1))  # fmt: skip
        self.anomalies = list((surges or {}).get("anomalies", []))
        if not self._rules_loaded:
            rules = await self._read("rules", self.api.rules())
            if rules is not None:
                self.rules.setPlainText(json.dumps(rules, indent=2, sort_keys=True))
                self._rules_loaded = True
            elif "rules" in self.errors:
                self.rules_message.setText(self.errors["rules"])
        self._show(agents, conversations, forecast, service, intakes, links, now)
        self.refreshed.emit()

    async def _name_lapsed(self, conversations: list[ConversationView], now: float) -> None:
        """Learn the customers of replies past their deadline, to name them in the warnings
        (a few per refresh; a failed read leaves the warning naming the account)."""
        unnamed = {c.contact_id: c.id for c in conversations
                   if c.state == "assigned" and c.reply_deadline is not None
                   and c.reply_deadline < now and c.contact_id
                   and c.contact_id not in self.contact_names}  # fmt: skip
        for contact_id, conversation_id in list(unnamed.items())[:LAPSED_LOOKUPS]:
            with contextlib.suppress(SyncError):
                self.contact_names[contact_id] = await self.api.contact_name(conversation_id)

    # -- showing -----------------------------------------------------------------------------
    def _show(self, agents: Any, conversations: Any, forecast: Any, service: Any,
              intakes: list[Any], links: Any, now: float) -> None:  # fmt: skip
        if len(intakes) > 1 and intakes[1] is not None:  # accounts named in links and warnings
            named = [r for r in intakes[1].get("rows", []) if r.get("name")]
            self.account_names.update({str(r.get("key")): str(r["name"]) for r in named})
        if agents is not None and conversations is not None:
            summary = summarize_board(agents, conversations, now)
            self.summary = summary
            _table([self.tr("Agent"), self.tr("Status"), self.tr("Load"), self.tr("Capacity")],
                   [[a.agent.name or a.agent.login, self._status(a.agent.status),
                     str(a.open_conversations),
                     "" if a.agent.capacity is None else str(a.agent.capacity)]
                    for a in summary.agents], self.agents)  # fmt: skip
            wait = duration_text(summary.oldest_wait_s)  # "45 s", "3 min 05 s" in the UI's words
            self.headline.setText(
                self.tr("Waiting: %1, oldest wait %2")
                .replace("%1", str(summary.waiting))
                .replace("%2", wait)
            )
            hours = forecast.get("hours", []) if forecast else []
            collisions = {str(r.get("agent_id")): int(r.get("collisions", 0))
                          for r in (service or {}).get("agents", [])}  # fmt: skip
            warnings = board_warnings(summary, conversations, hours, collisions, now)
            self.warnings.clear()
            # A pushed volume anomaly (the server's sentence) is shown again, in the UI's
            # language, from the anomalies report.
            told = {a.get("message") for a in self.anomalies}
            texts = [*(self.anomaly_text(a) for a in self.anomalies),
                     *(shown for shown, said in self.live[:20] if said not in told),
                     *(self.warning_text(w) for w in warnings)]  # fmt: skip
            self.warnings.addItems(texts or [self.tr("No warnings")])
        else:
            self.headline.setText(self.errors.get("agents") or self.errors.get("conversations", ""))
        rows = []
        groups = {"agent": self.tr("Agent"), "account": self.tr("Account"), "link": self.tr("Link")}
        for group, report in zip(groups, intakes, strict=True):
            if report is None:
                rows.append([groups[group], self.errors.get(f"intake:{group}", ""), "", ""])
                continue
            # Named as people know them (agent and account names, link slugs), not by id.
            rows += [[groups[group], intake_name(r) or self.tr("(none)"), str(r["new"]),
                      str(r["returning"])] for r in report.get("rows", [])]  # fmt: skip
        _table([self.tr("By"), self.tr("Who"), self.tr("New"), self.tr("Returning")], rows,
               self.intake)  # fmt: skip
        if forecast is not None:
            _table([self.tr("Hour"), self.tr("Expected arrivals"), self.tr("Agents recommended")],
                   [[f"{int(h['hour']):02d}:00", f"{h['arrivals']:.1f}",
                     str(h["recommended_agents"])] for h in forecast.get("hours", [])],
                   self.forecast)  # fmt: skip
        else:
            _table([self.tr("Forecast")], [[self.errors.get("forecast", "")]], self.forecast)
        if links is not None:
            self.links = links
            _table([self.tr("Slug"), self.tr("Code"), self.tr("Targets")],
                   [[str(k["slug"]), str(k.get("code", "")),
                     ", ".join(self._target(t) for t in k["targets"])]
                    for k in links], self.links_table)  # fmt: skip
        else:
            self.link_message.setText(self.errors.get("links", ""))

    def _status(self, status: str) -> str:
        """An agent's status in the UI language (the server's word when it is a new one)."""
        return {"online": self.tr("online"), "away": self.tr("away"),
                "offline": self.tr("offline")}.get(status, status)  # fmt: skip

    def _target(self, target: dict[str, Any]) -> str:
        """A link's target as "Shop WhatsApp ×2" (its id until the account's name is known)."""
        account = str(target.get("account_id", ""))
        weight = float(target.get("weight", 1))
        name = self.account_names.get(account, account)
        return name if weight == 1 else f"{name} ×{weight:g}"

    def anomaly_text(self, anomaly: dict[str, Any]) -> str:
        """One line for a volume anomaly: which team, how many against the usual, and what
        stands out (from the payload of GET /v1/reports/anomalies)."""
        since = local_hour(anomaly)
        line = (self.tr("Volume anomaly (%1): %2 new contacts since %3, %4× the usual (%5)")
                .replace("%1", str(anomaly.get("team") or self.tr("no team")))
                .replace("%2", str(anomaly.get("count", "?"))).replace("%3", since)
                .replace("%4", f"{float(anomaly.get('ratio', 0)):.1f}")
                .replace("%5", usual_text(anomaly.get("usual"))))  # fmt: skip
        named = (anomaly.get("stand_outs") or [None])[0]
        if not named:
            return line + self.tr("; nothing stands out")
        dimension = {"link": self.tr("link"), "account": self.tr("account"),
                     "keyword": self.tr("keyword")}.get(named.get("dimension"), "")  # fmt: skip
        value = str(named.get("value"))
        if named.get("dimension") == "keyword":
            value = f"“{value}”"  # a word customers wrote, told apart from the sentence
        return line + (self.tr("; stands out: %1 %2, %3 of them (usually %4)")
                       .replace("%1", dimension).replace("%2", value)
                       .replace("%3", str(named.get("count")))
                       .replace("%4", usual_text(named.get("usual"))))  # fmt: skip

    def warning_text(self, warning: BoardWarning) -> str:
        """A warning of ``board_warnings`` in the UI's language (its English text for a kind
        this desktop does not know)."""
        if warning.kind == "over_capacity":
            held = self.tr("%1 holds %2 of %3").replace("%1", warning.agent)
            return held.replace("%2", str(warning.count)).replace("%3", str(warning.limit))
        if warning.kind == "lapsed_reply":
            late = duration_text(warning.late_s)
            if customer := self.contact_names.get(warning.contact_id):
                return (self.tr("%1: no reply to %2, %3 past the deadline")
                        .replace("%1", warning.agent).replace("%2", customer)
                        .replace("%3", late))  # fmt: skip
            account = self.account_names.get(warning.account_id)
            if account:  # the list of conversations names no customer; the account it is on
                return (self.tr("%1: no reply in a conversation on %2, %3 past the deadline")
                        .replace("%1", warning.agent).replace("%2", account)
                        .replace("%3", late))  # fmt: skip
            return (self.tr("%1: no reply in a conversation, %2 past the deadline")
                    .replace("%1", warning.agent).replace("%2", late))  # fmt: skip
        if warning.kind == "collision":
            if warning.count == 1:
                return self.tr("%1: 1 collision today").replace("%1", warning.agent)
            return (self.tr("%1: %2 collisions today").replace("%1", warning.agent)
                    .replace("%2", str(warning.count)))  # fmt: skip
        if warning.kind == "overload_forecast":
            hours = ", ".join(f"{hour:02d}:00" for hour in warning.hours)
            return (self.tr("Tomorrow %1 need up to %2 agents; %3 online now")
                    .replace("%1", hours).replace("%2", str(warning.count))
                    .replace("%3", str(warning.limit)))  # fmt: skip
        return warning.text

    def warn(self, text: str, said: str | None = None) -> None:
        """A warning pushed by the server (a collision, an overload) shows at once, on top:
        ``text`` in the UI's language, ``said`` the server's sentence (to tell a volume anomaly
        the anomalies report shows again)."""
        self.live.insert(0, (text, text if said is None else said))
        del self.live[20:]
        if self.warnings.count() == 1 and self.warnings.item(0).text() == self.tr("No warnings"):
            self.warnings.clear()
        self.warnings.insertItem(0, text)
        self.workload.refresh_soon()  # a heavy day shows highlighted at once, not a minute later

    # -- editing -----------------------------------------------------------------------------
    async def save_rules(self) -> None:
        try:
            document = json.loads(self.rules.toPlainText())
        except ValueError as error:
            self.rules_message.setText(self.tr("Not JSON: %1").replace("%1", str(error)))
            return
        try:
            stored = await self.api.save_rules(document)
        except RulesRejected as error:
            where = error.field or ""
            self.rules_message.setText(f"{where}: {error}" if where else str(error))
            return
        except SyncError as error:
            self.rules_message.setText(str(error))
            return
        self.rules.setPlainText(json.dumps(stored, indent=2, sort_keys=True))
        self.rules_message.setText(self.tr("Saved; the team's workstations follow at once."))

    async def save_link(self) -> None:
        try:
            body = json.loads(self.link_editor.toPlainText())
            if not isinstance(body, dict):
                raise ValueError("a link is a JSON object")
        except ValueError as error:
            self.link_message.setText(self.tr("Not JSON: %1").replace("%1", str(error)))
            return
        link_id = body.pop("id", None)
        try:
            saved = await self.api.save_link(body, link_id)
        except ActionRefused as error:
            where = f"{error.field}: " if error.field else ""
            self.link_message.setText(where + error.server_message)
            return
        except SyncError as error:
            self.link_message.setText(str(error))
            return
        self.link_message.setText(self.tr("Saved %1 (code %2).").replace("%1", saved["slug"])
                                  .replace("%2", str(saved.get("code", ""))))  # fmt: skip
        with contextlib.suppress(Exception):
            self.refresh_soon()
