/*
 * Telegram Web A recipe (https://web.telegram.org/a/, the Ajaxy/telegram-tt client).
 *
 * Rows are `.chat-list .ListItem.Chat` marked `.private` or `.group` (Ajaxy/telegram-tt:
 * src/components/left/main/Chat.tsx); the unread count is `.ChatBadge.unread`, with `.muted` for
 * muted chats (src/components/left/main/ChatBadge.tsx). Caution: newer telegram-tt builds that badge from a CSS module
 * (ChatBadge.module.scss), whose class names a production build may rename; the health anchors
 * do not cover the badge, so a wrong count there is not reported. telegram-tt navigates with the
 * location hash, so the open chat's peer id is `location.hash` and each row links to `#<peer id>`.
 * Messages are `.Message[data-message-id]`, `.own` when outgoing, text in `.text-content` with the
 * `.MessageMeta` time inside it (src/components/middle/message/Message.tsx); the composer is
 * `#editable-message-text` (EDITABLE_INPUT_ID in src/config.ts).
 */
(function () {
  'use strict';
  const R = Relaydesk;

  const SELECTORS = {
    chatList: '.chat-list',
    chatRow: '.chat-list .ListItem.Chat',
    chatLink: 'a[href^="#"]',
    chatTitle: '.title > h3',
    chatPreview: '.last-message',
    chatTime: '.LastMessageMeta .time',
    unreadBadge: '.ChatBadge.unread',
    mutedBadge: '.ChatBadge.muted',
    groupRow: '.group',
    header: '.MiddleHeader',
    headerTitle: '.MiddleHeader .ChatInfo .title > h3',
    message: '.messages-container .Message[data-message-id]',
    outgoing: '.own',
    messageText: '.text-content',
    messageTextSkip: '.MessageMeta',
    messageTime: '.message-time',
    composer: '#editable-message-text[contenteditable="true"]',
  };

  function peerOf(row) {
    const link = R.one(row, SELECTORS.chatLink);
    return link ? link.getAttribute('href').slice(1) : '';
  }

  function readChats() {
    return R.all(document, SELECTORS.chatRow).map(function (row) {
      return R.chatRow(row, {
        key: peerOf(row) || R.text(R.one(row, SELECTORS.chatTitle)),
        title: R.text(R.one(row, SELECTORS.chatTitle)),
        unread: R.number(R.text(R.one(row, SELECTORS.unreadBadge))),
        muted: !!R.one(row, SELECTORS.mutedBadge),
        last_text: R.text(R.one(row, SELECTORS.chatPreview)),
        time: R.text(R.one(row, SELECTORS.chatTime)),
        group: row.matches(SELECTORS.groupRow),
      });
    });
  }

  function readActive() {
    const title = R.one(document, SELECTORS.headerTitle);
    const peer = location.hash.replace(/^#/, '');
    if (!title || !peer) return null;
    return { key: peer, title: R.text(title) };
  }

  function readMessages(active) {
    return R.all(document, SELECTORS.message).map(function (node) {
      const time = R.one(node, SELECTORS.messageTime);
      return {
        key: active.key + '_' + node.getAttribute('data-message-id'),
        direction: node.matches(SELECTORS.outgoing) ? 'out' : 'in',
        text: R.text(R.one(node, SELECTORS.messageText), SELECTORS.messageTextSkip),
        time: time ? (time.getAttribute('title') || R.text(time)) : '',
      };
    });
  }

  R.register({
    scan() {
      const list = R.one(document, SELECTORS.chatList);
      const active = readActive();
      return {
        chats: list ? readChats() : null,
        active: active,
        messages: active ? readMessages(active) : [],
      };
    },
    anchors(snapshot) {
      const expected = { chat_list: SELECTORS.chatList };
      if (snapshot.active) expected.composer = SELECTORS.composer;
      return expected;
    },
    composer() { return R.one(document, SELECTORS.composer); },
    messageElement(key) {
      const id = key.slice(key.indexOf('_') + 1);
      const node = R.all(document, SELECTORS.message).filter(function (n) {
        return n.getAttribute('data-message-id') === id;
      })[0];
      return node ? R.one(node, SELECTORS.messageText) || node : null;
    },
  });
})();
