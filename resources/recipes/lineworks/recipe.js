/*
 * LINE WORKS recipe (https://talk.worksmobile.com/), LINE's business messenger.
 *
 * The total of new messages is read where ferdium/ferdium-recipes: recipes/lineworks/webview.js
 * reads it: `div#chat_list > ul#chat_grp_lst > li#item_chat > dl#chat_count > span#new`. No public
 * source or saved page of the room list or an open room was found, so the room selectors below
 * (`ul.room_list > li[data-room-id]`, `.msg_lst`, `li.mine`) are assumptions in LINE WORKS' naming
 * style, checked only against the sandbox; the health event names `room_list` (and `composer`)
 * when they do not match. The room id is
 * the contact's stable handle. Per-room notification settings are not read: muted is always 0.
 */
(function () {
  'use strict';
  const R = Relaydesk;

  const SELECTORS = {
    totalNew: 'div#chat_list > ul#chat_grp_lst > li#item_chat > dl#chat_count > span#new',
    roomList: 'ul.room_list',
    roomRow: 'ul.room_list > li[data-room-id]',
    roomName: '.name',
    roomPreview: '.msg',
    roomTime: '.date',
    roomCount: '.cnt',
    activeRoom: 'ul.room_list > li.on[data-room-id]',
    message: 'ul.msg_lst > li[data-msg-no]',
    outgoing: '.mine',
    messageText: '.txt',
    messageTime: '.time',
    composer: '.chat_input textarea',
  };

  function readChats() {
    return R.all(document, SELECTORS.roomRow).map(function (row) {
      return R.chatRow(row, {
        key: row.getAttribute('data-room-id'),
        title: R.text(R.one(row, SELECTORS.roomName)),
        unread: R.number(R.text(R.one(row, SELECTORS.roomCount))),
        muted: false,
        last_text: R.text(R.one(row, SELECTORS.roomPreview)),
        time: R.text(R.one(row, SELECTORS.roomTime)),
        group: null,
      });
    });
  }

  function readActive() {
    const row = R.one(document, SELECTORS.activeRoom);
    if (!row) return null;
    return { key: row.getAttribute('data-room-id'), title: R.text(R.one(row, SELECTORS.roomName)) };
  }

  function readMessages(active) {
    return R.all(document, SELECTORS.message).map(function (node) {
      return {
        key: active.key + '_' + node.getAttribute('data-msg-no'),
        direction: node.matches(SELECTORS.outgoing) ? 'out' : 'in',
        text: R.text(R.one(node, SELECTORS.messageText)),
        time: R.text(R.one(node, SELECTORS.messageTime)),
      };
    });
  }

  R.register({
    scan() {
      const total = R.one(document, SELECTORS.totalNew);
      const active = readActive();
      return {
        chats: R.one(document, SELECTORS.roomList) ? readChats() : null,
        unread: total ? { direct: R.number(R.text(total)), muted: 0 } : null,
        active: active,
        messages: active ? readMessages(active) : [],
      };
    },
    anchors(snapshot) {
      const expected = { chat_count: SELECTORS.totalNew, room_list: SELECTORS.roomList };
      if (snapshot.active) expected.composer = SELECTORS.composer;
      return expected;
    },
    composer() { return R.one(document, SELECTORS.composer); },
    messageElement(key) {
      const id = key.slice(key.indexOf('_') + 1);
      const node = R.all(document, SELECTORS.message).filter(function (n) {
        return n.getAttribute('data-msg-no') === id;
      })[0];
      return node ? R.one(node, SELECTORS.messageText) : null;
    },
  });
})();
