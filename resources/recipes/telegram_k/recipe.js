/*
 * Telegram Web K recipe (https://web.telegram.org/k/, the morethanwords/tweb client).
 *
 * Chat rows are `.rp` elements with `data-peer-id` (> 0 a person, otherwise a group or channel)
 * and the unread count in `.dialog-subtitle-badge` (ferdium/ferdium-recipes:
 * recipes/telegram/webview.js); tweb builds those rows in morethanwords/tweb:
 * src/lib/appManagers/appDialogsManager.ts (`chatlist-chat`, `href="#<peer id>"`,
 * `dialog-subtitle-badge`, `message-time`). Bubbles are `.bubble.is-in` / `.is-out` with
 * `data-mid` and the unix time in `data-timestamp` (morethanwords/tweb:
 * src/components/chat/bubbles.ts); the composer is `.input-message-input`
 * (src/components/chat/input.ts). These are tweb's own source names, not generated ones. The page
 * says it is K through `meta[property="og:url"]` (morethanwords/tweb: index.html fills it with the
 * deployed address, which ends in /k/ on web.telegram.org).
 */
(function () {
  'use strict';
  const R = Relaydesk;

  const SELECTORS = {
    client: 'meta[property="og:url"][content*="/k/"]',
    chatList: '.chatlist',
    chatRow: '.chatlist .rp[data-peer-id]',
    chatTitle: '.peer-title',
    chatPreview: '.row-subtitle',
    chatTime: '.message-time',
    unreadBadge: '.dialog-subtitle-badge',
    mutedRow: '.is-muted',
    activeChat: '.chat.active',
    header: '.chat.active .topbar',
    headerPeer: '.chat.active .topbar .peer-title[data-peer-id]',
    message: '.chat.active .bubble[data-mid]:not(.service)',  // service bubbles: dates, joins
    outgoing: '.is-out',
    messageText: '.message',
    messageTextSkip: '.time, .reactions, .bubble-beside-button',
    composer: '.chat.active .input-message-input[contenteditable="true"]',
  };

  function iso(seconds) {
    const value = parseInt(seconds, 10);
    return value > 0 ? new Date(value * 1000).toISOString() : '';
  }

  function readChats() {
    return R.all(document, SELECTORS.chatRow).map(function (row) {
      const peer = row.getAttribute('data-peer-id');
      return R.chatRow(row, {
        key: peer,
        title: R.text(R.one(row, SELECTORS.chatTitle)),
        unread: R.number(R.text(R.one(row, SELECTORS.unreadBadge))),
        muted: row.matches(SELECTORS.mutedRow),
        last_text: R.text(R.one(row, SELECTORS.chatPreview)),
        time: R.text(R.one(row, SELECTORS.chatTime)),
        group: !(parseInt(peer, 10) > 0),
      });
    });
  }

  function readActive() {
    const peer = R.one(document, SELECTORS.headerPeer);
    if (!peer) return null;
    return { key: peer.getAttribute('data-peer-id'), title: R.text(peer) };
  }

  function readMessages(active) {
    return R.all(document, SELECTORS.message).map(function (bubble) {
      return {
        key: active.key + '_' + bubble.getAttribute('data-mid'),
        direction: bubble.matches(SELECTORS.outgoing) ? 'out' : 'in',
        text: R.text(R.one(bubble, SELECTORS.messageText), SELECTORS.messageTextSkip),
        time: iso(bubble.getAttribute('data-timestamp')),
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
      // `client` goes missing when Telegram moves the account to the A client: use that recipe.
      const expected = { client: SELECTORS.client, chat_list: SELECTORS.chatList };
      if (snapshot.active) expected.composer = SELECTORS.composer;
      return expected;
    },
    composer() { return R.one(document, SELECTORS.composer); },
    messageElement(key) {
      const mid = key.slice(key.indexOf('_') + 1);
      const bubble = R.all(document, SELECTORS.message).filter(function (node) {
        return node.getAttribute('data-mid') === mid;
      })[0];
      return bubble ? R.one(bubble, SELECTORS.messageText) || bubble : null;
    },
  });
})();
