/*
 * Relaydesk recipe plumbing, injected before every platform recipe in Qt's ApplicationWorld.
 *
 * The page's own scripts run in the main world and cannot see anything defined here (JS globals
 * are per world; only the DOM is shared). A recipe calls Relaydesk.register({...}) with functions
 * that read the page; this file turns their snapshots into the events of DESIGN.md, sent as JSON
 * through QWebChannel only when something changed, watches the recipe's anchors for health, and
 * carries out the app's commands. Anything the app shows on the page goes through textContent.
 */
(function () {
  'use strict';

  const CONFIG = Object.assign(
    { platform: 'unknown', health_timeout_ms: 30000, scan_interval_ms: 1000 },
    typeof RELAYDESK_CONFIG === 'object' ? RELAYDESK_CONFIG : {}
  );
  const MARK = 'data-relaydesk';  // marks the elements this file adds to the page

  // ---- bridge ------------------------------------------------------------------------------
  let bridge = null;
  const pending = [];

  function send(type, payload) {
    const message = JSON.stringify(Object.assign({ type: type }, payload || {}));
    if (bridge) bridge.post(message); else pending.push(message);
  }

  if (typeof qt === 'object' && qt.webChannelTransport) {
    new QWebChannel(qt.webChannelTransport, function (channel) {
      bridge = channel.objects.relaydesk;
      bridge.command.connect(onCommand);
      pending.splice(0).forEach(function (message) { bridge.post(message); });
    });
  } else {
    console.error('relaydesk recipe: no web channel in this world; events stay on the page');
  }

  // ---- reading the page ----------------------------------------------------------------------
  const BIDI = /[\u202a-\u202e\u200e\u200f\u2066-\u2069]/g;

  /**
   * Visible text of an element, without SVG <title> text (which leaks into textContent), without
   * what this file added, and without descendants matching ``skip`` (a message's time, say).
   */
  function text(element, skip) {
    if (!element) return '';
    const hidden = 'svg, [' + MARK + ']' + (skip ? ', ' + skip : '');
    let out = '';
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const hider = node.parentElement && node.parentElement.closest(hidden);
      if (hider && hider !== element && element.contains(hider)) continue;
      out += node.nodeValue;
    }
    return out.replace(BIDI, '').replace(/\s+/g, ' ').trim();
  }

  /** The first whole number in a string (badge text, aria-label), or 0. */
  function number(value) {
    const found = String(value || '').match(/\d+/);
    return found ? parseInt(found[0], 10) : 0;
  }

  /** A short stable key from strings, for platforms whose messages carry no id in the DOM. */
  function hashKey(parts) {
    let hash = 5381;
    const joined = parts.join('\u0001');
    for (let i = 0; i < joined.length; i++) hash = ((hash * 33) ^ joined.charCodeAt(i)) >>> 0;
    return hash.toString(16);
  }

  function all(root, selector) {
    return root ? Array.prototype.slice.call(root.querySelectorAll(selector)) : [];
  }

  function one(root, selector) {
    return root ? root.querySelector(selector) : null;
  }

  /** A chat-list entry that remembers its row (not sent: JSON skips non-enumerable fields). */
  function chatRow(row, chat) {
    Object.defineProperty(chat, 'row', { value: row, enumerable: false });
    return chat;
  }

  /** Open a chat as a person does: press on its row (or the link in it). */
  function openChat(key) {
    const chat = lastChats.filter(function (c) { return c.key === key && c.row && c.row.isConnected; })[0];
    if (!chat) return;
    const target = chat.row.matches('a[href]') ? chat.row : (chat.row.querySelector('a[href]') || chat.row);
    ['mousedown', 'mouseup', 'click'].forEach(function (type) {
      target.dispatchEvent(new MouseEvent(type, { bubbles: true, cancelable: true, view: window }));
    });
  }

  /** Unread totals from a chat list: muted chats never count as direct. */
  function unreadOf(chats) {
    const totals = { direct: 0, muted: 0 };
    chats.forEach(function (chat) {
      if (chat.muted) totals.muted += chat.unread; else totals.direct += chat.unread;
    });
    return totals;
  }

  // ---- app commands --------------------------------------------------------------------------
  let recipe = null;
  let lastChats = [];  // the last chat list read, with each chat's row
  const translations = new Map();  // message key -> translated text
  let bannerText = '';

  function onCommand(json) {
    let command;
    try { command = JSON.parse(json); } catch (error) { return; }
    if (!command || typeof command !== 'object') return;
    if (command.command === 'translation' && typeof command.key === 'string') {
      if (command.text) translations.set(command.key, String(command.text));
      else translations.delete(command.key);
      applyTranslations();
    } else if (command.command === 'compose' && typeof command.text === 'string') {
      fillCompose(command.text);
    } else if (command.command === 'send') {
      pressSend();
    } else if (command.command === 'open' && typeof command.key === 'string') {
      openChat(command.key);
    } else if (command.command === 'banner' && typeof command.text === 'string') {
      bannerText = command.text;
      applyBanner();
    }
  }

  function applyTranslations() {
    if (!recipe || !recipe.messageElement) return;
    all(document, '[' + MARK + '="translation"]').forEach(function (node) {
      if (!translations.has(node.getAttribute('data-relaydesk-key'))) node.remove();
    });
    translations.forEach(function (translated, key) {
      const host = recipe.messageElement(key);
      if (!host) return;
      let node = one(host, '[' + MARK + '="translation"]');
      if (!node) {
        node = document.createElement('div');
        node.setAttribute(MARK, 'translation');
        node.setAttribute('data-relaydesk-key', key);
        node.style.cssText = 'font-size:0.85em;opacity:0.8;font-style:italic;margin-top:2px;';
        host.appendChild(node);
      }
      if (node.textContent !== translated) node.textContent = translated;
    });
  }

  function applyBanner() {
    let node = document.getElementById('relaydesk-banner');
    if (!bannerText) { if (node) node.remove(); return; }
    if (!node) {
      node = document.createElement('div');
      node.id = 'relaydesk-banner';
      node.setAttribute(MARK, 'banner');
      node.setAttribute('role', 'status');
      node.style.cssText = 'position:fixed;top:8px;left:50%;transform:translateX(-50%);' +
        'z-index:2147483647;background:#fff3cd;color:#533f03;border:1px solid #e0c36a;' +
        'border-radius:6px;padding:6px 14px;font:14px sans-serif;box-shadow:0 2px 6px #0003;';
      document.body.appendChild(node);
    }
    if (node.textContent !== bannerText) node.textContent = bannerText;
  }

  function fillCompose(value) {
    const box = recipe && recipe.composer ? recipe.composer() : null;
    if (!box) return;
    box.focus();
    if ('value' in box && box.tagName !== 'DIV') {
      box.value = value;
    } else {
      // insertText goes through the editor's own input handling (Lexical, Draft.js, tweb).
      document.getSelection().selectAllChildren(box);
      if (!document.execCommand('insertText', false, value) || box.textContent !== value) {
        box.textContent = value;
      }
    }
    box.dispatchEvent(new InputEvent('input', { bubbles: true, data: value }));
  }

  // Send buttons that carry no localised words, for recipes without a sendButton of their own.
  const SEND_BUTTONS = '[data-icon="send"], [data-icon="wds-ic-send-filled"], button.btn-send, ' +
    'button.send, button[type="submit"], [aria-label="Send"]';

  /** Press the open chat's Send button (the recipe's, else one beside the composer); with none
   *  found, press Enter in the composer as the agent would. */
  function pressSend() {
    const box = recipe && recipe.composer ? recipe.composer() : null;
    let button = recipe && recipe.sendButton ? recipe.sendButton() : null;
    for (let scope = box ? box.parentElement : null, up = 0; !button && scope && up < 6; up++) {
      button = one(scope, SEND_BUTTONS);
      scope = scope.parentElement;
    }
    if (button) {
      const target = button.closest('button, [role="button"]') || button;
      ['mousedown', 'mouseup', 'click'].forEach(function (type) {
        target.dispatchEvent(new MouseEvent(type, { bubbles: true, cancelable: true, view: window }));
      });
    } else if (box) {
      box.focus();
      const init = { key: 'Enter', code: 'Enter', keyCode: 13, which: 13, bubbles: true, cancelable: true };
      box.dispatchEvent(new KeyboardEvent('keydown', init));
      box.dispatchEvent(new KeyboardEvent('keyup', init));
    }
  }

  // ---- snapshots into events -----------------------------------------------------------------
  const last = {};  // event type -> last JSON sent
  let previousUnread = null;  // chat key -> unread, for notifications
  const seenMessages = new Map();  // chat key -> Set of message keys seen
  const missingSince = new Map();  // anchor name -> when first found missing
  let scanning = false;

  function emitIfChanged(type, payload) {
    const json = JSON.stringify(payload);
    if (last[type] === json) return;
    last[type] = json;
    send(type, payload);
  }

  function checkHealth(anchors) {
    const now = Date.now();
    const degraded = [];
    Object.keys(anchors).forEach(function (name) {
      if (document.querySelector(anchors[name])) { missingSince.delete(name); return; }
      if (!missingSince.has(name)) missingSince.set(name, now);
      if (now - missingSince.get(name) >= CONFIG.health_timeout_ms) degraded.push(name);
    });
    missingSince.forEach(function (_, name) { if (!(name in anchors)) missingSince.delete(name); });
    degraded.sort();
    emitIfChanged('health', { state: degraded.length ? 'degraded' : 'ok', missing: degraded });
  }

  function notifyNewUnread(chats) {
    const current = new Map(chats.map(function (chat) { return [chat.key, chat.unread]; }));
    if (previousUnread) {
      chats.forEach(function (chat) {  // a muted chat stays silent, as on the platform itself
        if (!chat.muted && chat.unread > (previousUnread.get(chat.key) || 0)) {
          send('notification', { chat: chat.key, title: chat.title, text: chat.last_text });
        }
      });
    }
    previousUnread = current;
  }

  function reportMessages(active, messages) {
    emitIfChanged('messages', { chat: active.key, messages: messages });
    const seen = seenMessages.get(active.key);
    const keys = new Set(messages.map(function (message) { return message.key; }));
    if (seen) {
      messages.forEach(function (message) {
        if (message.direction === 'out' && !seen.has(message.key)) {
          send('sent', { chat: active.key, key: message.key, text: message.text });
        }
      });
      keys.forEach(function (key) { seen.add(key); });
    } else {
      seenMessages.set(active.key, keys);
    }
  }

  let scanAgain = false;  // something changed while a scan was running

  async function scan() {
    if (!recipe) return;
    if (scanning) { scanAgain = true; return; }
    scanning = true;
    try {
      const snapshot = (await recipe.scan()) || {};
      if (Array.isArray(snapshot.chats)) {
        lastChats = snapshot.chats;
        emitIfChanged('chats', { chats: snapshot.chats });
        notifyNewUnread(snapshot.chats);
      }
      const unread = snapshot.unread || (Array.isArray(snapshot.chats) ? unreadOf(snapshot.chats) : null);
      if (unread) emitIfChanged('unread', { direct: unread.direct, muted: unread.muted });
      if ('active' in snapshot) {
        const active = snapshot.active;
        emitIfChanged('active_chat', active ? { key: active.key, title: active.title } : { key: null, title: '' });
        if (active && Array.isArray(snapshot.messages)) reportMessages(active, snapshot.messages);
      }
      checkHealth(recipe.anchors ? recipe.anchors(snapshot) : {});
      applyTranslations();
      if (bannerText && !document.getElementById('relaydesk-banner')) applyBanner();
    } catch (error) {
      console.error('relaydesk recipe ' + CONFIG.platform + ': ' + (error && error.stack || error));
    } finally {
      scanning = false;
    }
    if (scanAgain) { scanAgain = false; scan(); }
  }

  /*
   * Page changes are read at once (MutationObserver callbacks are not throttled), up to
   * SCAN_BURST scans a second; a change beyond that is read when the second has passed. Timers
   * alone would not do: Chromium clamps a hidden tab's timers to 1 Hz (once a minute after five
   * hidden minutes), and a change that lands just after the timer's scan would wait for the next.
   */
  const SCAN_BURST = 4;
  const recentScans = [];  // times of the scans started on page changes in the last second
  let queued = null;

  function onPageChanged(mutations) {
    if (mutations.every(function (m) { return m.target.closest && m.target.closest('[' + MARK + ']'); })) return;
    const now = Date.now();
    while (recentScans.length && now - recentScans[0] >= 1000) recentScans.shift();
    if (recentScans.length < SCAN_BURST) { recentScans.push(now); scan(); return; }
    if (queued === null) {
      queued = setTimeout(function () { queued = null; scan(); }, 1000 - (now - recentScans[0]));
    }
  }

  function register(platformRecipe) {
    recipe = platformRecipe;
    send('ready', { url: location.href });
    new MutationObserver(onPageChanged).observe(document.documentElement, { childList: true, subtree: true, characterData: true, attributes: true });
    setInterval(scan, CONFIG.scan_interval_ms);
    scan();
  }

  globalThis.Relaydesk = {
    config: CONFIG, register: register, text: text, number: number, hashKey: hashKey,
    all: all, one: one, unreadOf: unreadOf, chatRow: chatRow,
  };
})();
