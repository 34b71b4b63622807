/*
 * Instagram Direct recipe (https://www.instagram.com/direct/inbox/).
 *
 * Instagram's class names are generated, so everything here is aria and data attributes, as
 * observed in one saved logged-in Instagram Direct page (~March 2025; no public source shows
 * them): the `[aria-label="Chats"][role="list"]`
 * thread list of `[role="listitem"]` rows, the open thread's grid of `[role="row"]`s in which a
 * hidden `h5` says "You sent" (outgoing) or "<name> sent" (incoming) — the only direction signal
 * there is — and the Lexical composer `[role="textbox"][aria-label="Message"]`. The open thread's
 * id is in the address, /direct/t/<id>/. ferdium/ferdium-recipes:recipes/instagram/webview.js
 * reads the total from the nav link `a[href^="/direct/inbox"]`. The capture shows no unread or
 * muted row: `[aria-label="Unread"]` and `[aria-label="Muted"]` are assumptions, and unread counts
 * threads (Instagram's own badge does the same). Labels are English-only: an English UI is expected.
 */
(function () {
  'use strict';
  const R = Relaydesk;

  const SELECTORS = {
    threadList: '[aria-label="Chats"][role="list"]',
    threadRow: '[role="listitem"]',
    threadName: 'span[dir="auto"]',
    threadTime: 'abbr[aria-label]',
    unreadMark: '[aria-label="Unread"]',
    mutedMark: '[aria-label="Muted"]',
    conversation: '[aria-label^="Conversation with "]',
    messageRow: '[aria-label^="Messages in conversation with "][role="grid"] [role="row"]',
    messageSender: 'h5',
    messageText: '[role="button"] span[dir="auto"], [role="button"][dir="auto"]',
    dateBreak: '[data-scope="date_break"]',
    composer: '[role="textbox"][contenteditable="true"][aria-label="Message"]',
  };
  const THREAD_ID = /\/direct\/t\/([^/?#]+)/;
  const OUTGOING = /^You sent/;

  function readChats(list) {
    return R.all(list, SELECTORS.threadRow).map(function (row) {
      const spans = R.all(row, SELECTORS.threadName);
      const title = R.text(spans[0]);
      const time = R.one(row, SELECTORS.threadTime);
      return R.chatRow(row, {
        key: title,  // rows carry no thread id (saved page, 2025): the title is the key
        title: title,
        unread: R.one(row, SELECTORS.unreadMark) ? 1 : 0,
        muted: !!R.one(row, SELECTORS.mutedMark),
        last_text: spans.length > 1 ? R.text(spans[spans.length - 1]) : '',
        time: time ? time.getAttribute('aria-label') : '',
        group: null,
      });
    });
  }

  function readActive() {
    const found = THREAD_ID.exec(location.pathname);
    const pane = R.one(document, SELECTORS.conversation);
    if (!found || !pane) return null;
    return { key: found[1], title: pane.getAttribute('aria-label').replace(/^Conversation with /, '') };
  }

  function messageRows() {
    return R.all(document, SELECTORS.messageRow).filter(function (row) {
      return R.one(row, SELECTORS.messageText) && !R.one(row, SELECTORS.dateBreak);
    });
  }

  function readMessages(active) {
    const seen = {};
    let day = '';
    return R.all(document, SELECTORS.messageRow).map(function (row) {
      const separator = R.one(row, SELECTORS.dateBreak);
      if (separator) { day = R.text(separator); return null; }
      const body = R.one(row, SELECTORS.messageText);
      if (!body) return null;
      const direction = OUTGOING.test(R.text(R.one(row, SELECTORS.messageSender))) ? 'out' : 'in';
      const text = R.text(body);
      const base = R.hashKey([active.key, direction, day, text]);
      seen[base] = (seen[base] || 0) + 1;
      return { key: active.key + '_' + base + '_' + seen[base], direction: direction, text: text, time: day };
    }).filter(Boolean);
  }

  let lastMessages = [];
  R.register({
    scan() {
      const list = R.one(document, SELECTORS.threadList);
      const active = readActive();
      lastMessages = active ? readMessages(active) : [];
      return { chats: list ? readChats(list) : null, active: active, messages: lastMessages };
    },
    anchors(snapshot) {
      const expected = { thread_list: SELECTORS.threadList };
      if (snapshot.active) expected.composer = SELECTORS.composer;
      return expected;
    },
    composer() { return R.one(document, SELECTORS.composer); },
    messageElement(key) {
      const index = lastMessages.map(function (m) { return m.key; }).indexOf(key);
      const rows = messageRows();
      return index >= 0 && rows[index] ? R.one(rows[index], SELECTORS.messageText) : null;
    },
  });
})();
