/*
 * LINE Official Account Manager chat recipe (https://chat.line.biz/).
 *
 * Business accounts answer customers here; personal LINE has no web client at all (see
 * docs/platforms.md). No saved page of it was found; the selectors are the ones public automation
 * code relies on: calumba-holding/openclaw-skills: skills/picseeinc/line-oa/scripts/list-chats.js
 * (rows `.list-group-item-chat` with `h6`, preview `.text-muted.small`, unread
 * `span.badge.badge-pin`) and skills/picseeinc/line-oa/SKILL.md (the row's link `a.d-flex`, chat
 * addresses /<account id>/chat/<user id>, messages `.chat`, the account's own `.chat-reverse`);
 * hirohiro716/line-chat-style: line-chat-style.user.js (the total in `div.badge-pill`). Assumed,
 * checked only against the sandbox: `.chat-secondary` for the customer, `.datetime`,
 * `.chat-item-text` and `.chat-sub`, the textarea composer. The user id (U + 32 hex digits) is
 * the contact's stable handle. LINE OA has no per-chat mute.
 */
(function () {
  'use strict';
  const R = Relaydesk;

  const SELECTORS = {
    chatList: '.list-group',  // Bootstrap's list, which the row classes extend
    chatRow: '.list-group-item-chat',
    chatTitle: 'h6.text-truncate',
    chatPreview: '.text-truncate-box',
    chatTime: '.datetime',
    unreadBadge: '.badge-pin, .badge-pill',
    message: 'div.chat.chat-reverse, div.chat.chat-secondary',
    outgoing: '.chat-reverse',
    messageText: '.chat-item-text',
    messageTime: '.chat-sub',
    header: '.chat-header',
    composer: '.chat-footer textarea',
  };
  const CHAT_ID = /\/chat\/(U[0-9a-f]{6,})/;

  function chatIdOf(href) {
    const found = CHAT_ID.exec(href || '');
    return found ? found[1] : '';
  }

  function linkOf(row) {  // the real rows hold an `a.d-flex`; the sandbox's row is the link itself
    const link = R.one(row, 'a[href]');
    return link ? link.getAttribute('href') : '';
  }

  function readChats(rows) {
    return rows.map(function (row) {
      const title = R.text(R.one(row, SELECTORS.chatTitle));
      return R.chatRow(row, {
        key: chatIdOf(row.getAttribute('href') || linkOf(row)) || title,
        title: title,
        unread: R.number(R.text(R.one(row, SELECTORS.unreadBadge))),
        muted: false,
        last_text: R.text(R.one(row, SELECTORS.chatPreview)),
        time: R.text(R.one(row, SELECTORS.chatTime)),
        group: false,
      });
    });
  }

  function readActive(chats) {
    const key = chatIdOf(location.pathname);
    if (!key || !R.one(document, SELECTORS.message + ', ' + SELECTORS.composer)) return null;
    const row = chats.filter(function (chat) { return chat.key === key; })[0];
    return { key: key, title: row ? row.title : '' };
  }

  function readMessages(active) {
    const seen = {};
    return R.all(document, SELECTORS.message).map(function (node) {
      const direction = node.matches(SELECTORS.outgoing) ? 'out' : 'in';
      const text = R.text(R.one(node, SELECTORS.messageText));
      const time = R.text(R.one(node, SELECTORS.messageTime));
      const base = R.hashKey([active.key, direction, time, text]);
      seen[base] = (seen[base] || 0) + 1;
      return { key: active.key + '_' + base + '_' + seen[base], direction: direction, text: text, time: time };
    });
  }

  let lastMessages = [];
  R.register({
    scan() {
      const list = R.one(document, SELECTORS.chatList);
      const chats = list ? readChats(R.all(list, SELECTORS.chatRow)) : [];
      const active = readActive(chats);
      lastMessages = active ? readMessages(active) : [];
      return { chats: list ? chats : null, active: active, messages: lastMessages };
    },
    anchors(snapshot) {
      const expected = { chat_list: SELECTORS.chatList };
      if (snapshot.active) expected.composer = SELECTORS.composer;
      return expected;
    },
    composer() { return R.one(document, SELECTORS.composer); },
    messageElement(key) {
      const index = lastMessages.map(function (m) { return m.key; }).indexOf(key);
      const node = R.all(document, SELECTORS.message)[index];
      return index >= 0 && node ? R.one(node, SELECTORS.messageText) : null;
    },
  });
})();
