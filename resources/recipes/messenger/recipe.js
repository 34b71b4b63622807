/*
 * Messenger recipe (https://www.facebook.com/messages/ and messenger.com).
 *
 * Thread rows link to `/t/<thread id>/` (ferdium/ferdium-recipes: recipes/messenger/webview.js
 * reads the links `a[href^='/t/'][role='link'][tabindex='0']`, also under /requests/ and
 * /marketplace/). The rest is structure observed in one saved logged-in messenger.com page
 * (March 2021), not a public source: unread rows are the ones with a "Mark as Read" button, and
 * messages are `[role="row"]`s of a `[role="grid"]` whose outgoing rows carry
 * `data-testid="outgoing_message"`, incoming ones `messenger_incoming_text_row`, each with an
 * `h4` "<name> sent <time>" as the only timestamp. Messenger shows no per-thread count, so unread
 * here counts conversations, as Messenger's own badge does. Labels ("Mark as Read", "Muted") are
 * localised: this recipe expects an English UI. How a muted thread is marked is not in any capture
 * found: `[aria-label="Muted"]` is an assumption the health event cannot check.
 */
(function () {
  'use strict';
  const R = Relaydesk;

  const SELECTORS = {
    threadList: '[data-testid="MWJewelThreadListContainer"], [role="navigation"] [role="grid"]',
    threadRow: '[role="row"]',  // inside the list; only rows with a thread link count
    threadLink: 'a[role="link"][href*="/t/"]',
    threadName: 'span[dir="auto"]',
    unreadMark: '[aria-label="Mark as Read"]',
    mutedMark: '[aria-label="Muted"]',
    messageGrid: '[role="main"] [role="grid"]',
    messageRow: '[role="main"] [role="grid"] [role="row"]',
    outgoing: '[data-testid="outgoing_message"], [data-testid="mwchat_outgoing_row"]',
    messageText: 'div[dir="auto"]',
    messageHeading: 'h4',
    composer: '[role="main"] [role="textbox"][contenteditable="true"]',
  };
  const THREAD_ID = /\/t\/([^/?#]+)/;

  function threadOf(row) {
    const link = R.one(row, SELECTORS.threadLink);
    const found = link ? THREAD_ID.exec(link.getAttribute('href')) : null;
    return found ? found[1] : '';
  }

  function readChats(list) {
    return R.all(list, SELECTORS.threadRow).filter(threadOf).map(function (row) {
      const spans = R.all(row, SELECTORS.threadName);
      const preview = spans.length > 1 ? R.text(spans[spans.length - 1]) : '';
      const dot = preview.lastIndexOf(' · ');
      return R.chatRow(row, {
        key: threadOf(row),
        title: R.text(spans[0]),
        unread: R.one(row, SELECTORS.unreadMark) ? 1 : 0,
        muted: !!R.one(row, SELECTORS.mutedMark),
        last_text: dot > 0 ? preview.slice(0, dot) : preview,
        time: dot > 0 ? preview.slice(dot + 3) : '',
        group: null,
      });
    });
  }

  function readActive(chats) {
    const found = THREAD_ID.exec(location.pathname);
    if (!found || !R.one(document, SELECTORS.messageGrid)) return null;
    const row = (chats || []).filter(function (chat) { return chat.key === found[1]; })[0];
    return { key: found[1], title: row ? row.title : '' };
  }

  function readMessages(active) {
    const seen = {};
    return R.all(document, SELECTORS.messageRow).filter(function (row) {
      return R.one(row, SELECTORS.messageText);
    }).map(function (row) {
      const direction = row.matches(SELECTORS.outgoing) || R.one(row, SELECTORS.outgoing) ? 'out' : 'in';
      const heading = R.text(R.one(row, SELECTORS.messageHeading));
      const text = R.text(R.one(row, SELECTORS.messageText));
      // No message ids in the DOM: the key is what the row says, numbered when it repeats.
      const base = R.hashKey([active.key, direction, heading, text]);
      seen[base] = (seen[base] || 0) + 1;
      const sent = / sent (.*)$/.exec(heading);
      return {
        key: active.key + '_' + base + '_' + seen[base],
        direction: direction,
        text: text,
        time: sent ? sent[1] : '',
      };
    });
  }

  let lastMessages = [];
  R.register({
    scan() {
      const list = R.one(document, SELECTORS.threadList);
      const chats = list ? readChats(list) : null;
      const active = readActive(chats);
      lastMessages = active ? readMessages(active) : [];
      return { chats: chats, active: active, messages: lastMessages };
    },
    anchors(snapshot) {
      const expected = { thread_list: SELECTORS.threadList };
      if (snapshot.active) expected.composer = SELECTORS.composer;
      return expected;
    },
    composer() { return R.one(document, SELECTORS.composer); },
    messageElement(key) {
      const index = lastMessages.map(function (m) { return m.key; }).indexOf(key);
      const rows = R.all(document, SELECTORS.messageRow).filter(function (row) {
        return R.one(row, SELECTORS.messageText);
      });
      return index >= 0 && rows[index] ? R.one(rows[index], SELECTORS.messageText) : null;
    },
  });
})();
