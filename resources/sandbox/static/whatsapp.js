/*
 * The WhatsApp sandbox page: the DOM the whatsapp recipe reads (structure observed in saved
 * WhatsApp Web pages, 2022–2025; sources in docs/platforms.md) and, as the real app, the chat
 * store in IndexedDB `model-storage`, object store `chat`, with the fields the Ferdium recipe reads
 * (ferdium/ferdium-recipes pull request #240: unreadCount, muteExpiration, archive).
 * `POST /api/whatsapp/structure {"remove": ["chat_store"]}` drops the store, as an app version
 * that moved it would: the recipe must then count from the chat list.
 */
(function () {
  'use strict';
  const h = Sandbox.h;
  let store = null;
  let opening = null;

  function openStore() {
    if (!opening) {
      opening = new Promise(function (resolve) {
        const request = indexedDB.open('model-storage', 1);
        request.onupgradeneeded = function () { request.result.createObjectStore('chat', { keyPath: 'id' }); };
        request.onsuccess = function () { store = request.result; resolve(store); };
        request.onerror = function () { resolve(null); };
      });
    }
    return opening;
  }

  function dropStore() {
    const closing = opening || Promise.resolve(null);
    opening = null;
    store = null;
    closing.then(function (db) {
      if (db) db.close();
      indexedDB.deleteDatabase('model-storage');  // other connections (the recipe's) are asked to close
    });
  }

  let storeDropped = false;

  // Written before the DOM is redrawn (the app's model changes before its view), and at once when
  // the database is open, so a reader that wakes on the redraw sees the new counts.
  function saveChats(chats, removed) {
    if (removed.indexOf('chat_store') >= 0) {
      if (!storeDropped) { storeDropped = true; dropStore(); }
      return;
    }
    storeDropped = false;
    if (store) write(store); else openStore().then(write);
    function write(db) {
      if (!db) return;
      const tx = db.transaction('chat', 'readwrite');
      const chatStore = tx.objectStore('chat');
      chatStore.clear();
      chats.forEach(function (chat) {
        const last = chat.messages.length ? chat.messages[chat.messages.length - 1].time : 0;
        chatStore.put({
          id: chat.id, unreadCount: chat.unread, archive: false,
          muteExpiration: chat.muted ? -1 : 0, isAutoMuted: false, t: Math.floor(last),
        });
      });
    }
  }

  function dataId(chat, message) {
    return (message.direction === 'out' ? 'true_' : 'false_') + chat.id + '_' + message.id +
      (message.direction === 'out' ? '_out' : '_in');
  }

  let header = null;
  let footer = null;

  function clock(seconds) {
    const d = new Date(seconds * 1000);
    return String(d.getHours()).padStart(2, '0') + ':' + String(d.getMinutes()).padStart(2, '0');
  }

  function stamp(seconds) {  // "[9:31, 19/1/2024]" as in data-pre-plain-text
    const d = new Date(seconds * 1000);
    return clock(seconds) + ', ' + d.getDate() + '/' + (d.getMonth() + 1) + '/' + d.getFullYear();
  }

  function row(chat, ui, index) {
    const last = ui.lastMessage(chat);
    // As on WhatsApp Web, the open chat's row never shows a badge: what arrives there is read at
    // once (this page marks it read a moment later; the list must not show that moment).
    const unread = chat.id === ui.active ? 0 : chat.unread;
    const unreadLabel = unread === 1 ? '1 unread message' : unread + ' unread messages';
    return h('div', { role: 'listitem', style: 'transform: translateY(' + index * 72 + 'px)' },
      h('div', { role: 'row', tabindex: '-1', class: 'row' + (chat.id === ui.active ? ' active' : '') + (chat.muted ? ' muted' : ''),
        onclick: function () { ui.open(chat.id); } },
        h('div', { class: 'avatar' }, chat.title.slice(0, 1)),
        h('div', { class: 'row-body' },
          h('div', { role: 'gridcell', 'aria-colindex': '2', class: 'row-top' },
            h('div', null, h('span', { dir: 'auto', title: chat.title, class: 'name' }, chat.title)),
            h('div', { class: 'time' }, last ? ui.clock(last.time) : '')),
          h('div', { class: 'row-bottom' },
            h('span', { title: last ? '\u202a' + last.text + '\u202c' : '', class: 'preview' }, last ? last.text : ''),
            h('div', { role: 'gridcell', 'aria-colindex': '1' },
              chat.muted ? h('div', { 'aria-label': 'Muted chat', class: 'muted-icon' }, h('span', { 'data-icon': 'muted' }, 'muted')) : null,
              unread ? h('span', { 'aria-label': unreadLabel, class: 'badge' }, String(unread)) : null)))));
  }

  function message(chat, m) {
    const who = m.direction === 'out' ? 'You' : chat.title;
    return h('div', { 'data-id': dataId(chat, m), role: 'row' },
      h('div', { class: 'bubble ' + (m.direction === 'out' ? 'out message-out' : 'message-in') },
        h('span', { 'aria-label': who + ':', class: 'visually-hidden' }, who + ':'),
        h('div', { class: 'copyable-text', 'data-pre-plain-text': '[' + stamp(m.time) + '] ' + who + ': ' },
          h('span', { class: 'selectable-text copyable-text', dir: 'ltr' }, h('span', null, m.text))),
        h('div', { class: 'meta' }, h('span', { dir: 'auto' }, clock(m.time)))));
  }

  Sandbox.start({
    name: 'whatsapp',
    anchors: {  // what /api/whatsapp/structure can remove: the recipe's anchors
      chat_list: '#pane-side [role="grid"]',
      composer: 'footer div[contenteditable="true"][role="textbox"]',
    },
    setup: function (ui) {
      Sandbox.composer(ui, document.getElementById('composer'), document.getElementById('send'));
      header = document.getElementById('main-header');
      footer = document.querySelector('#main footer');
    },
    render: function (state, ui) {
      saveChats(state.chats, state.removed);
      const grid = document.getElementById('chat-grid');
      grid.setAttribute('aria-rowcount', String(state.chats.length));
      grid.style.height = state.chats.length * 72 + 'px';
      grid.replaceChildren.apply(grid, state.chats.map(function (chat, i) { return row(chat, ui, i); }));
      const chat = ui.activeChat();
      const list = document.getElementById('message-list');
      const main = document.querySelector('div#main');
      if (!chat) {  // like the real page: no conversation header or composer until a chat is open
        header.remove(); footer.remove(); list.replaceChildren(
          h('div', { class: 'empty' }, 'Select a chat to start messaging'));
        return;
      }
      if (!header.isConnected) main.prepend(header);
      if (!footer.isConnected) main.append(footer);
      header.replaceChildren(h('div', { class: 'avatar', style: 'display:inline-flex;width:32px;height:32px;margin-right:8px' }, chat.title.slice(0, 1)),
        h('span', { dir: 'auto', title: chat.title }, chat.title));
      list.replaceChildren.apply(list, chat.messages.map(function (m) { return message(chat, m); }));
      list.scrollTop = list.scrollHeight;
    },
  });
})();
