/*
 * WhatsApp Web recipe. Sources (repository: path; the full list is in docs/platforms.md):
 *
 * - Unread counts come from WhatsApp's own chat store, IndexedDB `model-storage` / `chat`, not
 *   the DOM: its fields outlived every redesign of the chat list. Ferdium moved to it in
 *   ferdium/ferdium-recipes pull request #240 (recipes/whatsapp/webview.js, 2022); the field names
 *   are the chat model's (pedroslopez/whatsapp-web.js: src/structures/Chat.js: unreadCount,
 *   archive, muteExpiration). `archive` is missing on some chats (ferdium/ferdium-app issue
 *   #1182, ferdium-recipes pull request #390), so a missing field means "not archived".
 * - The DOM fallback counts the numbers of `span[aria-label]` badges in the chat list and tells
 *   muted chats by `[data-icon=muted]`, as ferdium/ferdium-recipes: recipes/whatsapp/webview.js
 *   did before the store (and ferdium-app issue #766 for empty labels).
 * - Message rows carry `data-id` = `<fromMe>_<chat JID>_<message id>[_<participant>]`, the
 *   serialised message key of devlikeapro/waha: src/core/utils/ids.ts and
 *   wppconnect-team/wppconnect: src/api/model/message-id.ts; JIDs end in @c.us (phone), @g.us
 *   (group) or @lid (no phone).
 * - The rest — `#pane-side` grid rows with `span[title]`, `div#main` (an SVG `<mask id="main">`
 *   comes first), its `header`, `data-pre-plain-text="[time, date] Name: "`, the footer textbox —
 *   is structure observed in saved WhatsApp Web pages, 2022–2025, not a public source.
 */
(function () {
  'use strict';
  const R = Relaydesk;

  // Every selector this recipe uses. aria/data attributes only: class names are generated.
  const SELECTORS = {
    chatList: '#pane-side [role="grid"]',            // aria-label is localised, role is not
    chatRow: '[role="row"]',
    chatTitle: 'span[dir="auto"][title]',
    chatPreview: 'span[title]',                        // wrapped in U+202A…U+202C
    titleCell: '[role="gridcell"][aria-colindex="2"]', // title and time
    unreadBadge: '[role="gridcell"] span[aria-label]',  // "2 unread messages" (localised): use the number
    mutedIcon: 'span[data-icon="muted"], span[data-icon^="mute-notifications"]',
    main: 'div#main',                                 // not #main: an SVG <mask id="main"> comes first
    header: 'div#main header',
    headerTitle: 'span[dir="auto"][title], span[dir="auto"]',
    messageRow: 'div#main [data-id^="true_"], div#main [data-id^="false_"]',  // <dir>_<jid>_<id>[_in|_out]
    messageBody: 'span[data-testid="selectable-text"], span.selectable-text',
    messageMeta: '.copyable-text[data-pre-plain-text]', // "[9:31 pm, 19/01/2024] Name: "
    composer: 'footer div[contenteditable="true"][role="textbox"]',
    sendButton: 'footer span[data-icon="send"], footer span[data-icon="wds-ic-send-filled"], footer button[aria-label="Send"]',
  };
  const IDB_NAME = 'model-storage';
  const IDB_STORE = 'chat';

  // ---- IndexedDB chat store (preferred) ------------------------------------------------------
  let database = null;
  let opening = null;

  async function openStore() {
    if (database) return database;
    if (opening) return opening;
    opening = (async function () {
      const listed = indexedDB.databases ? await indexedDB.databases() : [];
      if (!listed.some(function (db) { return db.name === IDB_NAME; })) return null;
      return await new Promise(function (resolve) {
        const request = indexedDB.open(IDB_NAME);
        request.onsuccess = function () {
          const db = request.result;
          if (!db.objectStoreNames.contains(IDB_STORE)) { db.close(); resolve(null); return; }
          db.onversionchange = function () { db.close(); database = null; };  // reopen next scan
          database = db;
          resolve(db);
        };
        request.onerror = function () { resolve(null); };
        request.onupgradeneeded = function () { request.transaction.abort(); };
      });
    })();
    try { return await opening; } finally { opening = null; }
  }

  // The store holds every chat of the account: read it again only when the visible list changed
  // or a second has passed, not on every unrelated change of the page.
  const STORE_READ_GAP_MS = 1000;
  let storeReadAt = 0;
  let storeTotals = null;
  let storeListSeen = null;

  async function unreadFromStore(visibleList) {
    const listChanged = visibleList !== storeListSeen;
    if (storeTotals && !listChanged && Date.now() - storeReadAt < STORE_READ_GAP_MS) return storeTotals;
    storeListSeen = visibleList;
    storeReadAt = Date.now();
    storeTotals = await readStoreTotals();
    return storeTotals;
  }

  async function readStoreTotals() {
    const db = await openStore();
    if (!db) return null;
    const records = await new Promise(function (resolve) {
      try {
        const request = db.transaction(IDB_STORE, 'readonly').objectStore(IDB_STORE).getAll();
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { resolve(null); };
      } catch (error) { database = null; resolve(null); }
    });
    if (!records) return null;
    const totals = { direct: 0, muted: 0 };
    records.forEach(function (chat) {
      if (!(chat.unreadCount > 0) || chat.archive) return;
      if ((chat.muteExpiration && chat.muteExpiration !== 0) || chat.isAutoMuted) totals.muted += chat.unreadCount;
      else totals.direct += chat.unreadCount;
    });
    return totals;
  }

  // ---- DOM ---------------------------------------------------------------------------------
  function readChats(list) {
    return R.all(list, SELECTORS.chatRow).map(function (row) {
      const titleNode = R.one(row, SELECTORS.chatTitle);
      const title = titleNode ? titleNode.getAttribute('title') : R.text(row);
      const previews = R.all(row, SELECTORS.chatPreview).filter(function (n) { return n !== titleNode; });
      const badge = R.all(row, SELECTORS.unreadBadge).filter(function (n) { return /^\d+$/.test(R.text(n)); })[0];
      // The time shares the title's gridcell (aria-colindex 2); it is whatever is not the title.
      const cell = titleNode ? titleNode.closest(SELECTORS.titleCell) : null;
      return R.chatRow(row, {
        key: title,  // the list rows carry no chat id (saved pages, 2022–2025): the title is the key
        title: title,
        unread: badge ? R.number(R.text(badge)) : 0,
        muted: !!R.one(row, SELECTORS.mutedIcon),
        last_text: previews.length ? R.text(previews[0]) : '',
        time: cell ? R.text(cell, 'span[title]') : '',
        group: null,
      });
    });
  }

  function chatIdOf(dataId) {
    const found = /^(?:true|false)_([^_]+)_/.exec(dataId || '');
    return found ? found[1] : null;
  }

  function readMessages() {
    return R.all(document, SELECTORS.messageRow).map(function (row) {
      const id = row.getAttribute('data-id');
      const meta = R.one(row, SELECTORS.messageMeta);
      const stamp = meta ? /^\[([^\]]*)\]/.exec(meta.getAttribute('data-pre-plain-text') || '') : null;
      return {
        key: id,
        direction: id.indexOf('true_') === 0 ? 'out' : 'in',
        text: R.text(R.one(row, SELECTORS.messageBody)),
        time: stamp ? stamp[1] : '',
      };
    });
  }

  function readActive(messages) {
    const header = R.one(document, SELECTORS.header);
    if (!header) return null;
    const titleNode = R.one(header, SELECTORS.headerTitle);
    const title = titleNode ? (titleNode.getAttribute('title') || R.text(titleNode)) : '';
    const fromMessages = messages.map(function (m) { return chatIdOf(m.key); }).filter(Boolean)[0];
    if (!title && !fromMessages) return null;
    return { key: fromMessages || title, title: title };
  }

  R.register({
    async scan() {
      const list = R.one(document, SELECTORS.chatList);
      const chats = list ? readChats(list) : null;
      const messages = readMessages();
      return {
        chats: chats,
        unread: (await unreadFromStore(JSON.stringify(chats))) || (chats ? R.unreadOf(chats) : null),
        active: readActive(messages),
        messages: messages,
      };
    },
    anchors(snapshot) {
      const expected = { chat_list: SELECTORS.chatList };
      if (snapshot.active) expected.composer = SELECTORS.composer;
      return expected;
    },
    composer() { return R.one(document, SELECTORS.composer); },
    sendButton() { return R.one(document, SELECTORS.sendButton); },
    messageElement(key) {
      const row = Array.prototype.find.call(document.querySelectorAll(SELECTORS.messageRow),
        function (node) { return node.getAttribute('data-id') === key; });
      return row ? R.one(row, SELECTORS.messageMeta) || row : null;
    },
  });
})();
